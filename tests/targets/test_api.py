"""Targets in the public API, and the targets each demand is addressed to: bodies and counts,
never a person."""

import json

import pytest

from hub.factories import UserFactory
from targets.factories import TargetFactory

from .conftest import addressed, record

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_targets_with_their_pages_and_counts(client, target):
    record(target, answered=True)
    record(target, overdue=2)
    addressed(target, live=False)
    TargetFactory(name="UKCP", slug="ukcp", kind="professional-body")
    listing = get(client, "/api/v2/targets/")
    assert listing["meta"]["total_count"] == 2
    first = listing["items"][0]
    assert first == {
        "id": target.pk,
        "meta": {"type": "targets.Target",
                 "detail_url": f"http://localhost/api/v2/targets/{target.pk}/"},
        "name": "NHS England",
        "slug": "nhs-england",
        "kind": "nhs-body",
        "url": "http://testserver/targets/nhs-england/",
        "demand_count": 2,
        "delivery_count": 2,
        "answered_count": 1,
        "overdue_count": 1,
    }  # fmt: skip
    detail = get(client, f"/api/v2/targets/{target.pk}/")
    assert detail["description"] == "Leads the NHS in England."
    assert detail["website"] == "https://www.england.nhs.uk/"
    only = get(client, "/api/v2/targets/?kind=professional-body")
    assert [item["slug"] for item in only["items"]] == ["ukcp"]


@pytest.mark.parametrize(
    "query", ["?kind=minister", "find/?id=abc", "?order=demand_count", "?name=%00", "?what=1"]
)
def test_a_bad_filter_is_a_clear_400(client, target, query):
    response = client.get(f"/api/v2/targets/{query}")
    assert response.status_code == 400
    assert "message" in response.json()


def test_each_demand_names_its_targets_with_their_pages(client, target):
    other = TargetFactory(name="BACP", slug="bacp")
    demand = addressed(target, other)
    addressed(other)
    detail = get(client, f"/api/v2/demands/{demand.pk}/")
    assert "addressed_to" not in detail
    assert detail["targets"] == [
        {"name": "BACP", "slug": "bacp", "url": "http://testserver/targets/bacp/"},
        {"name": "NHS England", "slug": "nhs-england", "url": "http://testserver/targets/nhs-england/"},
    ]  # fmt: skip
    listing = get(client, "/api/v2/demands/?target=nhs-england&fields=targets")
    assert [item["id"] for item in listing["items"]] == [demand.pk]
    assert client.get("/api/v2/demands/?target=nobody").status_code == 400


def test_no_person_in_the_targets_api(client, target):
    recorder = UserFactory(email="recorder@hub.example", first_name="Rita", last_name="Recorder")
    delivery = record(target, answered=True, recorded_by=recorder)
    delivery.response.recorded_by = recorder
    delivery.response.save()
    text = json.dumps(
        [get(client, "/api/v2/targets/?fields=*"), get(client, f"/api/v2/targets/{target.pk}/"),
         get(client, f"/api/v2/demands/{delivery.demand.pk}/")]
    )  # fmt: skip
    assert "recorder@hub.example" not in text and "Recorder" not in text
    assert "recorded_by" not in text
