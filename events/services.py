"""Writes for events and RSVPs. Every change to who holds a place runs with the event row locked,
so the places of each attendance (in person, online) and their waiting lists stay right however
many people answer at once. A place given up is held for the head of its waiting list, who has
RSVP_OFFER_HOURS to take it before it passes on."""

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
from .choices import EventFormat
from .models import (
    HOLDS_PLACE,
    CoOrganiserInvitation,
    CoOrganiserStatus,
    EventPage,
    Rsvp,
    RsvpStatus,
)

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


def _attendance_for(event: EventPage, attendance: str | None) -> str:
    """The way of coming asked for, if the event offers it; else the event's first way (the only
    one, unless it is hybrid)."""
    ways = event.attendances
    return attendance if attendance in ways else ways[0]


def _places_free(*, event: EventPage, attendance: str, exclude: Rsvp | None = None) -> int | None:
    """Free places of one attendance, None for no limit. Needs the event lock."""
    capacity = event.capacity_for(attendance)
    if capacity is None:
        return None
    taken = event.rsvps.filter(status__in=HOLDS_PLACE, attendance=attendance)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return max(capacity - taken.count(), 0)


def _take_place_or_queue(*, event: EventPage, rsvp: Rsvp, offer: bool = False) -> None:
    """Give `rsvp` a place in its attendance (held for an answer if `offer`) when one is free,
    else the end of that waiting list. Needs the event lock.

    Anyone already waiting is offered a free place first, so that no one jumps the queue."""
    _offers_make(event=event, attendance=rsvp.attendance, exclude=rsvp)
    free = _places_free(event=event, attendance=rsvp.attendance, exclude=rsvp)
    now = timezone.now()
    if free == 0:
        rsvp.status, rsvp.offer_expires_at = RsvpStatus.WAITING, None
    elif offer:
        rsvp.status, rsvp.offer_expires_at = RsvpStatus.OFFERED, _offer_deadline(event, now)
    else:
        rsvp.status, rsvp.offer_expires_at = RsvpStatus.CONFIRMED, None
    rsvp.queued_at = now
    rsvp.cancelled_at = None
    rsvp.save(
        update_fields=["status", "attendance", "offer_expires_at", "queued_at", "cancelled_at"]
    )


def _offer_deadline(event: EventPage, now: dt.datetime) -> dt.datetime:
    # Never past the start: a place held beyond it would be held for nothing.
    return min(now + dt.timedelta(hours=settings.RSVP_OFFER_HOURS), event.start)


def _rsvp_get_or_start(
    *, event: EventPage, name: str, email: str, attendance: str, user=None
) -> Rsvp:
    rsvp, created = Rsvp.objects.get_or_create(
        event=event,
        email_normalised=email_canonical(email, gmail_dots=False),
        defaults={
            "name": name,
            "email": email.strip(),
            "user": user,
            "token": _new_token(),
            "attendance": attendance,
        },
    )
    # A reply not yet confirmed, or given up, may change its mind about how to come.
    if not created and rsvp.status in (RsvpStatus.CANCELLED, RsvpStatus.PENDING):
        rsvp.name, rsvp.status, rsvp.attendance = name, RsvpStatus.PENDING, attendance
        rsvp.offer_expires_at = None
        rsvp.save(update_fields=["name", "status", "attendance", "offer_expires_at"])
    if user is not None and rsvp.user_id is None:
        rsvp.user = user
        rsvp.save(update_fields=["user"])
    return rsvp


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def rsvp_request(*, event: EventPage, name: str, email: str, attendance: str | None = None) -> Rsvp:
    """Someone not signed in answers: nothing is held until they confirm from the email."""
    event = _event_lock(event.pk)
    attendance = _attendance_for(event, attendance)
    rsvp = _rsvp_get_or_start(event=event, name=name, email=email, attendance=attendance)
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
def rsvp_member(*, event: EventPage, user, attendance: str | None = None) -> Rsvp:
    """A signed-in member answers in one click; their address is already verified."""
    event = _event_lock(event.pk)
    name = user.get_full_name() or user.email
    rsvp = _rsvp_get_or_start(
        event=event,
        name=name,
        email=user.email,
        attendance=_attendance_for(event, attendance),
        user=user,
    )
    if rsvp.status == RsvpStatus.PENDING:
        _take_place_or_queue(event=event, rsvp=rsvp)
        _rsvp_email(rsvp=rsvp, kind="status")
    return rsvp


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp) -> Rsvp:
    """Give up a place, a held place or a place in the queue; a place given up is held for the
    longest waiting person of the same attendance."""
    event = _event_lock(rsvp.event_id)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    if rsvp.status == RsvpStatus.CANCELLED:
        return rsvp
    held_place = rsvp.status in HOLDS_PLACE
    rsvp.status = RsvpStatus.CANCELLED
    rsvp.cancelled_at = timezone.now()
    # Cleared, so that a held place let go is never mistaken for one that lapsed.
    rsvp.offer_expires_at = None
    rsvp.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    if held_place:
        _offers_make(event=event, attendance=rsvp.attendance)
    return rsvp


@transaction.atomic
def rsvp_offer_take(*, rsvp: Rsvp, now: dt.datetime | None = None) -> Rsvp:
    """The person a place is held for takes it. In time, it is theirs; past the deadline it
    lapses here and then, whether or not the beat task has come round to it yet."""
    event = _event_lock(rsvp.event_id)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    now = now or timezone.now()
    if rsvp.status != RsvpStatus.OFFERED:
        return rsvp
    if rsvp.offer_expires_at <= now:
        _offer_lapse(event=event, rsvp=rsvp, now=now)
        _offers_make(event=event, attendance=rsvp.attendance, now=now)
    elif event.takes_rsvps:
        rsvp.status, rsvp.offer_expires_at = RsvpStatus.CONFIRMED, None
        rsvp.save(update_fields=["status", "offer_expires_at"])
        _rsvp_email(rsvp=rsvp, kind="status")
    return rsvp


@transaction.atomic
def rsvp_move(*, rsvp: Rsvp, attendance: str) -> Rsvp:
    """An organiser moves someone between in person and online. They take a place in the other
    list if one is free (a held one, if they had not said yes to a place yet), else join the end
    of its waiting list; a place they leave is held for the next person waiting for it."""
    event = _event_lock(rsvp.event_id)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    movable = (*HOLDS_PLACE, RsvpStatus.WAITING)
    if (
        attendance not in event.attendances
        or attendance == rsvp.attendance
        or rsvp.status not in movable
    ):
        return rsvp
    left, held_place = rsvp.attendance, rsvp.status in HOLDS_PLACE
    rsvp.attendance = attendance
    _take_place_or_queue(event=event, rsvp=rsvp, offer=rsvp.status != RsvpStatus.CONFIRMED)
    if held_place:
        _offers_make(event=event, attendance=left)
    _rsvp_email(
        rsvp=rsvp, kind="offer" if rsvp.status == RsvpStatus.OFFERED else "status", moved=True
    )
    return rsvp


def _offers_make(
    *,
    event: EventPage,
    attendance: str,
    exclude: Rsvp | None = None,
    now: dt.datetime | None = None,
) -> list[Rsvp]:
    """Hold each free place of one attendance for the next person on its waiting list, and
    email them. Needs the event lock. Nothing is held once the event has started."""
    now = now or timezone.now()
    if not event.takes_rsvps or event.start <= now:
        return []
    waiting = event.rsvps.filter(status=RsvpStatus.WAITING, attendance=attendance).order_by(
        "queued_at", "pk"
    )
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    free = _places_free(event=event, attendance=attendance)
    if free is not None:
        waiting = waiting[:free]
    offered = list(waiting)
    for rsvp in offered:
        rsvp.status, rsvp.offer_expires_at = RsvpStatus.OFFERED, _offer_deadline(event, now)
        rsvp.save(update_fields=["status", "offer_expires_at"])
        _rsvp_email(rsvp=rsvp, kind="offer")
    return offered


def _offer_lapse(*, event: EventPage, rsvp: Rsvp, now: dt.datetime) -> None:
    """The deadline passed unanswered: the reply is cancelled, keeping its deadline as the mark
    of a place that lapsed. Not put back on the waiting list: someone who did not answer in
    time would otherwise be offered places, and hold them, again and again."""
    rsvp.status, rsvp.cancelled_at = RsvpStatus.CANCELLED, now
    rsvp.save(update_fields=["status", "cancelled_at"])
    # A cancelled or finished event has nothing left to offer or to explain.
    if event.takes_rsvps:
        _rsvp_email(rsvp=rsvp, kind="offer_lapsed")


def offers_lapse(*, now: dt.datetime | None = None) -> int:
    """Let go of held places whose deadline has passed and hold them for the next person.

    Each event's expired offers are read again under its lock, so two beat runs at once lapse
    each offer, and email its holder, once."""
    now = now or timezone.now()
    event_ids = (
        Rsvp.objects.filter(status=RsvpStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .distinct()
    )
    lapsed = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = _event_lock(event_id)
            expired = list(event.rsvps.filter(status=RsvpStatus.OFFERED, offer_expires_at__lte=now))
            for rsvp in expired:
                _offer_lapse(event=event, rsvp=rsvp, now=now)
            for attendance in sorted({rsvp.attendance for rsvp in expired}):
                _offers_make(event=event, attendance=attendance, now=now)
            lapsed += len(expired)
    return lapsed


@transaction.atomic
def waiting_lists_offer(*, event: EventPage) -> list[Rsvp]:
    """Hold any free places for those waiting: after an editor adds places, say."""
    event = _event_lock(event.pk)
    return [
        rsvp
        for attendance in event.attendances
        for rsvp in _offers_make(event=event, attendance=attendance)
    ]


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
        "take_url": settings.BASE_URL + reverse("events:rsvp_take", args=[rsvp.token]),
        "event_url": rsvp.event.absolute_url,
        # Their own calendar file: the full address and joining link once they hold a place.
        "ics_url": settings.BASE_URL + rsvp.calendar_path,
    }


def _rsvp_email(*, rsvp: Rsvp, kind: str, moved: bool = False) -> None:
    event = rsvp.event
    links = rsvp_links(rsvp)
    context = {
        "rsvp": rsvp,
        "event": event,
        "hybrid": event.format == EventFormat.HYBRID,
        "moved": moved,
        "offer_hours": settings.RSVP_OFFER_HOURS,
        # A private address and joining link only ever go to someone holding a place: the
        # address to those who come in person, the link to those who join online.
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
