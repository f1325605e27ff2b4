"""Demo members who follow networks and topics and take the digest, and a subscriber without an
account; safe to run again."""

from django.utils import timezone

from campaigns.models import DemandPage
from campaigns.services import signature_create
from events.models import Booking, EventPage
from events.services import rsvp_member
from hub.demo import demo_person
from hub.models import Region, Topic
from hub.roles import Role
from networks.models import NetworkPage

from . import services
from .models import DigestFrequency, MemberPreferences

DEMO_MEMBERS = [
    ("ada.reader@free-association.example", "Ada", "daily"),
    ("bea.reader@free-association.example", "Bea", "weekly"),
    ("cal.reader@free-association.example", "Cal", "weekly"),
]
DEMO_SUBSCRIBER = "dee.subscriber@free-association.example"
# The member whose home (/account/) the README's screenshots show: a follow, an RSVP and a
# signature, so no section of it is empty.
DEMO_MEMBER_HOME = DEMO_MEMBERS[0][0]


def seed_digest() -> dict[str, int]:
    networks = list(NetworkPage.objects.live().order_by("pk")[:3])
    topics = list(Topic.objects.order_by("pk")[:3])
    regions = list(Region.objects.order_by("sort_order")[:2])
    for number, (email, first_name, frequency) in enumerate(DEMO_MEMBERS):
        user = demo_person(email, first_name=first_name)
        services.preferences_update(
            user=user,
            digest_frequency=frequency,
            networks=networks[number:],
            topics=topics[: number + 1],
            regions=regions,
        )
        if email == DEMO_MEMBER_HOME:
            _take_part(user)
    # Created confirmed: the demo has nobody to click a confirmation link.
    subscription, _ = MemberPreferences.objects.get_or_create(
        email=DEMO_SUBSCRIBER,
        user=None,
        defaults={"digest_frequency": DigestFrequency.WEEKLY, "confirmed_at": timezone.now()},
    )
    subscription.topics.set(topics[1:])
    subscription.regions.set(regions[:1])
    return {"digest members": len(DEMO_MEMBERS), "digest subscribers": 1}


def _take_part(user) -> None:
    """The soonest event taking RSVPs and the first demand, answered and signed in one click as
    a member does (each is a no-op once done)."""
    event = (
        EventPage.objects.live().upcoming().filter(booking=Booking.RSVP, cancelled=False).first()
    )
    if event is not None:
        rsvp_member(event=event, user=user)
    demand = DemandPage.objects.live().order_by("path").first()
    if demand is not None:
        signature_create(
            demand=demand,
            name=user.get_full_name() or user.email,
            email=user.email,
            kind=Role.SERVICE_USER,
            user=user,
            confirmed=True,
        )
