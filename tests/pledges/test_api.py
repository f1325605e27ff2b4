"""Pledges in the API, and deliveries on the demands endpoint: public records and numbers
only, filters that validate, and a flat number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.factories import DemandPageFactory
from hub.factories import TopicFactory
from networks.factories import NetworkPageFactory
from pledges.models import PledgeStatus

from .seed import delivery, pledge, pledgers, target

pytestmark = pytest.mark.django_db


def items(client, query="") -> list[dict]:
    response = client.get(f"/api/v2/pledges/?fields=*{query}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_the_pledges_endpoint_lists_public_pledges_only_with_their_confirmed_counts(client):
    network, topic = NetworkPageFactory(slug="nurses"), TopicFactory(slug="staffing")
    shown = {}
    for status in PledgeStatus:
        made = pledge(status=status, network=network, topics=[topic], threshold=40)
        pledgers(made, confirmed=3, unconfirmed=2)
        shown[status] = made
    found = {item["slug"]: item for item in items(client)}
    public = {PledgeStatus.OPEN, PledgeStatus.BOUND, PledgeStatus.LAPSED}
    assert set(found) == {shown[status].slug for status in public}
    item = found[shown[PledgeStatus.OPEN].slug]
    assert item["pledged_count"] == 3 and item["threshold"] == 40
    assert item["status"] == "open" and item["audience"] == "anyone"
    assert item["network"] == {"id": network.pk, "title": network.title, "slug": "nurses"}
    assert item["topics"] == ["staffing"] and item["bound_at"] is None
    assert item["url"] == f"http://testserver/pledges/{item['slug']}/"
    assert item["deadline"] == shown[PledgeStatus.OPEN].deadline.isoformat()
    detail = client.get(f"/api/v2/pledges/{shown[PledgeStatus.PENDING].pk}/")
    assert detail.status_code == 404


def test_the_pledges_endpoint_filters_by_status_topic_and_network(client):
    network, topic = NetworkPageFactory(slug="unite"), TopicFactory(slug="pay")
    by_network = pledge(network=network)
    on_topic = pledge(topics=[topic])
    bound = pledge(status=PledgeStatus.BOUND)
    assert [i["slug"] for i in items(client, "&network=unite")] == [by_network.slug]
    assert [i["slug"] for i in items(client, "&topic=pay")] == [on_topic.slug]
    assert [i["slug"] for i in items(client, "&status=bound")] == [bound.slug]


@pytest.mark.parametrize(
    "query", ["status=pending", "status=nonsense", "topic=no-such-topic", "network=nowhere",
              "pledgers=1", "email=a@b.example", "order=pledgers", "status=%00"],
)  # fmt: skip
def test_bad_pledge_filters_are_a_400(client, query):
    response = client.get(f"/api/v2/pledges/?{query}")
    assert response.status_code == 400
    assert "message" in response.json()


def test_the_pledges_endpoint_takes_the_same_queries_however_many(client):
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            items(client, "&limit=20")
        return len(queries)

    pledgers(pledge(topics=[TopicFactory()], network=NetworkPageFactory()), confirmed=2)
    small = counted()
    for _ in range(12):
        pledgers(pledge(topics=[TopicFactory()], network=NetworkPageFactory()), confirmed=2)
    assert counted() == small


def test_demands_carry_their_deliveries_and_where_each_answer_stands(client):
    demand = DemandPageFactory()
    nhs = target("NHS England")
    answered = delivery(demand=demand, to=nhs, responded=True)
    overdue = delivery(demand=demand, days_overdue=4)
    body = client.get(f"/api/v2/demands/{demand.pk}/").json()
    rows = {row["target"]["slug"]: row for row in body["deliveries"]}
    row = rows[nhs.slug]
    assert row["target"]["name"] == "NHS England"
    assert row["responded"] is True
    assert row["received_on"] == answered.response.received_on.isoformat()
    assert row["delivered_on"] == answered.delivered_on.isoformat()
    assert row["method"] == "email" and row["signature_count"] == 1200
    assert row["response_due"] == answered.response_due.isoformat()
    late = rows[overdue.target.slug]
    assert late["responded"] is False and late["received_on"] is None
    assert late["days_overdue"] == 4
    assert "recorded_by" not in row and "note" not in row


def test_demands_deliveries_take_the_same_queries_however_many(client):
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v2/demands/?fields=deliveries&limit=20")
        assert response.status_code == 200
        return len(queries)

    delivery(demand=DemandPageFactory(), responded=True)
    counted()  # Warms the caches every request after the first finds warm.
    small = counted()
    for n in range(8):
        demand = DemandPageFactory()
        for _ in range(3):
            delivery(demand=demand, responded=n % 2 == 0)
    assert counted() == small
