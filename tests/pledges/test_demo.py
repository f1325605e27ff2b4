import io

import pytest
from django.core.management import call_command

from pledges.models import Pledge, Pledger, PledgeStatus
from tests.campaigns.conftest import live_networks

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_open_pledge_near_its_threshold_and_a_bound_one():
    live_networks(2)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    near = Pledge.objects.get(status=PledgeStatus.OPEN)
    confirmed = near.pledgers.filter(confirmed_at__isnull=False)
    assert near.threshold - 5 <= confirmed.count() < near.threshold
    assert near.network is not None and near.bound_at is None
    assert confirmed.filter(show_name=True).exists() and confirmed.filter(show_name=False).exists()
    assert near.pledgers.filter(confirmed_at__isnull=True).exists()

    bound = Pledge.objects.get(status=PledgeStatus.BOUND)
    assert bound.network is None and bound.created_by is not None
    assert bound.pledgers.filter(confirmed_at__isnull=False).count() >= bound.threshold
    nth = bound.pledgers.filter(confirmed_at__isnull=False).order_by("confirmed_at")
    assert bound.bound_at == nth[bound.threshold - 1].confirmed_at

    assert Pledge.objects.count() == 2, "seeding again adds nothing"
    emails = Pledger.objects.values_list("email", "email_canonical")
    assert all(email.endswith("@example.org") and email == canonical for email, canonical in emails)
