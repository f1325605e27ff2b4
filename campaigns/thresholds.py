"""Milestones reached: each recorded once, whichever confirmation got the count there first,
and announced once to the hub's moderators and the signers who asked to be kept updated.

Above the page models, as it reads their milestones and promises; the tasks call it, after
every change that can raise a count (`services._count_raised`) and from beat's sweep, which
catches whatever a lost task missed. Withdrawals never take a milestone back.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from hub.addresses import email_canonical
from hub.announcements import announce
from hub.cache import content_changed
from hub.emails import email_render
from hub.models import Announcement
from hub.moderators import moderator_emails
from hub.outbox import task_publish

from .models import DemandPage
from .records import MilestoneReached, Signature
from .selectors import COUNTED, demand_count, with_counts
from .services import signature_email

# A milestone recorded longer ago than this and never announced is history, not news: the sweep
# leaves it (lost tasks are found within minutes; demo and imported milestones are older).
ANNOUNCE_WITHIN = timedelta(days=2)
# Imported when it is queued, by name: the tasks module imports this one.
ANNOUNCE_TASK = "campaigns.tasks.announce_milestone"


def milestone_key(*, demand_id: int, count: int) -> str:
    return f"milestone:{demand_id}:{count}"


def milestones_record(*, demand_id: int) -> list[int]:
    """Record each milestone of the demand that its exact count has reached and that no one has
    recorded yet; returns those this call recorded, whose announcements it queues."""
    demand = DemandPage.objects.filter(pk=demand_id).prefetch_related("milestone_promises").first()
    if demand is None:
        return []
    count = demand_count(demand=demand_id)
    passed = [milestone for milestone in demand.milestone_list if milestone <= count]
    recorded = set(
        MilestoneReached.objects.filter(demand_id=demand_id, count__in=passed).values_list(
            "count", flat=True
        )
    )
    created = []
    for milestone in passed:
        if milestone in recorded:
            continue
        try:
            # A concurrent call may insert the same row: the constraint lets one of them win.
            with transaction.atomic():
                _row, new = MilestoneReached.objects.get_or_create(
                    demand_id=demand_id, count=milestone
                )
        except IntegrityError:
            continue
        if new:
            created.append(milestone)
    if created:
        content_changed()
        transaction.on_commit(lambda: _announce_queue(demand_id=demand_id, counts=created))
    return created


def _announce_queue(*, demand_id: int, counts: list[int]) -> None:
    task = import_string(ANNOUNCE_TASK)
    for count in counts:
        task_publish(task, kwargs={"demand_id": demand_id, "count": count})


def milestones_record_all() -> int:
    """Beat's sweep: record what the tasks missed, for the demands whose count has passed a
    milestone with no record (three queries, then work only for those)."""
    demands = with_counts(DemandPage.objects.all()).prefetch_related("milestone_promises")
    reached: dict[int, set[int]] = {}
    for demand_id, count in MilestoneReached.objects.values_list("demand_id", "count"):
        reached.setdefault(demand_id, set()).add(count)
    behind = [
        demand.pk
        for demand in demands
        if any(
            milestone <= demand.signature_count and milestone not in reached.get(demand.pk, ())
            for milestone in demand.milestone_list
        )
    ]
    return sum(len(milestones_record(demand_id=demand_id)) for demand_id in behind)


def milestones_announce_missed() -> int:
    """Beat's sweep: announce the milestones recorded lately whose announcement never ran."""
    recent = MilestoneReached.objects.filter(reached_at__gte=timezone.now() - ANNOUNCE_WITHIN)
    keys = {
        milestone_key(demand_id=demand_id, count=count): (demand_id, count)
        for demand_id, count in recent.values_list("demand_id", "count")
    }
    announced = set(Announcement.objects.filter(key__in=keys).values_list("key", flat=True))
    missed = [pair for key, pair in keys.items() if key not in announced]
    for demand_id, count in missed:
        milestone_announce(demand_id=demand_id, count=count)
    return len(missed)


def milestone_announce(*, demand_id: int, count: int) -> int | None:
    """Tell moderators and the demand's confirmed keep-me-updated signers, once each, that it
    reached `count`, with what is promised there; the number of emails, or None if told before."""
    demand = DemandPage.objects.filter(pk=demand_id).prefetch_related("milestone_promises").first()
    if demand is None or not MilestoneReached.objects.filter(demand=demand, count=count).exists():
        return None
    context = {
        "demand": demand,
        "count": count,
        "promise": demand.milestone_promise_texts.get(count, ""),
        "demand_url": settings.BASE_URL + demand.url,
    }
    return announce(
        key=milestone_key(demand_id=demand_id, count=count),
        messages=_milestone_messages(demand=demand, context=context),
    )


def _milestone_messages(*, demand: DemandPage, context: dict):
    """Each signer's email with their own withdraw link, then each moderator who is not among
    them: one email per canonical address."""
    sent: set[str] = set()
    signers = (
        Signature.objects.filter(COUNTED, demand=demand, keep_updated=True)
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for signature in signers:
        if signature.email_canonical in sent:
            continue
        sent.add(signature.email_canonical)
        signature.demand = demand
        yield signature_email(
            signature=signature, template_prefix="campaigns/emails/milestone", **context
        )
    message = email_render(template_prefix="campaigns/emails/milestone", context=context)
    for email in moderator_emails():
        canonical = email_canonical(email)
        if canonical not in sent:
            sent.add(canonical)
            yield {**message, "to": [email]}
