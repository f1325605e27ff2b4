import pytest
from wagtail.models import Page

from events.factories import EventPageFactory
from hub.models import Region


@pytest.fixture
def cafes(db):
    london = Region.objects.get(slug="london")
    return {
        "london": EventPageFactory(title="Workers' cafe in Hackney", region=london),
        "north": EventPageFactory(title="Workers' cafe in Leeds", town="Leeds"),
        "other": EventPageFactory(title="Public inquiry rally"),
    }


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_search_finds_events_by_their_words(client, cafes):
    assert titles(client.get("/api/v2/events/?search=cafe")) == [
        "Workers' cafe in Hackney",
        "Workers' cafe in Leeds",
    ]


def test_search_with_the_finder_s_filters_narrows_the_matches(client, cafes):
    assert titles(client.get("/api/v2/events/?search=cafe&region=london")) == [
        "Workers' cafe in Hackney"
    ]
    assert titles(client.get("/api/v2/events/?search=cafe&when=past&order=-start")) == []


def test_search_never_finds_an_unpublished_event(client, cafes):
    Page.objects.filter(pk=cafes["north"].pk).update(live=False)
    assert titles(client.get("/api/v2/events/?search=cafe")) == ["Workers' cafe in Hackney"]
