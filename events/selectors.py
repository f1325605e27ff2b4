"""Cross-relation reads: who organises which events, and who is coming."""

from django.db.models import Count

from networks.models import Membership

from .choices import Attendance
from .models import HOLDS_PLACE, EventPage, Rsvp, RsvpStatus


def user_sees_all_attendees(user) -> bool:
    # Hub moderators hold the model permission; network members only see their own events.
    return user.is_active and (user.is_superuser or user.has_perm("events.view_rsvp"))


def events_organised_by(*, user):
    """The events whose attendees `user` may see: their networks' events, or all for moderators."""
    events = EventPage.objects.select_related("organising_network").order_by("-start", "pk")
    if user_sees_all_attendees(user):
        return events
    if not user.is_active:
        return events.none()
    networks = Membership.objects.filter(user=user).values("network_id")
    return events.filter(organising_network_id__in=networks)


def event_lists(*, event: EventPage) -> list[dict]:
    """Per way of coming: its places, and how many are confirmed, held and waiting, in one
    query."""
    rows = (
        Rsvp.objects.filter(event=event, status__in=[*HOLDS_PLACE, RsvpStatus.WAITING])
        .order_by()
        .values("attendance", "status")
        .annotate(count=Count("pk"))
    )
    counts = {(row["attendance"], row["status"]): row["count"] for row in rows}
    # Replies left in a way the event no longer offers (its format changed) are shown too, to
    # be moved.
    ways = [*event.attendances]
    ways += sorted({attendance for attendance, _ in counts} - set(ways))
    return [
        {
            "label": Attendance(attendance).label,
            "capacity": event.capacity_for(attendance),
            "confirmed": counts.get((attendance, RsvpStatus.CONFIRMED), 0),
            "held": counts.get((attendance, RsvpStatus.OFFERED), 0),
            "waiting": counts.get((attendance, RsvpStatus.WAITING), 0),
        }
        for attendance in ways
    ]


def event_attendees(*, event: EventPage):
    """Everyone who confirmed their email: attendees, the waiting list, and who withdrew."""
    return (
        Rsvp.objects.filter(event=event)
        .exclude(status=RsvpStatus.PENDING)
        .order_by("status", "queued_at", "pk")
    )
