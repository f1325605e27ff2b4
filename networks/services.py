"""Writes that span models: applications, invitations and roles (approval: approval.py)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from hub.emails import email_render, email_send
from hub.moderators import moderator_emails
from hub.subpages import subpage_url
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


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.BASE_URL}{path}"


def network_exists(key: str) -> bool:
    # Through the page tree's own table: the network pages route to this module.
    return Page.objects.filter(networkpage__name_key=key).exists()


def _name_taken(key: str) -> bool:
    pending = NetworkApplication.objects.filter(name_key=key, status=ApplicationStatus.PENDING)
    return network_exists(key) or pending.exists()


def network_application_create(
    *,
    applicant,
    name: str,
    kind: str,
    description: str,
    strapline: str = "",
    logo=None,
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
        strapline=strapline,
        description=description,
        logo=logo,
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
    moderators_tell(application)
    return application


def moderators_tell(application: NetworkApplication) -> None:
    """Email each moderator (one message each: they need not see each other's addresses)."""
    message = email_render(
        template_prefix="networks/emails/application_received",
        context={
            "application": application,
            "review_url": absolute_url(
                reverse("network_applications:inspect", args=[application.pk])
            ),
        },
    )
    for email in moderator_emails():
        email_send(to=[email], **message)


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
