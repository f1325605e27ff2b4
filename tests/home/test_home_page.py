"""The home page as the campaign's front door: each section, and the count kept live."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import DemandStatus
from events.factories import EventIndexPageFactory, EventPageFactory
from events.forms import EventFilterForm
from events.models import EventFormat
from hub.factories import ImageFactory
from hub.models import HomePage, Region
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory
from tests.campaigns.conftest import confirm
from tests.home.conftest import publish_home_sections

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'demand-count__number">([\d,]+)<')
SEARCH_FORM = re.compile(r'<form class="home-events__search".*?</form>', re.DOTALL)


def home_html(client=None) -> str:
    response = (client or Client()).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_leads_with_the_chosen_demand_its_count_and_a_sign_button():
    demand = DemandPageFactory(title="A public inquiry into IAPT", ask="Hold an inquiry.")
    DemandPageFactory(title="A newer demand")
    SignatureFactory.create_batch(2, demand=demand)
    publish_home_sections(demand=demand)

    html = home_html()
    assert "A public inquiry into IAPT" in html and "Hold an inquiry." in html
    assert "A newer demand" not in html, "an editor's choice wins over the newest demand"
    assert COUNT.search(html).group(1) == "2"
    assert "<progress" in html and "Next milestone: 100 signatures" in html
    assert f'href="{demand.url}#sign">Sign the demand</a>' in html


def test_without_a_chosen_demand_the_newest_open_one_is_featured():
    DemandPageFactory(title="An older demand")
    newest_open = DemandPageFactory(title="The newest open demand")
    DemandPageFactory(title="A won demand", status=DemandStatus.WON)
    DemandPageFactory(
        title="A demand past its deadline", deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    publish_home_sections()

    html = home_html()
    assert "The newest open demand" in html
    assert f'href="{newest_open.url}#sign"' in html
    for other in ("An older demand", "A won demand", "A demand past its deadline"):
        assert other not in html


def test_a_chosen_demand_that_no_longer_takes_signatures_offers_no_sign_button():
    demand = DemandPageFactory(title="A won demand", status=DemandStatus.WON)
    publish_home_sections(demand=demand)

    html = home_html()
    assert "A won demand" in html and "no longer taking signatures" in html
    assert f'{demand.url}#sign"' not in html


def test_with_no_demand_at_all_the_section_is_left_out():
    publish_home_sections()
    assert "home-demand" not in home_html()


def test_the_count_on_a_cached_home_page_stays_live():
    demand = DemandPageFactory()
    SignatureFactory.create_batch(2, demand=demand)
    publish_home_sections(demand=demand)
    assert COUNT.search(home_html()).group(1) == "2"

    confirm(SignatureFactory(demand=demand, confirmed_at=None))
    with CaptureQueriesContext(connection) as queries:
        html = home_html()
    assert len(queries) <= 2, "served from the page cache: only the count is read"
    assert COUNT.search(html).group(1) == "3", "the new signature shows at once"


def test_the_next_events_come_with_a_search_into_the_finder():
    finder = EventIndexPageFactory()
    now = timezone.now()
    EventPageFactory(parent=finder, title="A cafe last week", start=now - dt.timedelta(days=7))
    yorkshire = Region.objects.get(slug="yorkshire-and-the-humber")
    EventPageFactory(
        parent=finder,
        title="Workers cafe in Leeds",
        town="Leeds",
        postcode="LS1 4AP",
        region=yorkshire,
        start=now + dt.timedelta(days=1),
    )
    EventPageFactory(
        parent=finder,
        title="Online peer circle",
        format=EventFormat.ONLINE,
        online_url="https://meet.example.org/",
        venue="",
        town="",
        start=now + dt.timedelta(days=2),
    )
    EventPageFactory(parent=finder, title="A meeting next month", start=now + dt.timedelta(days=30))
    publish_home_sections(events=2)

    html = home_html()
    assert "Workers cafe in Leeds" in html and "Online peer circle" in html
    assert "A cafe last week" not in html and "A meeting next month" not in html
    form = SEARCH_FORM.search(html).group()
    assert f'action="{finder.url}"' in form and 'method="get"' in form
    assert "Find a meeting near you" in form
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == {"q", "region", "format"}
    assert names <= set(EventFilterForm.base_fields), "the finder reads every field"
    assert names <= settings.PAGE_CACHE_PARAMETERS, "and caches its answers by them"
    assert f'value="{yorkshire.slug}"' in form and f'value="{EventFormat.ONLINE}"' in form

    # Submitted as a browser submits it, with the region left at "Anywhere".
    found = Client().get(finder.url, {"q": "LS1", "region": "", "format": EventFormat.IN_PERSON})
    assert "Workers cafe in Leeds" in found.content.decode()
    assert "Online peer circle" not in found.content.decode()


def test_the_networks_section_counts_them_shows_each_face_and_invites_new_ones():
    directory = NetworkIndexPageFactory(parent=HomePage.objects.get())
    NetworkPageFactory(parent=directory, title="Psychotherapists for Social Responsibility")
    NetworkPageFactory(parent=directory, title="Mental Health Workers' Union", logo=ImageFactory())
    NetworkPageFactory(parent=directory, title="Zebra peer network")
    publish_home_sections(networks=2)

    html = home_html()
    assert "<strong>3</strong> networks in the coalition." in html
    strip = re.search(r'<ul class="network-strip">.*?</ul>', html, re.DOTALL).group()
    assert strip.count("<li>") == 2
    assert '<img src="/media/images/' in strip, "a logo where the network has one"
    assert ">PS</span>" in strip, "initials where it has none"
    assert "Zebra peer network" not in strip
    assert f'href="{directory.url}apply/">Register your network</a>' in html
    apply = Client().get(f"{directory.url}apply/")
    assert apply.status_code == 302 and apply["Location"].endswith("?next=/networks/apply/")


def test_the_latest_positions_name_their_network():
    network = NetworkPageFactory(
        parent=NetworkIndexPageFactory(parent=HomePage.objects.get()), title="Peer support network"
    )
    today = timezone.localdate()
    for days_ago in range(4):
        PositionPageFactory(
            parent=network,
            title=f"Position {days_ago} days old",
            date=today - dt.timedelta(days=days_ago),
        )
    publish_home_sections(positions=3)

    html = home_html()
    assert html.index("Position 0 days old") < html.index("Position 2 days old")
    assert "Position 3 days old" not in html
    assert html.count(">Peer support network</a>") == 3
    assert 'href="/networks/positions/">All positions</a>' in html


@pytest.mark.postgres
def test_the_demo_home_page_is_a_front_door(client, demo_site):
    html = home_html(client)
    assert "A public inquiry into IAPT" in html
    assert '/public-inquiry-into-iapt/#sign">Sign the demand</a>' in html
    assert int(COUNT.search(html).group(1).replace(",", "")) > 0
    assert "Find a meeting near you" in html and 'class="event-list"' in html
    assert "Register your network" in html and 'class="network-strip"' in html
    assert "Latest positions" in html and 'class="position-item"' in html
