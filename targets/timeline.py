"""What the demand's timeline shows: launched, milestones reached, each delivery, and the answer
owed, given or overdue. A fixed number of queries however many deliveries or milestones."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.records import MilestonePromise, MilestoneReached

from .models import Delivery


class Step:
    LAUNCHED = "launched"
    MILESTONE = "milestone"
    DELIVERED = "delivered"
    DUE = "due"
    OVERDUE = "overdue"
    ANSWERED = "answered"


@dataclass
class TimelineItem:
    kind: str
    on: datetime.date
    delivery: Delivery | None = None
    count: int = 0
    promises: list[str] = field(default_factory=list)

    @property
    def response(self):
        return getattr(self.delivery, "response", None)


def demand_deliveries(*, demand) -> list[Delivery]:
    return list(
        Delivery.objects.filter(demand=demand)
        .select_related("target", "document", "response", "response__document")
        .prefetch_related("networks")
        .order_by("delivered_on", "pk")
    )


def demand_timeline(*, demand) -> list[TimelineItem]:
    """The demand's story in date order; on one day, in the order it happened."""
    items = []
    if demand.first_published_at:
        items.append(TimelineItem(Step.LAUNCHED, timezone.localdate(demand.first_published_at)))
    promises: dict[int, list[str]] = {}
    for count, promise in MilestonePromise.objects.filter(demand=demand).values_list(
        "count", "promise"
    ):
        promises.setdefault(count, []).append(promise)
    for reached in MilestoneReached.objects.filter(demand=demand).order_by("count"):
        items.append(
            TimelineItem(
                Step.MILESTONE,
                timezone.localdate(reached.reached_at),
                count=reached.count,
                promises=promises.get(reached.count, []),
            )
        )
    for delivery in demand_deliveries(demand=demand):
        items.append(TimelineItem(Step.DELIVERED, delivery.delivered_on, delivery=delivery))
        response = getattr(delivery, "response", None)
        if response is not None:
            items.append(TimelineItem(Step.ANSWERED, response.received_on, delivery=delivery))
        elif delivery.response_due:
            kind = Step.OVERDUE if delivery.days_overdue else Step.DUE
            items.append(TimelineItem(kind, delivery.response_due, delivery=delivery))
    order = [Step.LAUNCHED, Step.MILESTONE, Step.DELIVERED, Step.DUE, Step.OVERDUE, Step.ANSWERED]
    return sorted(items, key=lambda item: (item.on, order.index(item.kind)))
