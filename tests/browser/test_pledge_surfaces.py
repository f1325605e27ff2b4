"""Pledges and deliveries where they are shown outside their own pages, in a real browser: the
home page, a topic's page and a network's page pass axe at a phone's width and a desktop's."""

import pytest
from playwright.sync_api import expect

from campaigns.factories import DemandPageFactory
from hub.factories import TopicFactory
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from pledges.models import PledgeStatus
from tests.browser.conftest import assert_accessible_at_both_widths
from tests.home.conftest import publish_home_sections
from tests.pledges.seed import delivery, pledge, pledgers, target

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pledges_and_deliveries_on_the_home_topic_and_network_pages(page, live_server):
    topic = TopicFactory(name="Waiting lists")
    network = NetworkPageFactory(
        parent=NetworkIndexPageFactory(parent=HomePage.objects.get()), title="Nurses Together"
    )
    near = pledge(action="refuse unpaid overtime", threshold=50, network=network, topics=[topic])
    pledgers(near, confirmed=46)
    pledge(action="log every breach of the waiting time", threshold=200, topics=[topic], days=60)
    pledgers(pledge(action="join the union", status=PledgeStatus.BOUND, network=network),
             confirmed=12)  # fmt: skip
    demand = DemandPageFactory(title="A public inquiry into IAPT")
    demand.proposing_networks.set([network])
    demand.save_revision().publish()
    delivery(demand=demand, to=target("NHS England"), responded=True)
    delivery(demand=demand, to=target("Department of Health and Social Care"), days_overdue=3)
    publish_home_sections()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Pledges")).to_be_visible()
    expect(page.get_by_text("46 of 50 pledged")).to_be_visible()
    assert_accessible_at_both_widths(page)

    page.goto(live_server.url + topic.get_absolute_url())
    expect(page.get_by_role("heading", name="Open pledges")).to_be_visible()
    assert_accessible_at_both_widths(page)

    page.goto(live_server.url + network.url)
    expect(page.get_by_role("heading", name="Demands delivered")).to_be_visible()
    expect(page.get_by_text("3 days overdue")).to_be_visible()
    assert_accessible_at_both_widths(page)
