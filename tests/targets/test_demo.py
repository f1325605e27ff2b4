import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campaigns import selectors
from campaigns.models import DemandPage, MilestoneReached
from campaigns.tasks import sweep_milestones
from targets.models import Delivery, Target
from targets.workdays import working_days_between
from tests.campaigns.conftest import live_networks

pytestmark = pytest.mark.django_db


def test_the_demo_names_targets_delivers_and_keeps_its_milestones(
    client, django_capture_on_commit_callbacks
):
    live_networks(3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(Target.objects.values_list("slug", flat=True)) >= {
        "nhs-england", "dhsc", "bacp", "riverside-trust",
    }  # fmt: skip
    inquiry = DemandPage.objects.get(slug="public-inquiry-into-iapt")
    assert set(inquiry.targets.values_list("slug", flat=True)) == {"dhsc", "nhs-england"}
    promises = {p.count: (p.promise, p.target.slug) for p in inquiry.milestone_promises.all()}
    assert promises[10000] == ("deliver it to NHS England", "nhs-england")

    count = selectors.demand_count(demand=inquiry)
    passed = [m for m in inquiry.milestone_list if m <= count]
    assert passed and 10000 not in passed
    reached = MilestoneReached.objects.filter(demand=inquiry)
    assert sorted(reached.values_list("count", flat=True)) == passed
    assert all(row.reached_at < timezone.now() for row in reached)

    answered = Delivery.objects.get(demand__slug="end-recovery-rate-targets")
    assert answered.response.text and answered.days_overdue == 0
    assert answered.response.received_on <= answered.response_due
    overdue = Delivery.objects.get(demand=inquiry)
    assert not hasattr(overdue, "response") or overdue.response is None
    assert overdue.response_due < timezone.localdate()
    assert overdue.days_overdue == working_days_between(overdue.response_due, timezone.localdate())
    assert overdue.days_overdue > 0
    assert 0 < overdue.signature_count <= count
    assert overdue.networks.exists()

    html = client.get(inquiry.url).content.decode()
    assert "At 5,000 signatures we ask the Secretary of State to meet the networks." in html
    assert "<strong>10,000</strong> signatures: we deliver it to NHS England" in html
    assert "Reached on" in html

    # The demo's history is not news: the sweep emails nobody about it, and seeding again
    # changes nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_milestones.apply().get() == 0
        call_command("seed_demo", stdout=io.StringIO())
    assert not [m for m in mail.outbox if "signatures:" in m.subject]
    assert Delivery.objects.count() == 2
    assert MilestoneReached.objects.filter(demand=inquiry).count() == len(passed)
