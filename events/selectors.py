"""Cross-relation reads: who organises which events, and who is coming."""

from django.db.models import Count, Q

from networks.models import Membership

from .models import EventPage, Rsvp, RsvpStatus


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


def events_with_rsvp_counts(events):
    return events.annotate(
        confirmed=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.CONFIRMED)),
        waiting=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITING)),
    )


def event_attendees(*, event: EventPage):
    """Everyone who confirmed their email: attendees, the waiting list, and who withdrew."""
    return (
        Rsvp.objects.filter(event=event)
        .exclude(status=RsvpStatus.PENDING)
        .order_by("status", "queued_at", "pk")
    )
