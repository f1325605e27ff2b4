"""Writes for pledges: proposing and reviewing one, pledging with double opt-in and binding
(exactly once), and pledgers writing to each other. Lapsing and the announcements of either
outcome are in outcomes.py."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from hub.addresses import email_canonical
from hub.announcements import announce, announced
from hub.cache import content_changed
from hub.emails import email_render, email_send
from hub.moderators import moderator_emails
from hub.optin import (
    confirmation_queue,
    details_replace,
    nonce_new,
    record_confirm,
    record_get_or_create,
)
from hub.outbox import task_publish
from hub.ratelimit import ip_hash, rate_limits_hit

from .links import bound_key, confirmed_count, pledge_bound_email, pledger_email, pledger_link
from .models import Pledge, Pledger, PledgeStatus
from .tasks import announce_pledge_outcome

SLUG_LENGTH = 70

# (scope, limit, period in seconds), as campaigns' signatures: a burst window and a sustained one.
PROPOSE_LIMITS = [("pledge-propose-hour", 3, 3600), ("pledge-propose-day", 10, 86400)]
PLEDGE_IP_LIMITS = [("pledge-ip-burst", 10, 60), ("pledge-ip-hour", 60, 3600)]
EMAIL_RESEND_LIMITS = [("pledge-resend-email-day", 10, 86400)]
MESSAGE_LIMITS = [("pledge-message-day", 3, 86400)]


# --- Proposing and reviewing -------------------------------------------------------------------


# The first part of the app's own routes (pledges.urls), which a pledge's address must not take.
ROUTE_SLUGS = {"new", "yours", "confirm", "withdraw", "write"}


def _unique_slug(action: str) -> str:
    base = slugify(action)[:SLUG_LENGTH].strip("-") or "pledge"
    slug, suffix = base, 2
    while slug in ROUTE_SLUGS or Pledge.objects.filter(slug=slug).exists():
        slug = f"{base[: SLUG_LENGTH - 6]}-{suffix}"
        suffix += 1
    return slug


def pledge_propose(*, user, network=None, topics=(), **fields) -> Pledge:
    """Store a proposed pledge for review and tell the moderators; nothing is public yet.

    `fields` are the Pledge fields the proposal form cleans (action, threshold, audience,
    deadline, details, next_steps, allow_contact)."""
    if rate_limits_hit(limits=PROPOSE_LIMITS, key=f"user:{user.pk}"):
        raise ValidationError("You have proposed several pledges just now: try again later.")
    # Two proposals with the same words at once: the slug's unique index refuses the second,
    # which takes the next free slug.
    try:
        return _proposal_store(user=user, network=network, topics=topics, fields=fields)
    except IntegrityError:
        return _proposal_store(user=user, network=network, topics=topics, fields=fields)


@transaction.atomic
def _proposal_store(*, user, network, topics, fields: dict) -> Pledge:
    pledge = Pledge.objects.create(
        slug=_unique_slug(fields["action"]), network=network, created_by=user, **fields
    )
    pledge.topics.set(topics)
    _moderators_tell(pledge=pledge)
    return pledge


def _moderators_tell(*, pledge: Pledge) -> None:
    review_url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "pledges_review:inspect", args=[pledge.pk]
    )
    message = email_render(
        template_prefix="pledges/emails/proposed",
        context={"pledge": pledge, "review_url": review_url},
    )
    # One email each: moderators need not see each other's addresses either.
    for address in moderator_emails():
        email_send(**message, to=[address])


def pledge_approve(*, pledge: Pledge, moderator) -> Pledge:
    """Open a pending pledge to the public (a conditional update: two moderators at once, one
    decision)."""
    now = timezone.now()
    if pledge.deadline < timezone.localdate():
        raise ValidationError("Its deadline has passed: it can no longer be opened.")
    if not Pledge.objects.filter(pk=pledge.pk, status=PledgeStatus.PENDING).update(
        status=PledgeStatus.OPEN, reviewed_by=moderator, reviewed_at=now
    ):
        raise ValidationError("This pledge has been decided already.")
    pledge.refresh_from_db()
    content_changed()
    return pledge


def pledge_reject(*, pledge: Pledge, moderator, note: str) -> Pledge:
    """Turn a pending pledge down and tell whoever proposed it why."""
    with transaction.atomic():
        if not Pledge.objects.filter(pk=pledge.pk, status=PledgeStatus.PENDING).update(
            status=PledgeStatus.REJECTED,
            reviewed_by=moderator,
            reviewed_at=timezone.now(),
            review_note=note,
        ):
            raise ValidationError("This pledge has been decided already.")
        pledge.refresh_from_db()
        if pledge.created_by and pledge.created_by.email:
            message = email_render(
                template_prefix="pledges/emails/rejected", context={"pledge": pledge}
            )
            email_send(**message, to=[pledge.created_by.email])
    return pledge


# --- Pledging, with double opt-in --------------------------------------------------------------


def pledge_is_open(pledge: Pledge) -> bool:
    return pledge.status == PledgeStatus.OPEN and pledge.deadline >= timezone.localdate()


@dataclass
class PledgeResult:
    pledger: Pledger
    created: bool


def _choices(*, pledge: Pledge, name: str, kind: str, show_name: bool, contactable: bool) -> dict:
    # Contact is asked only when the proposer allows it: otherwise no one is contactable.
    return {
        "name": name.strip(),
        "kind": kind,
        "show_name": show_name,
        "contactable": contactable and pledge.allow_contact,
    }


def pledger_create(
    *,
    pledge: Pledge,
    name: str,
    email: str,
    kind: str = "",
    show_name: bool = False,
    contactable: bool = False,
    ip: str = "",
    user=None,
    confirmed: bool = False,
) -> PledgeResult:
    """Pledge: one pledger per pledge per canonical email, however concurrently submitted.

    Nothing counts or is shown until the address's owner confirms from the emailed link (a
    verified member's `confirmed` pledge is the owner's). Pledging again before confirming
    replaces the details and mails a fresh link, within the mailbox's limits; a confirmed
    pledger is never changed by a submission, and the page answers the same either way, so it
    shows no one who has pledged."""
    if not pledge_is_open(pledge):
        raise ValidationError("This pledge is no longer open.")
    canonical = email_canonical(email)
    choices = _choices(
        pledge=pledge, name=name, kind=kind, show_name=show_name, contactable=contactable
    )
    held = rate_limits_hit(limits=PLEDGE_IP_LIMITS, key=ip) if ip else False
    if held and not confirmed:
        # Past the limits: answered as if accepted, and nothing is written or mailed.
        return PledgeResult(pledger=Pledger(pledge=pledge, **choices), created=False)
    defaults = {
        **choices,
        "email": email.strip(),
        "user": user,
        "ip_hash": ip_hash(ip),
        "confirm_nonce": nonce_new(),
    }
    pledger, created = record_get_or_create(
        model=Pledger,
        lookup={"pledge": pledge, "email_canonical": canonical},
        defaults=defaults,
        on_created=None if confirmed else _confirmation_queue,
    )
    if confirmed and pledger.confirmed_at is None:
        pledger_confirm(pledger=pledger, **choices)
    elif (
        not created
        and pledger.confirmed_at is None
        and not rate_limits_hit(limits=EMAIL_RESEND_LIMITS, key=canonical)
    ):
        _confirmation_resend(pledger_id=pledger.pk, choices=choices)
    return PledgeResult(pledger=pledger, created=created)


def _confirmation_queue(pledger: Pledger) -> None:
    message = pledger_email(
        pledger=pledger,
        template_prefix="pledges/emails/confirm",
        confirm_url=pledger_link(pledger=pledger, action="confirm"),
    )
    confirmation_queue(record=pledger, message=message)


@transaction.atomic
def _confirmation_resend(*, pledger_id: int, choices: dict) -> None:
    # The row lock makes concurrent resubmissions take turns: each replaces the one before.
    pledger = (
        Pledger.objects.select_for_update(of=("self",))
        .select_related("pledge")
        .filter(pk=pledger_id, confirmed_at__isnull=True)
        .first()
    )
    if pledger is None:
        return
    details_replace(record=pledger, fields=choices)
    _confirmation_queue(pledger)


def pledger_confirm(
    *, pledger: Pledger, name: str, kind: str, show_name: bool, contactable: bool
) -> bool:
    """Confirm a pledger with the choices its owner made on the confirmation page; it may bind
    the pledge. False if it was confirmed already or replaced since its link was read.

    The pledge's row is locked, so confirmations of one pledge take turns: the count each reads
    is exact, binding happens once, and one confirming after the announcement was written (and
    so missing from it) is sent the binding email of their own."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledger.pledge_id)
        choices = _choices(
            pledge=pledge, name=name, kind=kind, show_name=show_name, contactable=contactable
        )
        if not record_confirm(record=pledger, **choices):
            return False
        if pledge_is_open(pledge):
            _bind_if_met(pledge=pledge)
        elif pledge.status == PledgeStatus.BOUND and announced(bound_key(pledge.pk)):
            pledger.refresh_from_db()
            email_send(**pledge_bound_email(pledger=pledger))
    content_changed()
    return True


def _bind_if_met(*, pledge: Pledge) -> bool:
    if confirmed_count(pledge.pk) < pledge.threshold:
        return False
    # Conditional: a lapse by the beat, or any other writer, wins or loses as a whole.
    if not Pledge.objects.filter(pk=pledge.pk, status=PledgeStatus.OPEN).update(
        status=PledgeStatus.BOUND, bound_at=timezone.now()
    ):
        return False
    transaction.on_commit(
        lambda: task_publish(announce_pledge_outcome, kwargs={"pledge_id": pledge.pk})
    )
    return True


def pledger_withdraw(*, pledger: Pledger) -> bool:
    deleted, _ = Pledger.objects.filter(pk=pledger.pk).delete()
    if deleted:
        content_changed()
    return bool(deleted)


# --- Writing to the others ---------------------------------------------------------------------


def may_write(pledger: Pledger) -> bool:
    pledge = pledger.pledge
    return (
        pledge.allow_contact
        and pledge.status == PledgeStatus.BOUND
        and pledger.confirmed_at is not None
    )


def pledge_message_send(*, pledger: Pledger, text: str) -> int:
    """Send a pledger's message to every other contactable confirmed pledger, from the hub's own
    address with the sender's chosen name only: no one's address reaches anyone."""
    if not may_write(pledger):
        raise ValidationError("Writing to the others opens once the pledge binds.")
    if rate_limits_hit(limits=MESSAGE_LIMITS, key=f"pledger:{pledger.pk}"):
        raise ValidationError("You have sent 3 messages today: you can write again tomorrow.")
    recipients = (
        pledger.pledge.pledgers.filter(confirmed_at__isnull=False, contactable=True)
        .exclude(pk=pledger.pk)
        .exclude(email_canonical=pledger.email_canonical)
        .order_by("pk")
    )
    messages = (
        pledger_email(
            pledger=recipient,
            template_prefix="pledges/emails/message",
            sender_name=pledger.name,
            text=text,
            contact_url=pledger_link(pledger=recipient, action="contact"),
        )
        for recipient in recipients.iterator()
    )
    # Each message is its own announcement: written in one transaction, handed over in batches.
    return announce(key=f"pledge-message:{pledger.pk}:{uuid.uuid4().hex[:12]}", messages=messages)
