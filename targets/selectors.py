"""Reads for the target pages and the API: only what published, public demands were sent and
answered. Query counts here do not grow with the number of targets, demands or deliveries."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from wagtail.search.backends import get_search_backend

from campaigns.models import DemandPage, DemandStatus
from campaigns.selectors import counts_set
from networks.models import NetworkPage

from .models import Delivery, Target

# Targets shown above the pages in site search: the few whose names match best.
TARGETS_IN_SEARCH = 5
ANSWERED = Q(response__isnull=False)
OVERDUE = Q(response__isnull=True, days_overdue__gt=0)


def public_demands():
    return DemandPage.objects.live().public()


def public_deliveries(demands=None):
    """Deliveries of published, public demands (`demands`, read again unless given: each read
    of which pages are public is a query): a draft's delivery is not news yet."""
    demands = public_demands() if demands is None else demands
    return Delivery.objects.filter(demand__in=demands.values("pk"))


def _per_target(rows, *, target_field: str, group_by: str):
    # Grouped on a column every counted row shares, so the subquery gives one row per target.
    counted = (
        rows.filter(**{target_field: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


def targets_with_counts() -> QuerySet[Target]:
    """Every target, by name, with how many public demands name it, and how many of their
    deliveries it has received, answered, and left overdue."""
    demands = public_demands()
    deliveries = public_deliveries(demands)
    return Target.objects.annotate(
        demand_count=_per_target(demands, target_field="targets", group_by="live"),
        delivery_count=_per_target(deliveries, target_field="target", group_by="target"),
        answered_count=_per_target(
            deliveries.filter(ANSWERED), target_field="target", group_by="target"
        ),
        overdue_count=_per_target(
            deliveries.filter(OVERDUE), target_field="target", group_by="target"
        ),
    ).order_by("name")


def _deliveries_to(target: Target, *, demands) -> list[Delivery]:
    networks = NetworkPage.objects.live().public().order_by("title")
    return list(
        public_deliveries(demands)
        .filter(target=target)
        .select_related("demand", "document", "response", "response__document")
        .prefetch_related(Prefetch("networks", queryset=networks))
        .order_by("-delivered_on", "-pk")
    )


def target_overview(*, target: Target) -> dict:
    """The demands addressed to `target` (open ones first, each with its count), what it has
    been sent, what it answered (latest first) and what it has left overdue (longest first)."""
    open_first = Case(
        When(status=DemandStatus.OPEN, then=0), default=1, output_field=IntegerField()
    )
    public = public_demands()
    demands = (
        public.filter(targets=target)
        .order_by(open_first, "-first_published_at")
        .prefetch_related("milestone_promises")
    )
    deliveries = _deliveries_to(target, demands=public)
    answered = [delivery for delivery in deliveries if hasattr(delivery, "response")]
    overdue = [
        delivery
        for delivery in deliveries
        if not hasattr(delivery, "response") and delivery.days_overdue > 0
    ]
    return {
        "demands": counts_set(demands),
        "deliveries": deliveries,
        "answered": sorted(
            answered,
            key=lambda delivery: (delivery.response.received_on, delivery.pk),
            reverse=True,
        ),
        "overdue": sorted(overdue, key=lambda delivery: delivery.days_overdue, reverse=True),
    }


def targets_matching(*, query: str) -> list[Target]:
    """The targets site search finds by name (Wagtail search: the index is kept on save)."""
    return list(get_search_backend().search(query, Target)[:TARGETS_IN_SEARCH])
