"""The directory at /networks/, the positions listing and the RSS feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.factories import TopicFactory
from hub.models import Region
from networks.factories import NetworkPageFactory, PositionPageFactory
from networks.models import NetworkKind

pytestmark = pytest.mark.django_db

POSITIONS = "/networks/positions/"
FEED = "/networks/positions/feed/"


def network_feed(slug):
    return f"/networks/{slug}/positions/feed/"


def make_networks(index, count, *, start=0, topic=None):
    regions = list(Region.objects.all())
    made = []
    for n in range(start, start + count):
        network = NetworkPageFactory(
            parent=index,
            title=f"Network {n:03}",
            kind=NetworkKind.values[n % len(NetworkKind.values)],
            regions=regions[n % 12 : n % 12 + 2],
            topics=[topic] if topic else [],
        )
        PositionPageFactory(
            parent=network,
            title=f"Position {n:03}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            topics=[topic] if topic else [],
        )
        made.append(network)
    return made


def parse_feed(response):
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, not untrusted input)


def count_queries(client, url):
    client.get(url)  # warms the per-process caches (site root paths) both runs share
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_directory_and_positions_keep_their_query_count_from_10_to_200_networks(client, index_page):
    topic = TopicFactory(name="Crisis care")
    make_networks(index_page, 10, topic=topic)
    urls = [
        index_page.url,
        f"{index_page.url}?kind=service-user&region=north-east&topic=crisis-care&query=net",
        POSITIONS,
        f"{POSITIONS}?topic=crisis-care",
        f"{POSITIONS}?network=network-003",
        FEED,
    ]
    with_10 = {url: count_queries(client, url) for url in urls}
    make_networks(index_page, 190, start=10, topic=topic)
    with_200 = {url: count_queries(client, url) for url in urls}
    print("queries with 10 and with 200 networks:", with_10, with_200)
    assert with_200 == with_10


def test_directory_cards_show_kind_regions_and_counts(client, index_page):
    network = NetworkPageFactory(
        parent=index_page,
        title="Clyde Survivors",
        kind=NetworkKind.UNION,
        regions=list(Region.objects.filter(slug__in=["scotland", "wales"])),
    )
    PositionPageFactory(parent=network)
    PositionPageFactory(parent=network)
    draft = PositionPageFactory(parent=network, live=False)
    assert not draft.live
    NetworkPageFactory(parent=index_page, title="Lagan Collective")

    html = client.get(index_page.url).content.decode()
    card = (
        html.split("Clyde Survivors")[0].rsplit("<article", 1)[1]
        + html.split("Clyde Survivors")[1].split("</article>")[0]
    )
    assert "Trade union" in card
    assert "Scotland, Wales" in card
    assert "2 positions" in card, "live positions only"
    assert "UK-wide" in html.split("Lagan Collective")[1].split("</article>")[0]
    assert "0 positions" in html.split("Lagan Collective")[1].split("</article>")[0]
    assert 'type="application/rss+xml"' in html


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"kind": "union"}, ["Tyneside Union"], ["Clyde Survivors", "Lagan Therapists"]),
        ({"region": "scotland"}, ["Clyde Survivors"], ["Tyneside Union", "Lagan Therapists"]),
        ({"topic": "crisis-care"}, ["Lagan Therapists"], ["Tyneside Union", "Clyde Survivors"]),
        ({"query": "survivors"}, ["Clyde Survivors"], ["Tyneside Union", "Lagan Therapists"]),
        ({"query": "TRAUMA"}, ["Lagan Therapists"], ["Tyneside Union"]),
        ({"kind": "union", "region": "scotland"}, [], ["Tyneside Union", "Clyde Survivors"]),
    ],
)
def test_directory_filters(client, index_page, params, shown, hidden):
    topic = TopicFactory(name="Crisis care")
    NetworkPageFactory(
        parent=index_page,
        title="Tyneside Union",
        kind=NetworkKind.UNION,
        regions=list(Region.objects.filter(slug="north-east")),
    )
    NetworkPageFactory(
        parent=index_page,
        title="Clyde Survivors",
        regions=list(Region.objects.filter(slug="scotland")),
    )
    NetworkPageFactory(
        parent=index_page,
        title="Lagan Therapists",
        kind=NetworkKind.THERAPISTS,
        description="<p>Trauma care in Belfast.</p>",
        topics=[topic],
        regions=list(Region.objects.filter(slug="northern-ireland")),
    )
    response = client.get(index_page.url, params)
    assert response.status_code == 200
    html = response.content.decode()
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html
    if not shown:
        assert "No networks match these filters." in html


def test_directory_paginates(client, index_page):
    make_networks(index_page, 14)
    first = client.get(index_page.url).content.decode()
    second = client.get(index_page.url, {"page": "2"}).content.decode()
    assert "Network 000" in first and "Network 012" not in first
    assert "Network 012" in second and "Network 000" not in second
    assert "Page 1 of 2" in first
    assert client.get(index_page.url, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "cult"},
        {"region": "atlantis"},
        {"topic": "<script>alert(1)</script>"},
        {"query": "x" * 201},
    ],
)
def test_bad_directory_filters_get_a_clear_message_and_a_400(client, index_page, params):
    response = client.get(index_page.url, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html or "at most 200 characters" in html
    assert "<script>alert(1)</script>" not in html


def test_unicode_search_is_fine(client, index_page):
    NetworkPageFactory(parent=index_page, title="Rhwydwaith Lles — Ψυχή")
    response = client.get(index_page.url, {"query": "ψυχή"})
    assert response.status_code == 200


def test_positions_listing_newest_first_with_filters(client, index_page):
    topic = TopicFactory(name="Crisis care")
    alpha = NetworkPageFactory(parent=index_page, title="Alpha")
    beta = NetworkPageFactory(parent=index_page, title="Beta")
    PositionPageFactory(parent=alpha, title="Old view", date=datetime.date(2025, 1, 1))
    PositionPageFactory(
        parent=beta, title="New view", date=datetime.date(2026, 6, 1), topics=[topic]
    )
    PositionPageFactory(parent=alpha, title="Middle view", date=datetime.date(2025, 9, 1))

    html = client.get(POSITIONS).content.decode()
    assert html.index("New view") < html.index("Middle view") < html.index("Old view")
    assert f'href="{beta.url}">Beta</a>' in html, "each position names its network"
    assert 'rel="alternate" type="application/rss+xml"' in html

    html = client.get(POSITIONS, {"network": alpha.slug}).content.decode()
    assert "Old view" in html and "Middle view" in html and "New view" not in html
    assert network_feed(alpha.slug) in html

    html = client.get(POSITIONS, {"topic": "crisis-care"}).content.decode()
    assert "New view" in html and "Old view" not in html

    response = client.get(POSITIONS, {"network": "nope"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_positions_listing_paginates(client, index_page):
    make_networks(index_page, 25)
    first = client.get(POSITIONS).content.decode()
    assert "Position 024" in first and "Position 004" not in first
    assert "Position 004" in client.get(POSITIONS, {"page": 2}).content.decode()


def test_feeds_for_all_positions_and_for_one_network(client, index_page):
    alpha = NetworkPageFactory(parent=index_page, title="Alpha")
    beta = NetworkPageFactory(parent=index_page, title="Beta")
    PositionPageFactory(parent=alpha, title="Alpha's view", summary="We think <so>.")
    PositionPageFactory(parent=beta, title="Beta's view")
    PositionPageFactory(parent=beta, title="Beta's draft", live=False)

    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_feed(response).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert sorted(titles) == ["Alpha's view (Alpha)", "Beta's view (Beta)"]
    item = next(i for i in channel.findall("item") if i.findtext("title").startswith("Alpha"))
    assert item.findtext("description") == "We think <so>."
    assert item.findtext("link").startswith("http://testserver/networks/alpha/")

    response = client.get(network_feed(beta.slug))
    titles = [i.findtext("title") for i in parse_feed(response).iter("item")]
    assert titles == ["Beta's view (Beta)"]
    response = client.get(network_feed("nope"))
    assert response.status_code == 404


def test_network_and_position_pages_announce_their_feed(client, index_page):
    network = NetworkPageFactory(parent=index_page, title="Alpha")
    position = PositionPageFactory(parent=network, title="Our view")
    feed = network_feed(network.slug)
    for url in [network.url, position.url]:
        html = client.get(url).content.decode()
        head = html.split("</head>")[0]
        assert '<link rel="alternate" type="application/rss+xml"' in head
        assert feed in head
    html = client.get(network.url).content.decode()
    assert "Our view" in html, "the network page shows its latest positions"
