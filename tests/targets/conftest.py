import datetime

import pytest
from django.contrib.auth.models import Group

from campaigns.factories import DemandPageFactory
from hub.factories import UserFactory
from targets.factories import DeliveryFactory, TargetFactory, TargetResponseFactory


@pytest.fixture
def demand(db):
    return DemandPageFactory(
        title="A public inquiry into IAPT",
        slug="inquiry",
        first_published_at=datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC),
    )


@pytest.fixture
def target(db):
    return TargetFactory(
        name="NHS England", slug="nhs-england", kind="nhs-body",
        description="Leads the NHS in England.", website="https://www.england.nhs.uk/",
    )  # fmt: skip


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def delivered(demand, target, moderator, **overrides):
    from targets import services

    arguments = {
        "demand": demand,
        "target": target,
        "signature_count": 120,
        "delivered_on": datetime.date(2026, 11, 2),
        "user": moderator,
        **overrides,
    }
    return services.delivery_record(**arguments)


def addressed(*targets, **kwargs):
    """A live demand addressed to `targets`."""
    return DemandPageFactory(targets=list(targets), **kwargs)


def record(target, *, demand=None, answered=False, overdue=0, **kwargs):
    """A delivery to `target` (of a new demand addressed to it unless given), answered or not."""
    demand = demand or addressed(target)
    delivery = DeliveryFactory(
        demand=demand, target=target, days_overdue=overdue,
        response_due=datetime.date(2026, 3, 2) if overdue else None, **kwargs,
    )  # fmt: skip
    if answered:
        TargetResponseFactory(delivery=delivery, received_on=datetime.date(2026, 3, 20))
    return delivery
