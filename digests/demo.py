"""Demo members who follow networks and topics and take the digest, and a subscriber without an
account; safe to run again."""

from django.utils import timezone

from hub.demo import demo_person
from hub.models import Region, Topic
from networks.models import NetworkPage

from . import services
from .models import DigestFrequency, MemberPreferences

DEMO_MEMBERS = [
    ("ada.reader@free-association.example", "Ada", "daily"),
    ("bea.reader@free-association.example", "Bea", "weekly"),
    ("cal.reader@free-association.example", "Cal", "weekly"),
]
DEMO_SUBSCRIBER = "dee.subscriber@free-association.example"


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
    # Created confirmed: the demo has nobody to click a confirmation link.
    subscription, _ = MemberPreferences.objects.get_or_create(
        email=DEMO_SUBSCRIBER,
        user=None,
        defaults={"digest_frequency": DigestFrequency.WEEKLY, "confirmed_at": timezone.now()},
    )
    subscription.topics.set(topics[1:])
    subscription.regions.set(regions[:1])
    return {"digest members": len(DEMO_MEMBERS), "digest subscribers": 1}
