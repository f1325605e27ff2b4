"""A moderator's decision on an application: approval makes the network's page, group and
first admin; rejection tells the applicant why. Above the page models (it makes pages), so
the pages' routes never reach it."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from hub.emails import email_render, email_send
from hub.subpages import route_takes_slug, subpage_url

from .models import NetworkIndexPage, NetworkPage
from .records import ApplicationStatus, Membership, MembershipRole, NetworkApplication
from .services import (
    NameClashError,
    NotPendingError,
    absolute_url,
    network_exists,
)

# Editors add, edit and publish pages in their network's subtree; nothing above it.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# Editors upload and choose images (logos, figures) and edit only the ones they uploaded.
EDITOR_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
# Editors choose bank questions for their surveys (the chooser asks to view); only moderators
# word them. Named by app label: networks sits below surveys and does not import it.
EDITOR_MODEL_PERMISSIONS = [("surveys", "view_bankquestion")]
SLUG_MAX_LENGTH = 80


def directory():
    """The network directory, or None while there is none."""
    return NetworkIndexPage.objects.first()


def _paragraphs(text: str) -> str:
    """Plain text from the application as rich text: escaped, a paragraph per blank line."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(escape(block).replace("\n", "<br/>")) for block in blocks if block
    )


def _free_slug(index: Page, name: str) -> str:
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-") or "network"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken or route_takes_slug(index.specific_class, slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _editors_group(*, page, application: NetworkApplication) -> Group:
    group = Group.objects.create(name=f"Network editors: {page.title} (#{application.pk})"[:150])
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in EDITOR_MODEL_PERMISSIONS
        ),
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page=page, permission=permission)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        )
    )
    root_collection = Collection.get_first_root_node()
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=root_collection, permission=permission)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailimages", codename__in=EDITOR_IMAGE_PERMISSIONS
        )
    )
    return group


def _logo(application: NetworkApplication):
    """The application's logo as an image in the library, for the page and its editors."""
    if not application.logo:
        return None
    with application.logo.open("rb") as upload:
        image = get_image_model()(
            title=f"{application.name} logo",
            file=ImageFile(upload, name=application.logo.name.rsplit("/", 1)[-1]),
            uploaded_by_user=application.applicant,
        )
        image.save()
    return image


def network_approve(*, application: NetworkApplication, moderator):
    """Make the live network page, its editors' group and the applicant's admin membership."""
    try:
        with transaction.atomic():
            application = NetworkApplication.objects.select_for_update().get(pk=application.pk)
            if application.status != ApplicationStatus.PENDING:
                raise NotPendingError(application)
            if network_exists(application.name_key):
                raise NameClashError()
            index = directory()
            if index is None:
                raise ValidationError(
                    "There is no network directory page yet: add one under the home page.",
                    code="no_directory",
                )
            page = NetworkPage(
                title=application.name,
                slug=_free_slug(index, application.name),
                kind=application.kind,
                strapline=application.strapline,
                logo=_logo(application),
                description=_paragraphs(application.description),
                website=application.website,
                public_contact_email=application.public_contact_email,
                founded_year=application.founded_year,
                how_to_join=_paragraphs(application.how_to_join),
                regions=list(application.regions.all()),
                topics=list(application.topics.all()),
                owner=application.applicant,
            )
            index.add_child(instance=page)
            page.editors_group = _editors_group(page=page, application=application)
            page.save(update_fields=["editors_group"])
            page.save_revision(user=moderator, log_action=True).publish(user=moderator)

            Membership.objects.create(
                network=page, user=application.applicant, role=MembershipRole.ADMIN
            )
            application.applicant.groups.add(page.editors_group)

            application.status = ApplicationStatus.APPROVED
            application.network = page
            application.reviewed_by = moderator
            application.reviewed_at = timezone.now()
            application.save()

            message = email_render(
                template_prefix="networks/emails/application_approved",
                context={
                    "application": application,
                    "network": page,
                    "network_url": absolute_url(page.get_url()),
                    "admin_url": absolute_url(reverse("wagtailadmin_explore", args=[page.pk])),
                    "members_url": absolute_url(subpage_url(page, "members")),
                },
            )
            email_send(to=[application.applicant.email], **message)
    except IntegrityError:
        # Another approval took the name between the check and the insert.
        raise NameClashError() from None
    return page


def network_reject(*, application: NetworkApplication, moderator, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the applicant a reason.", code="reason_required")
    with transaction.atomic():
        application = NetworkApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.PENDING:
            raise NotPendingError(application)
        application.status = ApplicationStatus.REJECTED
        application.rejection_reason = reason
        application.reviewed_by = moderator
        application.reviewed_at = timezone.now()
        application.save()
        message = email_render(
            template_prefix="networks/emails/application_rejected",
            context={
                "application": application,
                "apply_url": absolute_url(subpage_url(directory(), "apply")),
            },
        )
        email_send(to=[application.applicant.email], **message)
