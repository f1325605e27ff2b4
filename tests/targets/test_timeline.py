import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.records import MilestonePromise, MilestoneReached
from targets import overdue, services, workdays
from targets.models import Target
from tests.campaigns.conftest import live_networks

from .conftest import delivered

pytestmark = pytest.mark.django_db


def timeline(client, demand) -> str:
    html = client.get(demand.url).content.decode()
    start = html.index('<section class="timeline"')
    return html[start : html.index("</section>", start)]


def test_before_delivery_the_timeline_says_so(client, demand):
    section = timeline(client, demand)
    assert "Launched" in section
    assert "Not delivered to anyone yet." in section


def test_the_timeline_tells_the_story_in_order(client, demand, target, moderator):
    MilestonePromise.objects.create(
        demand=demand, count=100, promise="At 100 we deliver to NHS England"
    )
    MilestoneReached.objects.create(demand=demand, count=100)
    network = live_networks(1)[0]
    # Delivered today, so its answer is not overdue whenever the test runs.
    today = timezone.localdate()
    delivery = delivered(
        demand, target, moderator, delivered_on=today, networks=[network],
        method="in-person", note="Handed to the chief executive's office.",
    )  # fmt: skip
    due = date_format(workdays.response_due(today), "j F Y")
    section = timeline(client, demand)
    assert section.index("Launched") < section.index("Delivered to")
    assert "100 signatures reached</strong>: At 100 we deliver to NHS England" in section
    assert "handed in person, with 120 signatures and 1 network: " + network.title in section
    assert 'href="/targets/nhs-england/"' in section
    assert f"Response due</strong> from NHS England by {due}" in section
    assert "<ol" in section and "Not delivered" not in section
    services.response_record(
        delivery=delivery, received_on=today,
        text="<p>We will look into it.</p>", user=moderator,
    )  # fmt: skip
    section = timeline(client, demand)
    assert "Response received</strong> from NHS England" in section
    assert "We will look into it." in section
    assert "Response due" not in section


def test_an_overdue_answer_shows_its_working_days(client, demand, target, moderator):
    friday = datetime.date(2026, 11, 27)
    delivered(demand, target, moderator, response_due=friday)
    overdue.days_overdue_count(today=datetime.date(2026, 12, 1))
    section = timeline(client, demand)
    assert "Response overdue" in section
    assert "2 working days overdue." in section
    overdue.days_overdue_count(today=datetime.date(2026, 11, 30))
    assert "1 working day overdue." in timeline(client, demand)


def test_the_timeline_takes_as_many_queries_for_many_deliveries(client, demand, target, moderator):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(demand.url).status_code == 200
        return len(captured)

    networks = live_networks(2)
    delivered(demand, target, moderator, networks=networks[:1])
    queries()  # The first request makes the site's settings.
    few = queries()
    for n in range(5):
        other = Target.objects.create(name=f"Trust {n}", slug=f"trust-{n}")
        delivery = delivered(demand, other, moderator, networks=networks)
        services.response_record(delivery=delivery, text="<p>Yes.</p>", user=moderator)
        MilestoneReached.objects.create(demand=demand, count=1000 * (n + 1))
    after = queries()
    assert after == few
