import datetime

import pytest
from django.contrib.auth.models import Group

from campaigns.factories import DemandPageFactory
from hub.factories import UserFactory
from targets.models import Target


@pytest.fixture
def demand(db):
    return DemandPageFactory(
        title="A public inquiry into IAPT",
        slug="inquiry",
        first_published_at=datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC),
    )


@pytest.fixture
def target(db):
    return Target.objects.create(name="NHS England", slug="nhs-england")


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
