"""Writes that span models: applications, approval, invitations and roles."""

from collections.abc import Iterable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from hub.emails import email_render, email_send
from hub.subpages import route_takes_slug, subpage_url
from hub.tokens import token_make, token_read

from .records import (
    ApplicationStatus,
    Invitation,
    Membership,
    MembershipRole,
    NetworkApplication,
    name_key,
)

INVITATION_MAX_AGE = timedelta(days=7)
INVITATION_SALT = "networks.invitation"
# Editors add, edit and publish pages in their network's subtree; nothing above it.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# Editors upload and choose images (logos, figures) and edit only the ones they uploaded.
EDITOR_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
SLUG_MAX_LENGTH = 80


class NameClashError(ValidationError):
    def __init__(self):
        super().__init__(
            "A network with this name already exists or is waiting for approval. Names are "
            "compared ignoring capitals, spaces and punctuation.",
            code="name_clash",
        )


class NotPendingError(ValidationError):
    def __init__(self, application):
        super().__init__(
            f"This application has already been {application.get_status_display().lower()}.",
            code="not_pending",
        )


class LastAdminError(ValidationError):
    def __init__(self):
        super().__init__(
            "A network must keep at least one admin: make someone else an admin first.",
            code="last_admin",
        )


class InvitationError(ValidationError):
    """An invitation link that cannot be used; the message says why."""


def _page_model(name: str):
    # The page models route requests to these services, so they sit above this module and are
    # named here, as foreign keys name them, rather than imported.
    return apps.get_model("networks", name)


def directory():
    """The network directory, or None while there is none."""
    return _page_model("NetworkIndexPage").objects.first()


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.BASE_URL}{path}"


def _network_exists(key: str) -> bool:
    return _page_model("NetworkPage").objects.filter(name_key=key).exists()


def _name_taken(key: str) -> bool:
    pending = NetworkApplication.objects.filter(name_key=key, status=ApplicationStatus.PENDING)
    return _network_exists(key) or pending.exists()


def network_application_create(
    *,
    applicant,
    name: str,
    kind: str,
    description: str,
    website: str = "",
    public_contact_email: str = "",
    regions: Iterable = (),
    topics: Iterable = (),
    founded_year: int | None = None,
    how_to_join: str = "",
) -> NetworkApplication:
    key = name_key(name)
    if _name_taken(key):
        raise NameClashError()
    application = NetworkApplication(
        applicant=applicant,
        name=name,
        name_key=key,
        kind=kind,
        description=description,
        website=website,
        public_contact_email=public_contact_email,
        founded_year=founded_year,
        how_to_join=how_to_join,
    )
    try:
        # The partial unique index settles a race between two identical applications.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise NameClashError() from None
    application.regions.set(regions)
    application.topics.set(topics)
    return application


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
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
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


def network_approve(*, application: NetworkApplication, moderator):
    """Make the live network page, its editors' group and the applicant's admin membership."""
    try:
        with transaction.atomic():
            application = NetworkApplication.objects.select_for_update().get(pk=application.pk)
            if application.status != ApplicationStatus.PENDING:
                raise NotPendingError(application)
            if _network_exists(application.name_key):
                raise NameClashError()
            index = directory()
            if index is None:
                raise ValidationError(
                    "There is no network directory page yet: add one under the home page.",
                    code="no_directory",
                )
            page = _page_model("NetworkPage")(
                title=application.name,
                slug=_free_slug(index, application.name),
                kind=application.kind,
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


def invitation_token(invitation: Invitation) -> str:
    return token_make(purpose=INVITATION_SALT, payload=invitation.pk)


def invitation_create(*, network, email: str, role: str, invited_by) -> Invitation:
    email = email.strip().lower()
    if network.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of this network.", code="member")
    invitation = Invitation.objects.create(
        network=network, email=email, role=role, invited_by=invited_by
    )
    url = subpage_url(
        network.get_parent().specific, "invitation", token=invitation_token(invitation)
    )
    message = email_render(
        template_prefix="networks/emails/invitation",
        context={
            "invitation": invitation,
            "network": network,
            "invited_by": invited_by,
            "accept_url": absolute_url(url),
            "days": INVITATION_MAX_AGE.days,
        },
    )
    email_send(to=[email], **message)
    return invitation


def invitation_from_token(token: str) -> Invitation:
    # Invitations mailed before hub.tokens signed the bare pk as a string: `plain` reads them
    # until they expire, INVITATION_MAX_AGE after this change is deployed.
    read = {"purpose": INVITATION_SALT, "token": token, "plain": True}
    pk = token_read(**read, max_age=INVITATION_MAX_AGE)
    if pk is None:
        if token_read(**read) is not None:
            raise InvitationError(
                "This invitation has expired. Ask the network's admin to invite you again.",
                code="expired",
            )
        raise InvitationError("This invitation link is not valid.", code="invalid")
    if isinstance(pk, str) and pk.isdigit():
        pk = int(pk)
    if not isinstance(pk, int):
        raise InvitationError("This invitation link is not valid.", code="invalid")
    invitation = Invitation.objects.select_related("network").filter(pk=pk).first()
    if invitation is None:
        raise InvitationError("This invitation has been withdrawn.", code="invalid")
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    invitation = invitation_from_token(token)
    verified = {
        address.casefold()
        for address in user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    }
    if invitation.email.casefold() not in verified:
        raise InvitationError(
            "This invitation was sent to another email address. Sign in with that address, "
            "or verify it on your account, to accept it.",
            code="wrong_account",
        )
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError("This invitation has already been used.", code="used")
        network = invitation.network
        if network.memberships.filter(user=user).exists():
            raise InvitationError("You are already a member of this network.", code="member")
        membership = Membership.objects.create(network=network, user=user, role=invitation.role)
        if network.editors_group_id:
            user.groups.add(network.editors_group_id)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _other_admins(membership: Membership) -> int:
    """Locks the network's memberships, so concurrent demotions cannot leave it without admins."""
    memberships = Membership.objects.select_for_update().filter(network_id=membership.network_id)
    return sum(1 for m in memberships if m.role == MembershipRole.ADMIN and m.pk != membership.pk)


def membership_role_change(*, membership: Membership, role: str) -> Membership:
    if role not in MembershipRole.values:
        raise ValidationError("Choose admin or editor.", code="role")
    with transaction.atomic():
        if role != MembershipRole.ADMIN and not _other_admins(membership):
            raise LastAdminError()
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    """Removes a member, or lets one leave; either way their editing rights go with it."""
    with transaction.atomic():
        if not _other_admins(membership) and membership.role == MembershipRole.ADMIN:
            raise LastAdminError()
        group_id = membership.network.editors_group_id
        if group_id:
            membership.user.groups.remove(group_id)
        membership.delete()
