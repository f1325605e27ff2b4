"""Query budgets: each page's query count stays within budget, small or large.

Each page is requested once to warm the caches that every visitor after the first one finds
warm (site, settings, menus, the content-versioned caches), then counted on the second request.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.factories import DemandIndexPageFactory, DemandPageFactory, PlatformPageFactory
from campaigns.models import DemandPage, DemandVersion
from campaigns.services import SignatureRow
from deliberation.models import (
    Amendment,
    AmendmentComment,
    AmendmentSupport,
    Decision,
    DecisionKind,
    Vote,
)
from digests.factories import MemberPreferencesFactory
from events.factories import EventIndexPageFactory
from events.models import AccessFeature, CoOrganiserInvitation, CoOrganiserStatus, EventPage
from hub.bulk import pages_bulk_add
from hub.cache import content_changed
from hub.factories import TopicFactory, UserFactory
from hub.models import HomePage, Region
from hub.roles import Role
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory
from networks.models import NetworkPage, PositionPage, name_key
from tests.home.conftest import publish_home_sections
from tests.pledges.seed import delivery, pledge, pledgers

pytestmark = pytest.mark.postgres

# Routing costs two queries whatever the depth (hub/routing.py).
BUDGETS = {
    "home": 15,
    # Two of them are the live count, when its one-second cache has lapsed between the visits
    # (campaigns.selectors.LIVE_COUNT_SECONDS), as it can on a busy machine.
    "demand": 12,
    "position": 10,
    "finder": 12,
    # Its demand cards read their counts in one query, its event cards their access features,
    # its open pledges with their counts one more (live, as the demands' counts are), its
    # open surveys and published results with their counts two more and the view restrictions
    # they are read under one more (live too: a survey closes without a publish).
    "topic": 18,
    "event": 14,
    "network": 16,  # one for the access and safety features on its event cards
    "demand-index": 12,
    "platform": 12,
    "history": 10,  # the page of versions, their count, and the version before the oldest
}
# The topic page on a visit that finds every content cache empty, as the first after a publish
# (one more since its demand cards show their counts, read for all of them at once; two more
# since the footer links the privacy page: its lookup and Wagtail's view restrictions, cached;
# one more since its event cards show their access and safety features, read for all at once;
# one more since it lists open pledges, with their counts, read for all at once; one more for
# its demands' milestone promises, read for all at once, which their cards' bars name; three
# more for its open surveys and published results, and the view restrictions they are read under).
COLD_TOPIC_BUDGET = 33
SMALL, LARGE = 3, 300


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    """The budgets are for rendering a page: the anonymous page cache would answer the second
    visit without rendering anything."""
    monkeypatch.setattr("hub.pagecache._anonymous", lambda request: False)


def queries_on_second_visit(client, url: str) -> int:
    first = client.get(url)
    assert first.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_networks(count: int) -> list[NetworkPage]:
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())
    start = NetworkPage.objects.count()
    titles = [f"Bulk network {start + number}" for number in range(count)]
    networks = pages_bulk_add(
        parent=index,
        pages=[
            NetworkPage(title=title, slug=name_key(title), name_key=name_key(title),
                        kind="service-user", description="<p>A network.</p>")
            for title in titles
        ],
    )  # fmt: skip
    content_changed()
    return networks


def add_events(count: int, *, networks: list[NetworkPage]) -> None:
    index = EventIndexPageFactory()
    start = timezone.now() + dt.timedelta(days=1)
    offset = EventPage.objects.count()
    pages_bulk_add(
        parent=index,
        pages=[
            EventPage(title=f"Event {offset + number}", slug=f"event-{offset + number}",
                      start=start + dt.timedelta(hours=number),
                      end=start + dt.timedelta(hours=number + 1), venue="A hall",
                      region=Region.objects.first(),
                      organising_network=networks[number % len(networks)] if networks else None)
            for number in range(count)
        ],
    )  # fmt: skip
    # Each event ticks three access and safety features, which cards and pages show.
    through = EventPage.access_features.through
    features = list(AccessFeature.objects.values_list("pk", flat=True)[:3])
    through.objects.bulk_create(
        through(eventpage_id=event_id, accessfeature_id=feature_id)
        for event_id in EventPage.objects.filter(access_features=None).values_list("pk", flat=True)
        for feature_id in features
    )
    content_changed()


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("chosen", [True, False], ids=["chosen-demand", "newest-demand"])
def test_home(client, db, size, chosen):
    """With every section: the featured demand, the next events, networks, latest positions,
    open pledges."""
    networks = add_networks(size)
    for n in range(size):
        pledgers(pledge(network=networks[n], days=n + 1), confirmed=3)
    add_events(size, networks=networks)
    pages_bulk_add(
        parent=networks[0],
        pages=[
            PositionPage(title=f"Bulk position {n}", slug=f"bulk-{n}", summary="A summary.")
            for n in range(size)
        ],
    )
    demands = [DemandPageFactory(parent=PlatformPageFactory()) for _ in range(2)]
    campaign_services.signature_bulk_create(
        demand=demands[0],
        rows=[
            SignatureRow(name=f"Signer {n}", email=f"signer{n}@example.net", kind="worker",
                         postcode="", show_name=False, affiliation_id=None,
                         confirmed_at=timezone.now())
            for n in range(size * 10)
        ],
    )  # fmt: skip
    publish_home_sections(demand=demands[0] if chosen else None)
    assert queries_on_second_visit(client, "/") <= BUDGETS["home"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_demand_page(client, db, size):
    networks = add_networks(size)
    topics = [TopicFactory() for _ in range(3)]
    demand = DemandPageFactory(parent=PlatformPageFactory())
    demand.topics.set(topics)
    demand.proposing_networks.set(networks[:size])
    demand.save_revision().publish()
    # Three versions, the coalition split across them, each network with its mandate.
    for number in (2, 3):
        campaign_services.demand_version_publish(
            demand=demand, ask=f"Act, version {number}.", case_text=None, agreed_by="Amended"
        )
    versions = list(demand.versions.all())
    for n, network in enumerate(networks):
        campaign_services.NetworkCoSignature.objects.create(
            network=network, demand=demand, version=versions[n % 3], mandate="committee",
            decided_on=dt.date(2026, 3, 3), members=100 if n % 2 else None,
        )  # fmt: skip
    kinds = list(Role.values)
    campaign_services.signature_bulk_create(
        demand=demand,
        rows=[
            SignatureRow(name=f"Signer {n}", email=f"signer{n}@example.net", kind=kinds[n % 4],
                         postcode="M1 1AA" if n % 2 else "", show_name=bool(n % 3),
                         affiliation_id=networks[n % len(networks)].pk,
                         confirmed_at=timezone.now() - dt.timedelta(days=n % 50))
            for n in range(size * 10)
        ],
    )  # fmt: skip
    add_deliberation(demand, networks=networks, amendments=size // 3 + 1)
    content_changed()
    html = client.get(demand.url).content.decode()
    assert html.count('class="amendment amendment--') == size // 3 + 1
    assert "Who voted how" in html
    assert queries_on_second_visit(client, demand.url) <= BUDGETS["demand"]


def add_deliberation(demand, *, networks, amendments: int) -> None:
    """Amendments to `demand`, each supported and discussed by a few networks, and a closed
    decision on the first one in which every network voted."""
    version, _ = DemandVersion.objects.get_or_create(
        demand=demand, number=1, defaults={"ask": demand.ask}
    )
    made = Amendment.objects.bulk_create(
        Amendment(demand=demand, network=networks[n % len(networks)], version=version,
                  ask=f"A new ask {n}.", reason="Because.")
        for n in range(amendments)
    )  # fmt: skip
    AmendmentSupport.objects.bulk_create(
        AmendmentSupport(amendment=amendment, network=network)
        for amendment in made for network in networks[:5] if network.pk != amendment.network_id
    )  # fmt: skip
    AmendmentComment.objects.bulk_create(
        AmendmentComment(amendment=amendment, network=network, body="We agree.")
        for amendment in made for network in networks[:3]
    )  # fmt: skip
    decision = Decision.objects.create(
        kind=DecisionKind.AMENDMENT, amendment=made[0], demand=demand,
        deadline=timezone.now() - dt.timedelta(days=1), closed_at=timezone.now(),
        outcome="not-carried", eligible=len(networks),
        tally={"networks": [network.pk for network in networks]},
    )  # fmt: skip
    Vote.objects.bulk_create(
        Vote(decision=decision, network=network, choice="for" if n % 2 else "against")
        for n, network in enumerate(networks)
    )


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_demand_history(client, db, size):
    """A page of versions, each with its differences from the one before: flat however many."""
    demand = DemandPageFactory(parent=PlatformPageFactory())
    DemandVersion.objects.bulk_create(
        [DemandVersion(demand=demand, number=n, ask=f"Act, version {n}.",
                       case=[{"type": "paragraph", "value": f"<p>Because {n}.</p>"}])
         for n in range(1, size + 1)]
    )  # fmt: skip
    content_changed()
    url = f"{demand.url}history/"
    assert queries_on_second_visit(client, url) <= BUDGETS["history"]
    assert queries_on_second_visit(client, f"{url}?page=2") <= BUDGETS["history"]


def add_demands(count: int, *, parent) -> list[DemandPage]:
    """Demands under `parent`, each signed by a few people, some of them folded into its tally."""
    demands = pages_bulk_add(
        parent=parent,
        pages=[
            DemandPage(title=f"Bulk demand {n}", slug=f"bulk-demand-{n}", ask="Act.")
            for n in range(count)
        ],
    )  # fmt: skip
    for number, demand in enumerate(demands[:SMALL]):
        campaign_services.signature_bulk_create(
            demand=demand,
            rows=[
                SignatureRow(name=f"Signer {n}", email=f"s{number}-{n}@example.net",
                             kind="worker", confirmed_at=timezone.now())
                for n in range(5)
            ],
        )  # fmt: skip
    content_changed()
    return demands


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_demand_index(client, db, size):
    index = DemandIndexPageFactory()
    add_demands(size, parent=index)
    PlatformPageFactory(parent=index)
    assert queries_on_second_visit(client, index.url) <= BUDGETS["demand-index"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_platform_page(client, db, size):
    platform = PlatformPageFactory()
    demands = add_demands(size, parent=platform)
    versions = DemandVersion.objects.bulk_create(
        [DemandVersion(demand=d, number=n, ask="Act.") for d in demands for n in (1, 2)]
    )
    campaign_services.platform_version_record(platform=platform)
    for network in add_networks(SMALL):
        campaign_services.NetworkCoSignature.objects.bulk_create(
            [campaign_services.NetworkCoSignature(network=network, demand=d, version=v)
             for d, v in zip(demands, versions[::2], strict=True)]
        )  # fmt: skip
    assert queries_on_second_visit(client, platform.url) <= BUDGETS["platform"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_position_page(client, db, size):
    network = NetworkPageFactory(parent=NetworkIndexPageFactory(parent=HomePage.objects.get()))
    topics = [TopicFactory() for _ in range(3)]
    pages_bulk_add(
        parent=network,
        pages=[
            PositionPage(title=f"Bulk position {n}", slug=f"bulk-{n}", summary="A summary.")
            for n in range(size)
        ],
    )
    position = PositionPageFactory(parent=network)
    position.topics.set(topics)
    position.save_revision().publish()
    assert queries_on_second_visit(client, position.url) <= BUDGETS["position"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("query", ["", "?when=this-month&format=in-person&type=meeting"])
def test_event_finder(client, db, size, query):
    add_events(size, networks=add_networks(size))
    assert queries_on_second_visit(client, f"/events/{query}") <= BUDGETS["finder"]


def tag_all(pages, topics) -> None:
    through = type(pages[0]).topics.through
    field = f"{type(pages[0])._meta.model_name}_id"
    through.objects.bulk_create(
        [through(**{field: page.pk}, topic=topic) for page in pages for topic in topics]
    )


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_topic_page(client, db, size):
    """Signed in and following the topic, since the page cache never serves members."""
    topics = [TopicFactory() for _ in range(3)]
    networks = add_networks(size)
    for number, network in enumerate(networks[:3]):
        tag_all(
            pages_bulk_add(
                parent=network,
                pages=[
                    PositionPage(title=f"Position {n}", slug=f"position-{number}-{n}",
                                 summary="A summary.")
                    for n in range(size)
                ],
            ),
            topics,
        )  # fmt: skip
    add_events(size, networks=networks)
    tag_all(list(EventPage.objects.all()), topics)
    tag_all(
        pages_bulk_add(
            parent=DemandIndexPageFactory(),
            pages=[
                DemandPage(title=f"Demand {n}", slug=f"demand-{n}", ask="Act.")
                for n in range(size)
            ],
        ),
        topics,
    )  # fmt: skip
    content_changed()
    member = UserFactory()
    MemberPreferencesFactory(user=member, topics=topics[:1])
    client.force_login(member)
    url = topics[0].get_absolute_url()
    # The first visit after a publish fills the content caches; it must not grow either.
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(first) <= COLD_TOPIC_BUDGET
    assert queries_on_second_visit(client, url) <= BUDGETS["topic"]


def co_organise(events, networks) -> None:
    """Each network accepted to co-organise each event."""
    CoOrganiserInvitation.objects.bulk_create(
        [
            CoOrganiserInvitation(event=event, network=network, status=CoOrganiserStatus.ACCEPTED)
            for event in events
            for network in networks
        ]
    )
    content_changed()


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_event_page(client, db, size):
    networks = add_networks(size + 1)
    add_events(1, networks=networks[:1])
    event = EventPage.objects.get()
    event.topics.set([TopicFactory() for _ in range(3)])
    co_organise([event], networks[1:])
    assert queries_on_second_visit(client, event.url) <= BUDGETS["event"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_network_page(client, db, size):
    networks = add_networks(3)
    add_events(size, networks=networks[1:])
    co_organise(EventPage.objects.all(), networks[:1])
    # Its pledges, and the deliveries of a demand it proposed, with and without a response.
    demand = DemandPageFactory(parent=PlatformPageFactory())
    demand.proposing_networks.set(networks[:1])
    demand.save_revision().publish()
    for n in range(size // 10 + 1):
        pledgers(pledge(network=networks[0], days=n + 1), confirmed=2)
        delivery(demand=demand, responded=n % 2 == 0)
    content_changed()
    assert queries_on_second_visit(client, networks[0].url) <= BUDGETS["network"]
