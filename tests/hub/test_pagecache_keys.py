"""Cached pages and feeds are keyed by the filters they read, so made-up query strings cannot
fill Redis with copies of the same page."""

import secrets

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from events.factories import EventIndexPageFactory, EventPageFactory
from events.forms import EventFilterForm
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from networks.forms import DirectoryFilterForm

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def stored_keys(prefix: str) -> list[str]:
    return list(cache.iter_keys(f"{prefix}*", itersize=1000))


def random_parameters() -> str:
    return f"utm_{secrets.token_hex(3)}={secrets.token_hex(8)}&fbclid={secrets.token_hex(8)}"


@pytest.fixture
def cached_pages():
    home = HomePage.objects.get()
    directory = NetworkIndexPageFactory(parent=home)
    network = NetworkPageFactory(parent=directory)
    finder = EventIndexPageFactory(parent=home)
    EventPageFactory(parent=network, event_type="debate")
    return [home.url, directory.url, network.url, finder.url, f"{finder.url}?type=debate"]


def test_random_unknown_parameters_make_at_most_one_entry_per_page(cached_pages):
    client = Client()
    for url in cached_pages:
        assert client.get(url).status_code == 200
    assert len(stored_keys("page:")) == len(cached_pages)
    separator = {url: "&" if "?" in url else "?" for url in cached_pages}
    for number in range(200):
        url = cached_pages[number % len(cached_pages)]
        response = client.get(f"{url}{separator[url]}{random_parameters()}")
        assert response.status_code == 200
    assert len(stored_keys("page:")) == len(cached_pages), "no page stored twice"


def test_a_filter_shares_its_entry_whatever_else_the_url_holds(cached_pages):
    finder = cached_pages[3]
    first = Client().get(f"{finder}?type=debate&utm_source=newsletter")
    assert first.status_code == 200
    assert stored_keys("page:") == [], "a page made for unknown parameters is not stored"
    Client().get(f"{finder}?format=&type=debate")
    assert len(stored_keys("page:")) == 1, "empty filters are no filters"
    for url in [f"{finder}?type=debate", f"{finder}?x=1&type=debate", f"{finder}?type=debate&q="]:
        Client().get(url)
    assert len(stored_keys("page:")) == 1, "one entry for the one filter"


@pytest.mark.parametrize(
    "query",
    ["type=garbage", "page=0", "page=1", "page=999", "region=nowhere", "type=debate&type=meeting",
     "q=a+free+text+search", "date_from=yesterday"],
)  # fmt: skip
def test_a_value_the_filters_refuse_or_a_text_search_makes_no_entry(cached_pages, query):
    finder = cached_pages[3]
    for _ in range(3):
        assert Client().get(f"{finder}?{query}").status_code == 200
    assert stored_keys("page:") == []


def test_the_directory_stores_only_filters_that_validate(cached_pages):
    directory = cached_pages[1]
    assert Client().get(f"{directory}?kind=union&ref={secrets.token_hex(4)}").status_code == 200
    assert Client().get(f"{directory}?query=mind").status_code == 200
    assert Client().get(f"{directory}?kind=nonsense").status_code == 400
    assert stored_keys("page:") == []
    assert Client().get(f"{directory}?kind=union").status_code == 200
    assert len(stored_keys("page:")) == 1


def test_the_finder_feed_is_keyed_by_the_filters_that_validated(cached_pages):
    feed = "/events/calendar.ics"
    for query in ["", "type=garbage", random_parameters(), "x=1&region=nowhere"]:
        assert Client().get(f"{feed}?{query}").status_code == 200
    assert len(stored_keys("content:*:finder-feed:")) == 1, "all of them are the unfiltered feed"
    for query in ["type=debate", f"type=debate&{random_parameters()}"]:
        assert b"BEGIN:VEVENT" in Client().get(f"{feed}?{query}").content
    assert len(stored_keys("content:*:finder-feed:")) == 2
    for _ in range(3):
        Client().get(f"{feed}?q={secrets.token_hex(8)}")


def test_the_finder_feed_is_answered_from_the_page_cache_before_the_page_tree_is_walked(
    cached_pages, django_assert_num_queries
):
    feed = "/events/calendar.ics?type=debate"
    first = Client().get(feed)
    with django_assert_num_queries(0):
        again = Client().get(feed)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    with django_assert_num_queries(0):
        assert Client().get(f"{feed}&{random_parameters()}").status_code == 200


def test_every_parameter_a_cached_page_reads_is_in_its_key():
    """A parameter missing here would be served another filter's page."""
    read = {"page", *EventFilterForm.base_fields, *DirectoryFilterForm.base_fields}
    assert read <= settings.PAGE_CACHE_PARAMETERS
