"""Demo events: the finder at /events/ and a few months of meetings. Idempotent by slug."""

import datetime as dt
import secrets

from django.utils import timezone
from django.utils.text import slugify

from hub.addresses import email_canonical
from hub.demo import demo_index
from hub.models import Region, Topic
from networks.models import NetworkKind, NetworkPage

from .choices import LONDON, Attendance, Booking, ClosedGroup, EventFormat, EventType
from .models import AccessFeature, EventIndexPage, EventPage, Rsvp, RsvpStatus
from .services import event_create

ONLINE_URL = "https://meet.example.org/free-association"

# (title, type, format, town, region slug, venue, days ahead, start hour, hours, topic slug)
EVENTS = [
    ("Workers' cafe: Manchester", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Manchester",
     "north-west", "Friends Meeting House", 3, 18, 2, "workforce-pay-and-conditions"),
    ("Is IAPT fixable? A debate", EventType.DEBATE, EventFormat.HYBRID, "London", "london",
     "Conway Hall", 5, 19, 2, "iapt-and-talking-therapies"),
    ("Peer-support facilitation training", EventType.TRAINING, EventFormat.ONLINE, "", "", "",
     6, 10, 3, "service-user-voice"),
    ("Workers' cafe: Leeds", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Leeds",
     "yorkshire-and-the-humber", "Leeds Civic Hall", 8, 18, 2, "workforce-pay-and-conditions"),
    ("Sanctions and therapy: welfare rights meeting", EventType.MEETING, EventFormat.ONLINE, "",
     "", "", 9, 19, 1, "benefits-and-welfare"),
    ("Crisis care in Wales: open meeting", EventType.MEETING, EventFormat.IN_PERSON, "Cardiff",
     "wales", "Temple of Peace", 11, 18, 2, "crisis-care"),
    ("Rest and resistance retreat", EventType.RETREAT, EventFormat.IN_PERSON, "Hebden Bridge",
     "yorkshire-and-the-humber", "Hebden Bridge Town Hall", 14, 10, 30, "community-services"),
    ("Counsellors' alliance AGM", EventType.MEETING, EventFormat.HYBRID, "Birmingham",
     "west-midlands", "The Priory Rooms", 16, 14, 3, "counselling-and-psychotherapy"),
    ("Workers' cafe: Glasgow", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Glasgow",
     "scotland", "Kinning Park Complex", 17, 18, 2, "workforce-pay-and-conditions"),
    ("Outcome measures: what they hide", EventType.DEBATE, EventFormat.ONLINE, "", "", "",
     19, 19, 2, "recovery-and-outcomes"),
    ("Rally for a public inquiry into IAPT", EventType.PROTEST, EventFormat.IN_PERSON, "London",
     "london", "Parliament Square", 21, 12, 2, "iapt-and-talking-therapies"),
    ("CAMHS waiting lists: parents and workers", EventType.MEETING, EventFormat.HYBRID,
     "Bristol", "south-west", "The Trinity Centre", 23, 18, 2, "children-and-young-people"),
    ("Anti-racist practice in mental health", EventType.TRAINING, EventFormat.IN_PERSON,
     "Nottingham", "east-midlands", "Nottingham Contemporary", 25, 10, 6,
     "equality-and-anti-racism"),
    ("Workers' cafe: Newcastle", EventType.WORKERS_CAFE, EventFormat.IN_PERSON,
     "Newcastle upon Tyne", "north-east", "The Lit and Phil", 28, 18, 2,
     "workforce-pay-and-conditions"),
    ("Privatisation of talking therapies", EventType.CONFERENCE, EventFormat.HYBRID, "London",
     "london", "Friends House", 31, 10, 7, "privatisation-and-outsourcing"),
    ("Digital therapy and your data", EventType.MEETING, EventFormat.ONLINE, "", "", "", 33, 19,
     1, "data-and-privacy"),
    ("Social: winter get-together", EventType.SOCIAL, EventFormat.IN_PERSON, "Norwich",
     "east-of-england", "The Belgian Monk", 35, 19, 3, "community-services"),
    ("Workers' cafe: Belfast", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Belfast",
     "northern-ireland", "Belfast Unemployed Resource Centre", 38, 18, 2,
     "workforce-pay-and-conditions"),
    ("Service users organising: a skills day", EventType.TRAINING, EventFormat.IN_PERSON,
     "Brighton", "south-east", "Brighthelm Centre", 41, 10, 6, "service-user-voice"),
    ("Should therapy be tied to employment?", EventType.DEBATE, EventFormat.HYBRID, "Sheffield",
     "yorkshire-and-the-humber", "Quaker Meeting House", 44, 19, 2, "benefits-and-welfare"),
    ("Workers' cafe: online", EventType.WORKERS_CAFE, EventFormat.ONLINE, "", "", "", 46, 19, 1,
     "workforce-pay-and-conditions"),
    ("Scotland network assembly", EventType.CONFERENCE, EventFormat.IN_PERSON, "Edinburgh",
     "scotland", "Augustine United Church", 50, 10, 7, "community-services"),
    ("Crisis houses: alternatives to admission", EventType.MEETING, EventFormat.ONLINE, "", "",
     "", 53, 18, 2, "crisis-care"),
    ("Nurses' and social workers' joint meeting", EventType.MEETING, EventFormat.IN_PERSON,
     "Liverpool", "north-west", "News From Nowhere", 56, 18, 2, "workforce-pay-and-conditions"),
    ("Relational therapy: a day of practice", EventType.TRAINING, EventFormat.IN_PERSON,
     "Oxford", "south-east", "Oxford Town Hall", 60, 10, 6, "counselling-and-psychotherapy"),
    ("Workers' cafe: Cardiff", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Cardiff",
     "wales", "Chapter Arts Centre", 64, 18, 2, "workforce-pay-and-conditions"),
    ("Spring retreat for peer supporters", EventType.RETREAT, EventFormat.IN_PERSON, "Keswick",
     "north-west", "Keswick Quaker Meeting House", 70, 10, 48, "service-user-voice"),
    ("Young people's mental health summit", EventType.CONFERENCE, EventFormat.HYBRID,
     "Leicester", "east-midlands", "Leicester Adult Education College", 75, 10, 6,
     "children-and-young-people"),
    ("March for mental-health services", EventType.PROTEST, EventFormat.IN_PERSON, "Manchester",
     "north-west", "All Saints Park", 80, 12, 3, "community-services"),
    ("Data sharing in care: teach-in", EventType.TRAINING, EventFormat.ONLINE, "", "", "", 85, 18,
     2, "data-and-privacy"),
    ("Workers' cafe: Plymouth", EventType.WORKERS_CAFE, EventFormat.IN_PERSON, "Plymouth",
     "south-west", "Plymouth Guildhall", 90, 18, 2, "workforce-pay-and-conditions"),
    ("Coalition assembly: the year ahead", EventType.CONFERENCE, EventFormat.HYBRID, "York",
     "yorkshire-and-the-humber", "York Explore Library", 100, 10, 6,
     "iapt-and-talking-therapies"),
]  # fmt: skip

# A small peer group's meeting: only people with a place learn where the room is.
PEER_GROUP = {
    "title": "Hearing voices peer group: Plymouth",
    "slug": "hearing-voices-peer-group-plymouth",
    "event_type": EventType.MEETING,
    "format": EventFormat.IN_PERSON,
    "venue": "The back room at Ebb and Flow",
    "address": "4 Looe Street\nBarbican",
    "town": "Plymouth",
    "postcode": "PL4 0EA",
    "address_private": True,
    "in_person_capacity": 10,
    "search_description": "A closed, peer-led group for people who hear voices. The address is "
    "sent to people with a place.",
}

# The hybrid event whose two lists are both in use: some people with places and some waiting,
# in the room and online. (name, attendance, status), in the order they replied.
HYBRID_EVENT = "is-iapt-fixable-a-debate"
HYBRID_PLACES = {"in_person_capacity": 3, "online_capacity": 2}
HYBRID_REPLIES = [
    ("Amina Okafor", Attendance.IN_PERSON, RsvpStatus.CONFIRMED),
    ("Tom Barker", Attendance.ONLINE, RsvpStatus.CONFIRMED),
    ("Priya Shah", Attendance.IN_PERSON, RsvpStatus.CONFIRMED),
    ("Siân Griffiths", Attendance.ONLINE, RsvpStatus.CONFIRMED),
    ("Dev Patel", Attendance.IN_PERSON, RsvpStatus.CONFIRMED),
    ("Morag Campbell", Attendance.IN_PERSON, RsvpStatus.WAITING),
    ("Kwame Mensah", Attendance.ONLINE, RsvpStatus.WAITING),
    ("Ellie Firth", Attendance.IN_PERSON, RsvpStatus.WAITING),
]

ACCESSIBILITY = "Tell us a week before if anything else would help you come: we will try."
# What the demo's rooms offer (access and safety features, by slug); every third room has an
# interpreter booked and a hearing loop, and every other online event live captions.
ROOM_FEATURES = ["step-free", "accessible-toilet", "quiet-room", "bsl-on-request"]


def seed_events() -> dict[str, int]:
    index = demo_index(
        EventIndexPage,
        title="Events",
        slug="events",
        intro="<p>Workers' cafes, debates, training and retreats near you and online.</p>",
    )

    networks = list(NetworkPage.objects.live().order_by("path"))
    regions = {region.slug: region for region in Region.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    today = timezone.localtime(timezone.now(), LONDON).date()
    features = {feature.slug: feature for feature in AccessFeature.objects.all()}

    for number, row in enumerate(EVENTS):
        title, event_type, event_format, town, region, venue, days, hour, hours, topic = row
        slug = slugify(title)
        if EventPage.objects.filter(slug=slug).exists():
            continue
        parent = networks[number % len(networks)] if networks else index
        start = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=LONDON)
        event_create(
            parent=parent,
            title=title,
            slug=slug,
            start=start,
            end=start + dt.timedelta(hours=hours),
            event_type=event_type,
            format=event_format,
            venue=venue,
            town=town,
            region=regions.get(region),
            online_url=ONLINE_URL if event_format != EventFormat.IN_PERSON else "",
            online_url_public=number % 4 == 0,
            accessibility=ACCESSIBILITY if event_format != EventFormat.ONLINE else "",
            access_features=_features(features, number, event_format),
            cost="£5 waged, free unwaged" if event_type == EventType.CONFERENCE else "",
            booking=Booking.NONE if event_type == EventType.PROTEST else Booking.RSVP,
            **_places(event_type, event_format),
            cancelled=number == 9,
            description=[
                (
                    "paragraph",
                    "<p>Open to workers, people who use services and carers. Come as you are; "
                    "there is tea.</p>",
                )
            ],
            topics=[topics[topic]] if topic in topics else [],
        )

    seed_peer_group(index=index, networks=networks, regions=regions, topics=topics, today=today)

    seed_hybrid_lists()
    return {
        "events": EventPage.objects.live().count(),
        "upcoming events": EventPage.objects.live().upcoming().count(),
    }


def seed_peer_group(*, index, networks, regions, topics, today) -> None:
    if EventPage.objects.filter(slug=PEER_GROUP["slug"]).exists():
        return
    peer_support = [network for network in networks if network.kind == NetworkKind.PEER_SUPPORT]
    parent = (peer_support or networks or [index])[0]
    start = dt.datetime.combine(today + dt.timedelta(days=6), dt.time(18), tzinfo=LONDON)
    topic = topics.get("service-user-voice")
    event_create(
        parent=parent,
        start=start,
        end=start + dt.timedelta(hours=2),
        region=regions.get("south-west"),
        booking=Booking.RSVP,
        topics=[topic] if topic else [],
        access_features=list(
            AccessFeature.objects.filter(slug__in=["peer-led", "trauma-informed", "step-free"])
        ),
        closed_group=ClosedGroup.SERVICE_USERS,
        description=[("paragraph", "<p>Come for tea and a chat; nobody has to speak.</p>")],
        **PEER_GROUP,
    )


def _features(features: dict, number: int, event_format: str) -> list:
    if event_format == EventFormat.ONLINE:
        slugs = ["live-captions"] if number % 2 == 0 else []
    elif number % 3 == 0:
        slugs = [*ROOM_FEATURES[:-1], "bsl-booked", "hearing-loop"]
    else:
        slugs = ROOM_FEATURES
    return [features[slug] for slug in slugs if slug in features]


def _places(event_type: str, event_format: str) -> dict:
    if event_type != EventType.WORKERS_CAFE:
        return {}
    if event_format == EventFormat.ONLINE:
        return {"online_capacity": 12}
    return {"in_person_capacity": 12}


def seed_hybrid_lists() -> None:
    """Both lists of one hybrid event in use. Replies are stored as they stand: the demo has
    nobody to follow the confirmation links, and no one to email."""
    event = EventPage.objects.live().filter(slug=HYBRID_EVENT).first()
    if event is None:
        return
    if any(getattr(event, field) != value for field, value in HYBRID_PLACES.items()):
        for field, value in HYBRID_PLACES.items():
            setattr(event, field, value)
        event.save_revision().publish()
    start = timezone.now() - dt.timedelta(days=len(HYBRID_REPLIES))
    for number, (name, attendance, status) in enumerate(HYBRID_REPLIES):
        email = f"{slugify(name)}@free-association.example"
        Rsvp.objects.get_or_create(
            event=event,
            email_normalised=email_canonical(email, gmail_dots=False),
            defaults={
                "name": name,
                "email": email,
                "attendance": attendance,
                "status": status,
                "token": secrets.token_urlsafe(32),
                "queued_at": start + dt.timedelta(days=number),
            },
        )
