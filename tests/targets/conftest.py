import datetime as dt

import pytest

from campaigns.factories import DemandPageFactory
from targets.factories import DeliveryFactory, TargetFactory, TargetResponseFactory


@pytest.fixture
def target(db):
    return TargetFactory(
        name="NHS England", slug="nhs-england", kind="nhs-body",
        description="Leads the NHS in England.", website="https://www.england.nhs.uk/",
    )  # fmt: skip


def addressed(*targets, **kwargs):
    """A live demand addressed to `targets`."""
    return DemandPageFactory(targets=list(targets), **kwargs)


def record(target, *, demand=None, answered=False, overdue=0, **kwargs):
    """A delivery to `target` (of a new demand addressed to it unless given), answered or not."""
    demand = demand or addressed(target)
    delivery = DeliveryFactory(
        demand=demand, target=target, days_overdue=overdue,
        response_due=dt.date(2026, 3, 2) if overdue else None, **kwargs,
    )  # fmt: skip
    if answered:
        TargetResponseFactory(delivery=delivery, received_on=dt.date(2026, 3, 20))
    return delivery
