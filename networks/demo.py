"""Demo networks, all fictional, made through the same services as real ones. Idempotent."""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from hub.demo import demo_index, demo_person
from hub.models import Region, Topic

from . import approval, services
from .models import (
    ApplicationStatus,
    Membership,
    MembershipRole,
    NetworkApplication,
    NetworkIndexPage,
    NetworkKind,
    NetworkPage,
    PositionPage,
    name_key,
)

# name, kind, region slugs, topic slugs, founded, about
NETWORKS = [
    ("Tyneside Voices in Mental Health", NetworkKind.SERVICE_USER, ["north-east"],
     ["service-user-voice", "community-services"], 2011,
     "People who use mental-health services in Newcastle, Gateshead and the Tyne valley, "
     "meeting monthly to shape the services we use."),
    ("Northern Counsellors' Alliance", NetworkKind.THERAPISTS,
     ["north-west", "yorkshire-and-the-humber"],
     ["counselling-and-psychotherapy", "iapt-and-talking-therapies"], 2016,
     "Counsellors and psychotherapists across the North defending relational, open-ended "
     "therapy."),
    ("Union of Talking Therapy Workers", NetworkKind.UNION, [],
     ["workforce-pay-and-conditions", "iapt-and-talking-therapies"], 2019,
     "A trade union branch for psychological wellbeing practitioners, high-intensity "
     "therapists and counsellors in NHS Talking Therapies."),
    ("Midlands Mental Health Nurses Forum", NetworkKind.PROFESSIONAL,
     ["east-midlands", "west-midlands"], ["workforce-pay-and-conditions", "crisis-care"], 2008,
     "Community and ward nurses comparing notes on staffing, restraint and crisis care."),
    ("Harbour Peer Support Circle", NetworkKind.PEER_SUPPORT, ["south-west"],
     ["recovery-and-outcomes", "community-services"], 2014,
     "Weekly peer-support circles in coastal towns of Devon and Cornwall."),
    ("Campaign Against Therapy Targets", NetworkKind.CAMPAIGN, [],
     ["recovery-and-outcomes", "iapt-and-talking-therapies", "benefits-and-welfare"], 2020,
     "Campaigning against recovery-rate targets and therapy tied to employment outcomes."),
    ("Fenland Mind Matters Trust", NetworkKind.THIRD_SECTOR, ["east-of-england"],
     ["community-services", "children-and-young-people"], 2002,
     "A small charity running drop-ins and befriending across the Fens."),
    ("London Social Workers for Mental Health", NetworkKind.PROFESSIONAL, ["london"],
     ["equality-and-anti-racism", "community-services"], 2012,
     "Approved mental-health professionals and social workers organising across London "
     "boroughs."),
    ("Clyde Survivors Network", NetworkKind.SERVICE_USER, ["scotland"],
     ["service-user-voice", "equality-and-anti-racism"], 2009,
     "Survivors of the psychiatric system in Glasgow and the west of Scotland."),
    ("Rhwydwaith Lles Cymru", NetworkKind.PEER_SUPPORT, ["wales"],
     ["service-user-voice", "crisis-care"], 2017,
     "A bilingual peer network for wellbeing across Wales. Rhwydwaith cymheiriaid dwyieithog."),
    ("Lagan Therapists Collective", NetworkKind.THERAPISTS, ["northern-ireland"],
     ["counselling-and-psychotherapy", "data-and-privacy"], 2018,
     "Psychotherapists in Belfast and beyond working on confidentiality and trauma care."),
    ("Downs and Weald Carers Group", NetworkKind.OTHER, ["south-east"],
     ["children-and-young-people", "crisis-care"], 2013,
     "Parents and carers of young people using CAMHS in Sussex and Kent."),
    ("Public Therapy Not Profit", NetworkKind.CAMPAIGN, ["london", "south-east"],
     ["privatisation-and-outsourcing", "data-and-privacy"], 2021,
     "Campaigning to keep NHS mental-health care public, accountable and free of app vendors."),
]  # fmt: skip

POSITION_TEMPLATES = [
    ("For a public inquiry into IAPT", "iapt-and-talking-therapies",
     "We call for an independent public inquiry into what the IAPT programme has done to "
     "therapy, to the people who use it and to the people who work in it."),
    ("Safe caseloads now", "workforce-pay-and-conditions",
     "No worker should carry a caseload that makes good care impossible: we back enforceable "
     "caseload limits."),
    ("Nothing about us without us", "service-user-voice",
     "Services must be shaped by the people who use them, from commissioning onwards, not "
     "consulted after the fact."),
    ("End therapy tied to benefits", "benefits-and-welfare",
     "Therapy must never be a condition of receiving benefits, nor be judged by employment "
     "outcomes."),
]  # fmt: skip

STRAPLINES = {
    "Tyneside Voices in Mental Health": "Service users shaping the services we use",
    "Northern Counsellors' Alliance": "Defending relational therapy across the North",
    "Union of Talking Therapy Workers": "The union for NHS Talking Therapies staff",
    "Midlands Mental Health Nurses Forum": "Nurses speaking up on staffing and crisis care",
    "Harbour Peer Support Circle": "Peer support in the coastal towns of the South West",
    "Campaign Against Therapy Targets": "Care, not recovery-rate targets",
    "Fenland Mind Matters Trust": "Drop-ins and befriending across the Fens",
    "Clyde Survivors Network": "Survivors of psychiatry, organising in the west of Scotland",
    "Public Therapy Not Profit": "Keep NHS mental-health care public",
}
LOGO_EVERY = 3  # every third demo network has a logo; the others show their initials
LOGO_COLOURS = ["#1f5f8b", "#2e6b30", "#9a3412", "#6b3fa0", "#0f5e5e"]


def _logo(number: int) -> ContentFile:
    """A plain drawn logo, so the demo directory shows logos beside initials."""
    colour = LOGO_COLOURS[number % len(LOGO_COLOURS)]
    image = Image.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((56, 56, 200, 200), outline="white", width=18)
    draw.rectangle((118, 20, 138, 236), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="logo.png")


# Waits in the admin, so moderators have something to review.
PENDING = (
    "Solent Student Wellbeing Network",
    NetworkKind.PEER_SUPPORT,
    "south-east",
    "Students and recent graduates around Southampton and Portsmouth running peer groups.",
)

EDITORS_FOR = 3  # the first networks each get one editor besides their admin
DEMO_DOMAIN = "demo.free-association.example"


def _directory() -> NetworkIndexPage:
    return demo_index(
        NetworkIndexPage,
        title="Networks",
        slug="networks",
        intro="<p>The coalition's member networks: find one near you or on what you care "
        "about.</p>",
    )


def _network(moderator, number, name, kind, regions, topics, founded, about) -> NetworkPage:
    existing = NetworkPage.objects.filter(name_key=name_key(name)).first()
    if existing is not None:
        return existing
    slug = name_key(name)[:30]
    applicant = demo_person(f"admin.{slug}@{DEMO_DOMAIN}", first_name="Admin")
    application = NetworkApplication.objects.filter(
        name_key=name_key(name), status=ApplicationStatus.PENDING
    ).first() or services.network_application_create(
        applicant=applicant,
        name=name,
        kind=kind,
        strapline=STRAPLINES.get(name, ""),
        logo=_logo(number) if number % LOGO_EVERY == 0 else None,
        description=f"{about}\n\nThis network is fictional: it exists only in the demo.",
        website=f"https://{slug}.example",
        public_contact_email=f"hello@{slug}.example",
        regions=Region.objects.filter(slug__in=regions),
        topics=Topic.objects.filter(slug__in=topics),
        founded_year=founded,
        how_to_join="Come to any meeting, or write to us.",
    )
    network = approval.network_approve(application=application, moderator=moderator)
    if number < EDITORS_FOR:
        editor = demo_person(f"editor.{slug}@{DEMO_DOMAIN}", first_name="Editor")
        invitation = services.invitation_create(
            network=network, email=editor.email, role=MembershipRole.EDITOR, invited_by=applicant
        )
        services.invitation_accept(token=services.invitation_token(invitation), user=editor)
    return network


def _positions(network: NetworkPage, number: int) -> None:
    if network.get_children().exists():
        return
    count = 2 + number % 3
    for offset in range(count):
        title, topic_slug, summary = POSITION_TEMPLATES[(number + offset) % len(POSITION_TEMPLATES)]
        position = PositionPage(
            title=title,
            summary=summary,
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number * 7 + offset * 30),
            topics=list(Topic.objects.filter(slug=topic_slug)),
            body=[
                ("paragraph", f"<p>{summary}</p>"),
                ("heading", {"text": "What we ask for", "level": "h2"}),
                (
                    "paragraph",
                    "<p>We ask the coalition's other networks to co-sign, and decision-makers to "
                    "meet the people affected.</p>",
                ),
                (
                    "call_to_action",
                    {
                        "title": "Get involved",
                        "text": f"Find out how to join {network.title}.",
                        "link_text": "Visit the network",
                        "link": {"page": network, "external_url": ""},
                    },
                ),
            ],
        )
        network.add_child(instance=position)
        position.save_revision(user=network.owner).publish()


def seed_networks() -> dict[str, int]:
    moderator = get_user_model().objects.get(email=settings.DEMO_ADMIN_EMAIL)
    _directory()
    for number, spec in enumerate(NETWORKS):
        network = _network(moderator, number, *spec)
        _positions(network, number)
    name, kind, region, about = PENDING
    if not NetworkApplication.objects.filter(name_key=name_key(name)).exists():
        services.network_application_create(
            applicant=demo_person(f"applicant.solent@{DEMO_DOMAIN}", first_name="Applicant"),
            name=name,
            kind=kind,
            description=about,
            regions=Region.objects.filter(slug=region),
        )
    return {
        "networks": NetworkPage.objects.live().count(),
        "applications waiting": NetworkApplication.objects.filter(
            status=ApplicationStatus.PENDING
        ).count(),
        "memberships": Membership.objects.count(),
        "positions": PositionPage.objects.live().count(),
    }
