"""Demo demands: the platform for an IAPT inquiry, addressed to the bodies that must answer
it, co-signed by the live networks and by thousands of confirmed members. Idempotent: what
exists is left as it is."""

import random
from datetime import timedelta

from django.utils import timezone

from hub.demo import demo_index
from hub.models import ContentPage, HomePage, Topic
from hub.roles import Role
from networks.models import NetworkPage

from . import selectors, services
from .models import (
    DemandIndexPage,
    DemandPage,
    Mandate,
    NetworkCoSignature,
    PlatformPage,
    Signature,
)

DEMANDS = [
    (
        "A public inquiry into IAPT",
        "public-inquiry-into-iapt",
        "Hold an independent public inquiry into the IAPT programme and what it has done to "
        "people who use services and the people who work in them.",
        ["iapt-and-talking-therapies", "service-user-voice"],
        3000,
    ),
    (
        "An end to recovery-rate targets",
        "end-recovery-rate-targets",
        "Stop judging services, and paying for them, by recovery-rate targets.",
        ["recovery-and-outcomes", "iapt-and-talking-therapies"],
        1800,
    ),
    (
        "De-link therapy from the benefits system",
        "de-link-therapy-from-benefits",
        "End the use of therapy as a condition of benefits and of employment outcomes.",
        ["benefits-and-welfare"],
        1400,
    ),
    (
        "Caps on daily caseloads",
        "caps-on-daily-caseloads",
        "Set safe, enforceable caps on the number of sessions a therapist sees in a day.",
        ["workforce-pay-and-conditions"],
        900,
    ),
    (
        "Honest published outcome data",
        "honest-outcome-data",
        "Publish outcome data that shows drop-outs, relapses and waits, not only recoveries.",
        ["recovery-and-outcomes", "data-and-privacy"],
        700,
    ),
    (
        "Fair pay and conditions",
        "fair-pay-and-conditions",
        "Pay therapists and trainees fairly, on secure contracts, with time for supervision.",
        ["workforce-pay-and-conditions"],
        1100,
    ),
]

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Eilidh",
    "Femi",
    "Gareth",
    "Hana",
    "Idris",
    "Jess",
    "Kwame",
    "Lowri",
    "Maya",
    "Niamh",
    "Omar",
    "Priya",
    "Rhys",
    "Sam",
    "Tariq",
    "Una",
    "Viktor",
    "Wen",
    "Yasmin",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Brown",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Ghosh",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kelly",
    "Lewis",
    "Murphy",
    "Nowak",
    "O'Neill",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Walsh",
    "Williams",
    "Young",
]
POSTCODES = [
    "SW1A 1AA", "E8 1DY", "M1 1AE", "LS1 4DY", "EH1 1YZ", "CF10 1EP", "BT1 5GS", "B1 1BB",
    "NE1 7RU", "BS1 4ST", "NR2 1TF", "NG1 5FS", "BN1 1UG", "G1 1XQ", "L1 8JQ", "SA1 1NW",
    "EX4 3SR", "S1 2HE", "OX1 1DP", "", "", "",
]  # fmt: skip
KINDS = (
    [Role.WORKER] * 4
    + [Role.SERVICE_USER] * 4
    + [
        Role.CARER,
        Role.OTHER,
    ]
)
SPREAD_DAYS = 90

HOW_SIGNATURES_COUNT_HEADING = "Signatures on demands"
HOW_SIGNATURES_COUNT = [
    ("heading", {"text": HOW_SIGNATURES_COUNT_HEADING, "level": "h2"}),
    (
        "paragraph",
        "<p>A signature counts once its signer has confirmed it by pressing the button on the "
        "page our email links to; an unconfirmed signature is deleted after 7 days. Each demand "
        "keeps a stored count, and every few seconds the signatures confirmed since are added "
        "to it in one batch. The number you see is the stored count plus the signatures "
        "confirmed since the last batch, so it is exact at every moment. Every night we count "
        "all the signatures again from scratch and correct the stored count if it ever "
        "differs.</p>",
    ),
    (
        "paragraph",
        "<p>Many signatures from one internet address or one email domain in a short time are "
        "kept but held, and not counted, until a moderator has checked them: forty people at a "
        "workers' cafe share one wifi, and we would rather count them late than refuse them. "
        "A withdrawn signature is deleted and leaves the count at once.</p>",
    ),
    (
        "paragraph",
        "<p>Regions come from the first half of a postcode, which is all we keep; where a "
        "postcode area crosses a border we count it where most of it lies.</p>",
    ),
]


HOW_VERSIONS_COUNT_HEADING = "Versions of a demand"
HOW_VERSIONS_COUNT = [
    ("heading", {"text": HOW_VERSIONS_COUNT_HEADING, "level": "h2"}),
    (
        "paragraph",
        "<p>A demand's wording is versioned: each published change to its ask or its case is "
        "the next version, and every version, with how it was agreed and what changed, is on "
        "the demand's history page. A network co-signs a version, with the mandate it decided "
        "by; when the wording changes, a network that signed an earlier version is shown as "
        "such until its admins confirm the new one or withdraw. Member signatures stay counted "
        "across versions, because people signed the ask.</p>",
    ),
    (
        "paragraph",
        "<p>Where networks say how many members they speak for, we add up only the figures "
        "given and say how many networks gave one: never a total for the whole coalition.</p>",
    ),
]

# The inquiry's second wording, as the hub's editors published it after the networks met.
INQUIRY_V2_ASK = (
    "Hold an independent public inquiry into the IAPT programme, its targets and waiting "
    "times, and what they have done to people who use services and the people who work in them."
)
INQUIRY_V2_CASE = (
    "Hold an independent public inquiry into the IAPT programme. Workers and service users have "
    "asked for it for years; the evidence is in their testimony.\n\n"
    "The inquiry must hear about waiting times as well as targets: people wait months for a "
    "first session, and longer for the therapy they were assessed as needing."
)
INQUIRY_V2_AGREED_BY = (
    "Changed by the hub's editors after the coalition meeting of 14 November 2026"
)
MANDATES = [Mandate.MEMBERS_MEETING, Mandate.COMMITTEE, Mandate.MEMBERS_VOTE, Mandate.OFFICERS]
MEMBERS = [1200, None, 350, 4800, None]


def seed_campaigns() -> dict[str, int]:
    index = demo_index(
        DemandIndexPage,
        title="Demands",
        slug="demands",
        intro="<p>What the coalition asks for, and who stands behind each demand.</p>",
    )

    platform = PlatformPage.objects.filter(slug="iapt-inquiry").first()
    if platform is None:
        platform = PlatformPage(
            title="Platform for an IAPT inquiry",
            slug="iapt-inquiry",
            intro="Six demands, co-signed by networks of workers and of people who use services.",
            body=[
                (
                    "paragraph",
                    "<p>IAPT turned therapy into a production line measured by recovery "
                    "rates. This platform asks for an inquiry and for the changes that "
                    "would let therapy be therapy again.</p>",
                )
            ],
        )
        index.add_child(instance=platform)
        platform.save_revision().publish()

    _explain_counting()
    networks = list(NetworkPage.objects.live().order_by("path"))
    demands = [
        _seed_demand(platform=platform, networks=networks, position=position, spec=spec)
        for position, spec in enumerate(DEMANDS)
    ]
    for offset, network in enumerate(networks):
        for position, demand in enumerate(demands):
            if (offset + position) % 3 != 2:
                NetworkCoSignature.objects.get_or_create(
                    network=network,
                    demand=demand,
                    defaults={
                        "statement": _statement(offset) if position == 0 else "",
                        "version": selectors.demand_version_current(demand=demand),
                        **_mandate(offset),
                    },
                )
    _reword_inquiry(demand=demands[0])
    _feature_on_home(demand=demands[0])
    return {
        "demands": DemandPage.objects.live().count(),
        "network co-signatures": NetworkCoSignature.objects.count(),
        "signatures": Signature.objects.count(),
    }


def _mandate(offset: int) -> dict:
    return {
        "mandate": MANDATES[offset % len(MANDATES)],
        "decided_on": timezone.localdate() - timedelta(days=30 + 9 * (offset % 20)),
        "members": MEMBERS[offset % len(MEMBERS)],
    }


def _reword_inquiry(*, demand: DemandPage) -> None:
    """The inquiry's second version, once; every other co-signing network has confirmed it,
    so the rest are still shown as having signed version 1."""
    if demand.versions.count() != 1:
        return
    version = services.demand_version_publish(
        demand=demand, ask=INQUIRY_V2_ASK, case_text=INQUIRY_V2_CASE,
        agreed_by=INQUIRY_V2_AGREED_BY,
    )  # fmt: skip
    cosignatures = list(NetworkCoSignature.objects.filter(demand=demand).order_by("network__path"))
    confirmed = [cosignature.pk for cosignature in cosignatures[1::2]]
    NetworkCoSignature.objects.filter(pk__in=confirmed).update(version=version)


def _feature_on_home(*, demand: DemandPage) -> None:
    """Lead the home page with the inquiry, unless an editor already chose a demand there."""
    home = HomePage.objects.get()
    sections = [(block.block_type, block.value) for block in home.body]
    featured = [value for kind, value in sections if kind == "featured_demand"]
    if not featured or any(value["demand"] for value in featured):
        return
    featured[0]["demand"] = demand
    home.body = sections
    home.save_revision().publish()


def _explain_counting() -> None:
    """Add how signatures are counted to the hub's "How we count" page, once."""
    page = ContentPage.objects.filter(slug="how-we-count").first()
    if page is None:
        return
    headings = [block.value["text"] for block in page.body if block.block_type == "heading"]
    sections = [
        blocks
        for heading, blocks in [
            (HOW_SIGNATURES_COUNT_HEADING, HOW_SIGNATURES_COUNT),
            (HOW_VERSIONS_COUNT_HEADING, HOW_VERSIONS_COUNT),
        ]
        if heading not in headings
    ]
    if not sections:
        return
    page.body = [(block.block_type, block.value) for block in page.body] + [
        block for blocks in sections for block in blocks
    ]
    page.save_revision().publish()


def _seed_demand(*, platform, networks, position, spec) -> DemandPage:
    title, slug, ask, topic_slugs, signers = spec
    demand = DemandPage.objects.filter(slug=slug).first()
    if demand is None:
        demand = DemandPage(
            title=title,
            slug=slug,
            ask=ask,
            case=[
                ("heading", {"text": "Why this matters", "level": "h2"}),
                (
                    "paragraph",
                    f"<p>{ask} Workers and service users have asked for it for "
                    "years; the evidence is in their testimony.</p>",
                ),
            ],  # fmt: skip
            milestones="500,1000,2500,5000,10000",
            deadline=timezone.localdate() + timedelta(days=120),
        )
        demand.topics = list(Topic.objects.filter(slug__in=topic_slugs))
        demand.proposing_networks = networks[position % max(len(networks), 1) :][:2]
        platform.add_child(instance=demand)
        demand.save_revision().publish()
    if not demand.signatures.exists():
        services.signature_bulk_create(
            demand=demand, rows=_signature_rows(count=signers, seed=position, networks=networks)
        )
    return demand


def _signature_rows(*, count, seed, networks) -> list[services.SignatureRow]:
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    now = timezone.now()
    rows = []
    for number in range(count):
        # Squaring the spread makes recent days busier, as a campaign grows.
        age = timedelta(days=SPREAD_DAYS * rng.random() ** 2, seconds=rng.randrange(86400))
        network = rng.choice(networks) if networks and rng.random() < 0.4 else None
        rows.append(
            services.SignatureRow(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"demo-signer-{number}@example.org",
                kind=rng.choice(KINDS),
                postcode=rng.choice(POSTCODES),
                affiliation_id=network.pk if network else None,
                show_name=rng.random() < 0.5,
                keep_updated=bool(network) and rng.random() < 0.5,
                confirmed_at=now - age,
            )
        )
    return rows


def _statement(offset: int) -> str:
    statements = [
        "Our members have lived with the targets. We want the truth told in public.",
        "Therapists cannot do good work at forty sessions a week.",
        "",
        "Nothing about us without us: service users must shape the inquiry.",
    ]
    return statements[offset % len(statements)]
