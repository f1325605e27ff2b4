"""The anonymous page cache: what it stores, what it never stores, and what stays live."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from campaigns.factories import DemandPageFactory, SignatureFactory
from hub.factories import UserFactory
from hub.models import HomePage
from tests.campaigns.conftest import confirm

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COUNT = re.compile(r'demand-count__number">([\d,]+)<')


def test_a_cached_demand_page_keeps_its_count_live_and_gives_each_visitor_a_csrf_token():
    demand = DemandPageFactory()
    SignatureFactory.create_batch(2, demand=demand)
    first = Client().get(demand.url)
    assert COUNT.search(first.content.decode()).group(1) == "2"

    confirm(SignatureFactory(demand=demand, confirmed_at=None))
    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        second = visitor.get(demand.url)
    html = second.content.decode()
    assert len(queries) <= 2, "served from the cache: only the count is read"
    assert COUNT.search(html).group(1) == "3", "the confirmation shows at once"
    with CaptureQueriesContext(connection) as queries:
        third = Client().get(demand.url)
    assert len(queries) == 0, "within the second, the count is shared between readers"
    assert COUNT.search(third.content.decode()).group(1) == "3"
    token = CSRF.search(html).group(1)
    assert token != CSRF.search(first.content.decode()).group(1)
    assert "csrftoken" in second.cookies
    assert "Cookie" in second["Vary"]

    signed = visitor.post(
        demand.url,
        {"csrfmiddlewaretoken": token, "name": "Ada", "email": "ada@gmail.com", "kind": "worker"},
    )
    assert signed.status_code == 200, "the token filled into the cached page is accepted"
    assert b"Check your email" in signed.content


def test_a_signed_in_members_page_is_neither_stored_nor_served_from_the_cache():
    home = HomePage.objects.get()
    member = UserFactory(email="member@example.org")
    signed_in = Client()
    signed_in.force_login(member)

    assert b"Sign out" in signed_in.get(home.url).content
    anonymous = Client().get(home.url).content
    assert b"Sign out" not in anonymous and b"Sign in" in anonymous
    assert b"Sign out" in signed_in.get(home.url).content, "not given the anonymous copy"


def test_publishing_a_page_shows_at_once():
    home = HomePage.objects.get()
    assert b"A new heading" not in Client().get(home.url).content
    home.heading = "A new heading"
    home.save_revision().publish()
    assert b"A new heading" in Client().get(home.url).content


def test_a_visitor_with_messages_waiting_is_not_served_the_cache():
    home = HomePage.objects.get()
    Client().get(home.url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as queries:
        visitor.get(home.url)
    assert len(queries) > 0, "rendered for this visitor, not taken from the cache"


def test_sub_routes_such_as_the_counts_endpoint_are_not_page_cached():
    demand = DemandPageFactory()
    client = Client()
    client.get(f"{demand.url}names/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{demand.url}names/")
    assert len(queries) > 2


def test_an_expired_page_is_rendered_by_one_request_while_the_others_get_the_stale_copy(
    monkeypatch,
):
    monkeypatch.setattr("hub.pagecache.PAGE_CACHE_SECONDS", -1)  # stored already past fresh
    home = HomePage.objects.get()
    Client().get(home.url)

    def queries_for_one_visit():
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(home.url).status_code == 200
        return len(queries)

    assert queries_for_one_visit() > 0, "the first to find it stale renders it again"
    assert queries_for_one_visit() == 0, "while that render holds the lock, the stale copy"
    home.heading = "Published since"
    home.save_revision().publish()
    assert b"Published since" in Client().get(home.url).content, "a publish is never stale"


def test_a_page_made_private_leaves_the_cache_at_once():
    demand = DemandPageFactory()
    assert Client().get(demand.url).status_code == 200
    PageViewRestriction.objects.create(page=demand, restriction_type=PageViewRestriction.LOGIN)
    response = Client().get(demand.url)
    assert response.status_code == 302, "sent to log in, not given the cached public copy"
