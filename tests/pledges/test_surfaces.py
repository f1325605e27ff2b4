"""Pledges and deliveries where they are shown outside their own pages: the home page, topic
pages, network pages and the digest, each in a flat number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.factories import DemandPageFactory
from campaigns.models import NetworkCoSignature
from digests.factories import MemberPreferencesFactory
from hub.cache import content_changed
from hub.factories import TopicFactory
from networks.factories import NetworkPageFactory
from pledges.models import PledgeStatus
from tests.digests.test_selectors import one_digest, run_digest
from tests.home.conftest import publish_home_sections

from .seed import delivery, pledge, pledgers, target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    # Counted and compared on each visit: the anonymous page cache would answer from memory.
    monkeypatch.setattr("hub.pagecache._anonymous", lambda request: False)


def html_of(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries_on_second_visit(url: str) -> int:
    client = Client()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Home -----------------------------------------------------------------------------------
def test_the_home_page_shows_open_pledges_most_pressing_first_with_their_counts():
    later = pledge(action="strike for a day", days=40, threshold=100)
    sooner = pledge(action="refuse unpaid overtime", days=5, threshold=50)
    nearly = pledge(action="join the union", days=40, threshold=10)
    pledgers(later, confirmed=3, unconfirmed=4)
    pledgers(nearly, confirmed=9)
    for status in (PledgeStatus.PENDING, PledgeStatus.REJECTED, PledgeStatus.BOUND):
        pledge(action=f"never shown {status}", status=status)
    pledge(action="past its deadline", days=-1)
    publish_home_sections()
    html = html_of("/")
    section = html[html.index('id="home-pledges-heading"') :]
    # The nearest deadline first; at the same deadline, the one nearest its threshold.
    assert section.index(sooner.action) < section.index(nearly.action) < section.index(later.action)
    assert "<strong>3</strong> of 100 pledged" in section
    assert "<strong>9</strong> of 10 pledged" in section
    assert "never shown" not in html and "past its deadline" not in html
    assert '<a href="/pledges/">See all pledges</a>' in section
    assert f'href="{sooner.get_absolute_url()}"' in section


def test_the_home_page_says_so_when_no_pledge_is_open():
    publish_home_sections()
    assert "No open pledges just now." in html_of("/")


@pytest.mark.parametrize("size", [2, 40])
def test_the_home_pages_pledges_take_the_same_queries_however_many(size):
    for n in range(size):
        pledgers(pledge(days=n + 1), confirmed=3)
    publish_home_sections(pledges=12)
    content_changed()
    assert queries_on_second_visit("/") <= 15


# --- Topics ---------------------------------------------------------------------------------
def test_a_topic_page_lists_its_open_pledges_with_counts():
    topic, other = TopicFactory(name="Waiting lists"), TopicFactory()
    ours = pledge(action="log every breach", topics=[topic], threshold=20)
    pledgers(ours, confirmed=4, unconfirmed=2)
    pledge(action="off the topic", topics=[other])
    pledge(action="bound already", topics=[topic], status=PledgeStatus.BOUND)
    html = html_of(topic.get_absolute_url())
    assert "I will log every breach" in html and "<strong>4</strong> of 20 pledged" in html
    assert "off the topic" not in html and "bound already" not in html


def test_a_topic_without_pledges_says_so():
    assert "No open pledges on this topic." in html_of(TopicFactory().get_absolute_url())


def test_a_topic_pages_pledges_take_the_same_queries_however_many():
    topic = TopicFactory()
    pledgers(pledge(topics=[topic]), confirmed=2)
    small = queries_on_second_visit(topic.get_absolute_url())
    for n in range(30):
        pledgers(pledge(topics=[topic], days=n + 2), confirmed=2)
    assert queries_on_second_visit(topic.get_absolute_url()) == small


# --- Network pages ----------------------------------------------------------------------------
def network_with_everything():
    network, other = NetworkPageFactory(title="Nurses Together"), NetworkPageFactory()
    titles = ["Proposed demand", "Co-signed demand", "Delivered with us", "Someone else's demand"]
    proposed, cosigned, joined, unrelated = (DemandPageFactory(title=t) for t in titles)
    proposed.proposing_networks.set([network])
    proposed.save_revision().publish()
    NetworkCoSignature.objects.create(network=network, demand=cosigned)
    nhs = target("NHS England")
    made = [
        delivery(demand=proposed, to=nhs, responded=True),
        delivery(demand=cosigned, days_overdue=3),
        delivery(demand=joined, networks=[network]),
        delivery(demand=unrelated, networks=[other]),
    ]
    for status in PledgeStatus:
        pledgers(pledge(action=f"act when {status.value}", network=network, status=status),
                 confirmed=2)  # fmt: skip
    pledge(action="another network's pledge", network=other)
    content_changed()
    return network, made


def test_a_network_page_lists_its_pledges_and_its_demands_deliveries():
    network, _made = network_with_everything()
    html = html_of(network.url)
    for shown in ("act when open", "act when bound", "act when lapsed"):
        assert shown in html
    for hidden in ("act when pending", "act when rejected", "another network"):
        assert hidden not in html
    assert html.index("act when open") < html.index("act when bound")
    deliveries = html[html.index('id="deliveries-heading"') :]
    assert "Proposed demand" in deliveries and 'href="/targets/' in deliveries
    assert "NHS England" in deliveries and "Answered on" in deliveries
    assert "Co-signed demand" in deliveries and "3 days overdue" in deliveries
    assert "Delivered with us" in deliveries and "Answer expected by" in deliveries
    assert "Someone else's demand" not in html


def test_a_network_with_neither_shows_no_empty_sections():
    html = html_of(NetworkPageFactory().url)
    assert 'id="pledges-heading"' not in html and 'id="deliveries-heading"' not in html


def test_a_network_pages_sections_take_the_same_queries_however_many():
    network, _made = network_with_everything()
    small = queries_on_second_visit(network.url)
    demand = DemandPageFactory()
    demand.proposing_networks.set([network])
    demand.save_revision().publish()
    for n in range(20):
        delivery(demand=demand, responded=n % 2 == 0)
        pledgers(pledge(network=network, days=n + 3), confirmed=2)
    content_changed()
    assert queries_on_second_visit(network.url) == small <= 16


# --- Digests --------------------------------------------------------------------------------
def test_a_digest_tells_of_new_open_pledges_and_those_that_bound_in_what_the_member_follows():
    network, topic = NetworkPageFactory(title="Counsellors Unite"), TopicFactory()
    member = MemberPreferencesFactory(networks=[network], topics=[topic])
    new = pledge(action="refuse to discharge early", topics=[topic], threshold=30)
    pledgers(new, confirmed=5)
    pledge(action="bound by the network", network=network, status=PledgeStatus.BOUND,
           bound_at=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    pledge(action="still pending", topics=[topic], status=PledgeStatus.PENDING)
    pledge(action="opened long ago", topics=[topic],
           reviewed_at=timezone.now() - dt.timedelta(days=20))  # fmt: skip
    pledge(action="not followed")
    digest, _queries = one_digest(member)
    assert [p["action"] for p in digest["new_pledges"]] == ["refuse to discharge early"]
    assert digest["new_pledges"][0]["count"] == 5
    assert [p["action"] for p in digest["bound_pledges"]] == ["bound by the network"]
    assert digest["bound_pledges"][0]["network_title"] == "Counsellors Unite"


def test_a_pledge_is_news_once_only_since_the_last_digest(mailoutbox):
    topic = TopicFactory()
    MemberPreferencesFactory(topics=[topic])
    pledge(action="sign the open letter", topics=[topic])
    assert run_digest().sent == 1
    body = mailoutbox[-1].body
    assert "NEW PLEDGES" in body and "I will sign the open letter" in body
    assert "/pledges/" in body
    html = mailoutbox[-1].alternatives[0][0]
    assert "New pledges" in html and "I will sign the open letter" in html


def test_the_digests_pledges_take_the_same_queries_however_many():
    topic = TopicFactory()
    member = MemberPreferencesFactory(topics=[topic])
    pledge(topics=[topic])
    small_digest, small = one_digest(member)
    network = NetworkPageFactory()
    for n in range(25):
        pledgers(pledge(topics=[topic], network=network, days=n + 1), confirmed=2)
        pledge(topics=[topic], status=PledgeStatus.BOUND, bound_at=timezone.now())
        MemberPreferencesFactory(topics=[topic], networks=[network])
    large_digest, large = one_digest(member)
    assert len(large_digest["new_pledges"]) > len(small_digest["new_pledges"])
    assert small == large
