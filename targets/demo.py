"""Demo targets and what the demo demands have done with them: the bodies they are addressed
to, promises at their milestones, the milestones already passed, a delivery that was answered
and one whose answer is overdue. Idempotent: what exists is left as it is."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from campaigns import selectors
from campaigns.models import DemandPage, MilestonePromise, MilestoneReached, Signature
from campaigns.thresholds import milestone_key
from hub.models import Announcement
from networks.models import NetworkPage

from . import workdays
from .models import Delivery, DeliveryMethod, Target, TargetKind, TargetResponse
from .overdue import days_overdue

# name, slug, kind, description, website.
TARGETS = [
    (
        "Department of Health and Social Care",
        "dhsc",
        TargetKind.GOVERNMENT,
        "The government department that leads on health and social care in England; its "
        "Secretary of State answers to Parliament for the NHS.",
        "https://www.gov.uk/government/organisations/department-of-health-and-social-care",
    ),
    (
        "NHS England",
        "nhs-england",
        TargetKind.NHS_BODY,
        "Leads the NHS in England and commissions NHS Talking Therapies, the programme that "
        "was IAPT.",
        "https://www.england.nhs.uk/",
    ),
    (
        "Department for Work and Pensions",
        "dwp",
        TargetKind.GOVERNMENT,
        "Runs the benefits system, including the employment support that places therapists "
        "in job centres.",
        "https://www.gov.uk/government/organisations/department-for-work-pensions",
    ),
    (
        "British Association for Counselling and Psychotherapy",
        "bacp",
        TargetKind.PROFESSIONAL_BODY,
        "BACP: the largest professional body for counsellors and psychotherapists in the UK; "
        "it sets the ethical framework its members work to.",
        "https://www.bacp.co.uk/",
    ),
    (
        "UK Council for Psychotherapy",
        "ukcp",
        TargetKind.PROFESSIONAL_BODY,
        "UKCP: a professional body and register for psychotherapists and psychotherapeutic "
        "counsellors.",
        "https://www.psychotherapy.org.uk/",
    ),
    (
        "NHS Employers",
        "nhs-employers",
        TargetKind.NHS_BODY,
        "Speaks for NHS trusts as employers, and negotiates pay and conditions with the unions.",
        "https://www.nhsemployers.org/",
    ),
    (
        "Riverside Mental Health NHS Foundation Trust",
        "riverside-trust",
        TargetKind.TRUST,
        "A fictional trust that runs the talking therapies service in the demo.",
        "",
    ),
]
# Demand slug (campaigns.demo) to the slugs of the targets it is addressed to.
ADDRESSED = {
    "public-inquiry-into-iapt": ["dhsc", "nhs-england"],
    "end-recovery-rate-targets": ["nhs-england"],
    "de-link-therapy-from-benefits": ["dwp", "dhsc"],
    "caps-on-daily-caseloads": ["nhs-england", "bacp", "ukcp", "riverside-trust"],
    "honest-outcome-data": ["nhs-england"],
    "fair-pay-and-conditions": ["nhs-employers", "dhsc"],
}

INQUIRY = "public-inquiry-into-iapt"
# (count, promise, target slug) on the inquiry; the first is passed in the demo and delivered,
# the second is the next milestone on its bar.
INQUIRY_PROMISES = [
    (500, "hand it to the Department of Health and Social Care", "dhsc"),
    (5000, "ask the Secretary of State to meet the networks", "dhsc"),
    (10000, "deliver it to NHS England", "nhs-england"),
]
ANSWERED = "end-recovery-rate-targets"
ANSWERED_AGO = timedelta(days=60)
ANSWERED_IN = timedelta(days=24)
RESPONSE = (
    "<p>Thank you for your letter and the signatures that came with it. NHS Talking Therapies "
    "is moving from a single recovery rate to a wider set of measures, including reliable "
    "improvement and people's own reports of their experience. We will publish our plans for "
    "consultation in the spring and would welcome your networks' views.</p>"
)


def seed_targets() -> dict[str, int]:
    for name, slug, kind, description, website in TARGETS:
        Target.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "description": description, "website": website},
        )
    targets = {target.slug: target for target in Target.objects.all()}
    slugs = {*ADDRESSED, ANSWERED}
    demands = {demand.slug: demand for demand in DemandPage.objects.filter(slug__in=slugs)}
    for slug, demand in demands.items():
        _address(demand=demand, targets=[targets[s] for s in ADDRESSED.get(slug, [])])
    for demand in DemandPage.objects.all():
        _launched_before_signed(demand=demand)
        _milestones_passed(demand=demand)
    if ANSWERED in demands:
        _deliver_answered(demand=demands[ANSWERED], target=targets["nhs-england"])
    if INQUIRY in demands:
        _deliver_overdue(demand=demands[INQUIRY], target=targets["dhsc"])
    return {"targets": Target.objects.count(), "deliveries": Delivery.objects.count()}


def _address(*, demand: DemandPage, targets: list[Target]) -> None:
    """Add the demand's targets here and, on the inquiry, its promises: one publish, once."""
    missing = [target for target in targets if not demand.targets.filter(pk=target.pk).exists()]
    promising = demand.slug == INQUIRY and not demand.milestone_promises.exists()
    if not (missing or promising):
        return
    demand.targets = [*demand.targets.all(), *missing]
    if promising:
        by_slug = {target.slug: target for target in Target.objects.all()}
        demand.milestone_promises = [
            MilestonePromise(count=count, promise=promise, target=by_slug.get(slug))
            for count, promise, slug in INQUIRY_PROMISES
        ]
    demand.save_revision().publish()


def _launched_before_signed(*, demand: DemandPage) -> None:
    """The demo's signatures are dated back over weeks: its demands were launched before them,
    as their timelines say."""
    first = Signature.objects.filter(demand=demand).order_by("created_at").first()
    if (
        first is not None
        and demand.first_published_at
        and demand.first_published_at > first.created_at
    ):
        launched = first.created_at - timedelta(days=1)
        Page.objects.filter(pk=demand.pk).update(first_published_at=launched)


def _milestones_passed(*, demand: DemandPage) -> None:
    """Record the milestones the demo's signatures passed, on the day the signature that
    reached each was confirmed, as already announced: the demo's history is not news to email."""
    demand = DemandPage.objects.prefetch_related("milestone_promises").get(pk=demand.pk)
    count = selectors.demand_count(demand=demand)
    confirmed = Signature.objects.filter(selectors.COUNTED, demand=demand).order_by("confirmed_at")
    for milestone in demand.milestone_list:
        if milestone > count:
            break
        reached_at = confirmed.values_list("confirmed_at", flat=True)[milestone - 1]
        MilestoneReached.objects.get_or_create(
            demand=demand, count=milestone, defaults={"reached_at": reached_at}
        )
        Announcement.objects.get_or_create(key=milestone_key(demand_id=demand.pk, count=milestone))


def _count_on(demand: DemandPage, day: date) -> int:
    end = timezone.make_aware(datetime.combine(day, time.max))
    return Signature.objects.filter(selectors.COUNTED, demand=demand, confirmed_at__lte=end).count()


def _networks(demand: DemandPage) -> list[NetworkPage]:
    return list(NetworkPage.objects.live().filter(cosignatures__demand=demand).order_by("path")[:3])


def _moderator():
    return get_user_model().objects.filter(email=settings.DEMO_ADMIN_EMAIL).first()


def _deliver(*, demand: DemandPage, target: Target, delivered_on: date, **fields) -> Delivery:
    due = workdays.response_due(delivered_on)
    delivery = Delivery.objects.create(
        demand=demand,
        target=target,
        delivered_on=delivered_on,
        signature_count=_count_on(demand, delivered_on),
        response_due=due,
        **fields,
        recorded_by=_moderator(),
    )
    delivery.networks.set(_networks(demand))
    return delivery


def _deliver_answered(*, demand: DemandPage, target: Target) -> None:
    if Delivery.objects.filter(demand=demand, target=target).exists():
        return
    today = timezone.localdate()
    delivery = _deliver(
        demand=demand,
        target=target,
        delivered_on=today - ANSWERED_AGO,
        method=DeliveryMethod.EMAIL,
        note="Emailed to the national director for mental health, with the networks' letter.",
    )
    TargetResponse.objects.create(
        delivery=delivery,
        received_on=today - ANSWERED_AGO + ANSWERED_IN,
        text=RESPONSE,
        recorded_by=delivery.recorded_by,
    )


def _deliver_overdue(*, demand: DemandPage, target: Target) -> None:
    """Delivered the day after it passed its first promised milestone, as promised; no answer
    has come, and the days overdue are counted as beat counts them."""
    if Delivery.objects.filter(demand=demand, target=target).exists():
        return
    first = INQUIRY_PROMISES[0][0]
    reached = MilestoneReached.objects.filter(demand=demand, count=first).first()
    if reached is None:
        return
    delivered_on = timezone.localdate(reached.reached_at) + timedelta(days=1)
    delivery = _deliver(
        demand=demand,
        target=target,
        delivered_on=delivered_on,
        method=DeliveryMethod.IN_PERSON,
        note="Handed in at the department's offices by members of three networks.",
    )
    delivery.days_overdue = days_overdue(delivery.response_due, today=timezone.localdate())
    delivery.save(update_fields=["days_overdue"])
