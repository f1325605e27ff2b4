"""Search results that answer: each says its type, network, date and a snippet, in a number
of queries that does not grow with the results."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.factories import DemandPageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory

pytestmark = pytest.mark.postgres


def results(client, query: str) -> list[str]:
    response = client.get("/search/", {"query": query})
    assert response.status_code == 200
    html = response.content.decode()
    return [item.split("</li>")[0] for item in html.split('<li class="search-result">')[1:]]


def test_identical_titles_are_told_apart_by_their_network(client, db):
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())
    for name in ["Tyneside Voices", "Clyde Survivors"]:
        network = NetworkPageFactory(parent=index, title=name, strapline=f"{name} strapline")
        PositionPageFactory(
            parent=network,
            title="For a public inquiry into IAPT",
            summary=f"{name} calls for an inquiry.",
            date=dt.date(2026, 3, 4),
        )
    call_command("update_index", stdout=None)

    found = results(client, "inquiry")
    assert len(found) == 2
    for item, name in zip(sorted(found), ["Clyde Survivors", "Tyneside Voices"], strict=True):
        assert '<span class="search-result__kind">Position</span> · ' + name in item
        assert "4 March 2026" in item
        assert f"{name} calls for an inquiry." in item
        assert f'<span class="visually-hidden"> ({name})</span>' in item

    [network] = results(client, "Tyneside strapline")
    assert "Network</span>" in network and "Tyneside Voices strapline" in network


def test_events_and_demands_say_what_they_are(client, db):
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())
    network = NetworkPageFactory(parent=index, title="Harbour Circle")
    EventPageFactory(
        parent=EventIndexPageFactory(parent=HomePage.objects.get()),
        title="Harbour gathering",
        organising_network=network,
        start=dt.datetime(2026, 12, 9, 18, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 9, 20, tzinfo=dt.UTC),
        town="Falmouth",
    )
    DemandPageFactory(
        title="Harbour demand", ask="Fund harbour peer support.", proposing_networks=[network]
    )
    call_command("update_index", stdout=None)

    items = {item.split("<h2")[0]: item for item in results(client, "harbour")}
    kinds = " ".join(items)
    assert "Event</span> · Harbour Circle · " in kinds
    assert "Demand</span> · Harbour Circle" in kinds
    event = next(item for head, item in items.items() if "Event</span>" in head)
    assert "9 December 2026" in event and "Falmouth" in event
    demand = next(item for head, item in items.items() if "Demand</span>" in head)
    assert "Fund harbour peer support." in demand


def test_a_page_of_results_costs_the_same_queries_for_one_network_or_ten(client, db):
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())

    def count() -> int:
        call_command("update_index", stdout=None)
        client.get("/search/", {"query": "inquiry"})
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", {"query": "inquiry"})
        return len(queries)

    def add(number):
        network = NetworkPageFactory(parent=index, title=f"Network {number}")
        PositionPageFactory(parent=network, title="Inquiry now", summary="An inquiry.")
        DemandPageFactory(title=f"Inquiry demand {number}", proposing_networks=[network])

    add(0)
    small = count()
    for number in range(1, 10):
        add(number)
    assert count() <= small
