"""Writes for events and RSVPs. Every change to who holds a place runs with the event row locked,
so capacity and the waiting list stay right however many people answer at once."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from hub.addresses import email_canonical
from hub.cache import content_changed
from hub.emails import email_render, email_send
from networks.models import MembershipRole
from networks.selectors import network_admin_membership

from .attendees import rsvp_attachments
from .models import CoOrganiserInvitation, CoOrganiserStatus, EventPage, Rsvp, RsvpStatus

REMINDER_LEAD = dt.timedelta(hours=24)


def event_create(*, parent: Page, publish: bool = True, **fields) -> EventPage:
    """Add an event below a NetworkPage or the EventIndexPage, published or as a draft."""
    event = EventPage(live=publish, has_unpublished_changes=not publish, **fields)
    parent.add_child(instance=event)
    revision = event.save_revision()
    if publish:
        revision.publish()
    return event


def _event_lock(event_id: int) -> EventPage:
    # Lock only the event's own row: the page row stays free for editors and the publisher.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def _take_place_or_queue(*, event: EventPage, rsvp: Rsvp) -> None:
    """Give `rsvp` a place if one is free, else a place in the queue. Needs the event lock."""
    taken = event.rsvps.filter(status=RsvpStatus.CONFIRMED).exclude(pk=rsvp.pk).count()
    full = event.capacity is not None and taken >= event.capacity
    rsvp.status = RsvpStatus.WAITING if full else RsvpStatus.CONFIRMED
    rsvp.queued_at = timezone.now()
    rsvp.cancelled_at = None
    rsvp.save(update_fields=["status", "queued_at", "cancelled_at"])


def _rsvp_get_or_start(*, event: EventPage, name: str, email: str, user=None) -> Rsvp:
    rsvp, created = Rsvp.objects.get_or_create(
        event=event,
        email_normalised=email_canonical(email, gmail_dots=False),
        defaults={"name": name, "email": email.strip(), "user": user, "token": _new_token()},
    )
    if not created and rsvp.status == RsvpStatus.CANCELLED:
        rsvp.name, rsvp.status = name, RsvpStatus.PENDING
        rsvp.save(update_fields=["name", "status"])
    if user is not None and rsvp.user_id is None:
        rsvp.user = user
        rsvp.save(update_fields=["user"])
    return rsvp


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def rsvp_request(*, event: EventPage, name: str, email: str) -> Rsvp:
    """Someone not signed in answers: nothing is held until they confirm from the email."""
    event = _event_lock(event.pk)
    rsvp = _rsvp_get_or_start(event=event, name=name, email=email)
    if rsvp.status == RsvpStatus.PENDING:
        _rsvp_email(rsvp=rsvp, kind="confirm_request")
    else:
        # Already answered: tell the address's owner, never the person at the keyboard.
        _rsvp_email(rsvp=rsvp, kind="status")
    return rsvp


@transaction.atomic
def rsvp_confirm(*, rsvp: Rsvp) -> Rsvp:
    """The emailed link was followed and its button pressed: take a place or join the queue."""
    event = _event_lock(rsvp.event_id)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    # A link confirmed after the event was cancelled or has finished holds nothing.
    if rsvp.status == RsvpStatus.PENDING and event.takes_rsvps:
        _take_place_or_queue(event=event, rsvp=rsvp)
        _rsvp_email(rsvp=rsvp, kind="status")
    return rsvp


@transaction.atomic
def rsvp_member(*, event: EventPage, user) -> Rsvp:
    """A signed-in member answers in one click; their address is already verified."""
    event = _event_lock(event.pk)
    name = user.get_full_name() or user.email
    rsvp = _rsvp_get_or_start(event=event, name=name, email=user.email, user=user)
    if rsvp.status == RsvpStatus.PENDING:
        _take_place_or_queue(event=event, rsvp=rsvp)
        _rsvp_email(rsvp=rsvp, kind="status")
    return rsvp


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp) -> Rsvp:
    """Give up a place (or a place in the queue); the longest waiting person moves up."""
    event = _event_lock(rsvp.event_id)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    if rsvp.status == RsvpStatus.CANCELLED:
        return rsvp
    held_place = rsvp.status == RsvpStatus.CONFIRMED
    rsvp.status = RsvpStatus.CANCELLED
    rsvp.cancelled_at = timezone.now()
    rsvp.save(update_fields=["status", "cancelled_at"])
    if held_place:
        waiting_list_promote(event=event)
    return rsvp


def waiting_list_promote(*, event: EventPage) -> list[Rsvp]:
    """Fill free places from the head of the queue and tell each person. Needs the event lock."""
    if event.cancelled or event.is_past:
        return []
    waiting = event.rsvps.filter(status=RsvpStatus.WAITING).order_by("queued_at", "pk")
    if event.capacity is not None:
        taken = event.rsvps.filter(status=RsvpStatus.CONFIRMED).count()
        waiting = waiting[: max(event.capacity - taken, 0)]
    promoted = list(waiting)
    for rsvp in promoted:
        rsvp.status = RsvpStatus.CONFIRMED
        rsvp.save(update_fields=["status"])
        _rsvp_email(rsvp=rsvp, kind="status", promoted=True)
    return promoted


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind confirmed attendees of events starting in the next 24 hours, once each.

    Each reminder is claimed with a conditional UPDATE before its email is queued, so two beat
    runs, or two workers, can never both send it.
    """
    now = now or timezone.now()
    due = Rsvp.objects.filter(
        status=RsvpStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__live=True,
        event__cancelled=False,
        event__start__gt=now,
        event__start__lte=now + REMINDER_LEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in due:
        with transaction.atomic():
            claimed = Rsvp.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                rsvp = Rsvp.objects.select_related("event").get(pk=pk)
                _rsvp_email(rsvp=rsvp, kind="reminder")
                sent += 1
    return sent


def rsvp_links(rsvp: Rsvp) -> dict[str, str]:
    return {
        "confirm_url": settings.BASE_URL + reverse("events:rsvp_confirm", args=[rsvp.token]),
        "cancel_url": settings.BASE_URL + reverse("events:rsvp_cancel", args=[rsvp.token]),
        "event_url": rsvp.event.absolute_url,
        # Their own calendar file: the full address and joining link once they hold a place.
        "ics_url": settings.BASE_URL + rsvp.calendar_path,
    }


def _rsvp_email(*, rsvp: Rsvp, kind: str, promoted: bool = False) -> None:
    event = rsvp.event
    links = rsvp_links(rsvp)
    context = {
        "rsvp": rsvp,
        "event": event,
        "promoted": promoted,
        # A private address and joining link only ever go to someone holding a place.
        "location": rsvp.location,
        "joining_link": rsvp.location.joining_link,
        **links,
    }
    message = email_render(template_prefix=f"events/emails/rsvp_{kind}", context=context)
    email_send(to=[rsvp.email], attachments=rsvp_attachments(rsvp), **message)


def co_organisers_invite(*, event: EventPage, invited_by=None) -> None:
    """Brings the event's invitations in line with the networks its editor invites: each new one
    is asked by email, and a network no longer invited loses its invitation, accepted or not."""
    invited = set(event.co_organisers.values_list("pk", flat=True))
    invited.discard(event.organising_network_id)
    event.co_organiser_invitations.exclude(network_id__in=invited).delete()
    for network_id in sorted(invited):
        invitation, new = CoOrganiserInvitation.objects.get_or_create(
            event=event, network_id=network_id, defaults={"invited_by": invited_by}
        )
        if new:
            _co_organiser_email(invitation=invitation)


def _co_organiser_email(*, invitation: CoOrganiserInvitation) -> None:
    event, network = invitation.event, invitation.network
    context = {
        "event": event,
        "network": network,
        "organiser": event.organising_network,
        "invited_by": invitation.invited_by,
        "event_url": event.absolute_url,
        "answer_url": settings.BASE_URL
        + reverse("events:co_organiser_invitation", args=[invitation.pk]),
    }
    message = email_render(template_prefix="events/emails/co_organiser_invitation", context=context)
    admins = network.memberships.filter(role=MembershipRole.ADMIN).select_related("user")
    # One message each: admins of one network need not learn each other's addresses.
    for membership in admins:
        email_send(to=[membership.user.email], **message)


@transaction.atomic
def co_organiser_answer(
    *, invitation: CoOrganiserInvitation, user, accept: bool
) -> CoOrganiserInvitation:
    """An admin of the invited network accepts or declines; they may change their answer."""
    if network_admin_membership(network=invitation.network, user=user) is None:
        raise PermissionDenied("Only the invited network's admins can answer.")
    invitation = CoOrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.status = CoOrganiserStatus.ACCEPTED if accept else CoOrganiserStatus.DECLINED
    invitation.answered_by = user
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_by", "answered_at"])
    # The event joins or leaves the network's page, feed and counts, cached pages included.
    content_changed()
    return invitation
