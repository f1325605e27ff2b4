"""Imported calendars in the admin: a network's admins add, edit and sync their own network's
feeds, hub moderators every network's; an admin or editor of another network reaches none of
them by any URL of the viewset; feeds are never deleted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from calendars.models import CalendarFeed, SyncStatus
from events.models import EventPage
from hub.factories import UserFactory
from networks.factories import MembershipFactory
from networks.models import MembershipRole
from tests.calendars.conftest import feed_for, ics, vevent
from tests.calendars.test_services import soon
from tests.deliberation.conftest import moderator_user, network_with_admin
from tests.deliberation.test_admin import admin_access

pytestmark = pytest.mark.django_db

PREFIX = "admin/imported-calendars/"


def viewset_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from viewset_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif (prefix + str(pattern.pattern)).startswith(PREFIX):
            yield prefix + str(pattern.pattern)


def feed_routes():
    return sorted(route for route in viewset_routes() if "<" in route)


@pytest.fixture
def alpha(db):
    network, admin = network_with_admin("Alpha")
    return network, admin_access(admin)


@pytest.fixture
def beta(db):
    network, admin = network_with_admin("Beta")
    return network, admin_access(admin)


@pytest.fixture
def beta_feed(beta):
    return feed_for(beta[0], "https://calendar.example.org/beta.ics")


def url_for(route: str, feed) -> str:
    return "/" + route.replace("<int:pk>", str(feed.pk))


def refused(response) -> bool:
    """Not found, forbidden, or (Wagtail's way with a missing permission) sent to the admin's
    home page with a message."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


def test_the_viewset_has_the_routes_this_file_checks():
    assert feed_routes() == sorted(
        PREFIX + route
        for route in ["edit/<int:pk>/", "delete/<int:pk>/", "history/<int:pk>/",
                      "history-results/<int:pk>/", "usage/<int:pk>/", "sync/<int:pk>/"]
    )  # fmt: skip


def test_an_admin_of_another_network_reaches_no_url_of_the_feed(client, alpha, beta_feed):
    client.force_login(alpha[1])
    for route in feed_routes():
        url = url_for(route, beta_feed)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"url": "https://evil.example/x.ics"}).status_code == 404, url
    beta_feed.refresh_from_db()
    assert beta_feed.url == "https://calendar.example.org/beta.ics"
    listing = client.get(reverse("imported_calendars:index")).content.decode()
    assert "beta.ics" not in listing


def test_an_editor_or_a_member_without_a_network_reaches_nothing(client, beta, beta_feed):
    editor = admin_access(UserFactory(email="editor@beta.org"))
    MembershipFactory(network=beta[0], user=editor, role=MembershipRole.EDITOR)
    for user in (editor, admin_access(UserFactory(email="nobody@example.org"))):
        client.force_login(user)
        assert refused(client.get(reverse("imported_calendars:index")))
        assert refused(client.get(reverse("imported_calendars:add")))
        for route in feed_routes():
            assert refused(client.get(url_for(route, beta_feed))), route


def test_an_admin_adds_a_feed_for_their_own_network_only(client, alpha, beta):
    client.force_login(alpha[1])
    form = client.get(reverse("imported_calendars:add")).content.decode()
    assert "Alpha" in form and "Beta" not in form

    refused = client.post(
        reverse("imported_calendars:add"),
        {"network": beta[0].pk, "url": "https://calendar.example.org/x.ics", "active": "on"},
    )
    assert refused.status_code == 400
    assert not CalendarFeed.objects.exists()

    response = client.post(
        reverse("imported_calendars:add"),
        {"network": alpha[0].pk, "url": "https://calendar.example.org/a.ics", "active": "on"},
    )
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert (feed.network, feed.publish, feed.active) == (alpha[0], False, True)


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://calendar.example.org/a.ics", "must start with https://"),
     ("https://user:pw@calendar.example.org/a.ics", "without a user name")],
)  # fmt: skip
def test_an_address_we_would_not_fetch_is_refused_with_a_message(client, alpha, url, message):
    client.force_login(alpha[1])
    response = client.post(
        reverse("imported_calendars:add"), {"network": alpha[0].pk, "url": url, "active": "on"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_http_is_refused_in_production(client, alpha, settings):
    settings.CALENDAR_IMPORT_HTTPS_ONLY = True
    client.force_login(alpha[1])
    response = client.post(
        reverse("imported_calendars:add"),
        {"network": alpha[0].pk, "url": "http://calendar.example.org/a.ics", "active": "on"},
    )
    assert response.status_code == 400
    assert "must start with https://" in response.content.decode()


def test_feeds_are_never_deleted(client, alpha):
    feed = feed_for(alpha[0], "https://calendar.example.org/a.ics")
    client.force_login(moderator_user())
    assert refused(client.post(reverse("imported_calendars:delete", args=[feed.pk])))
    assert CalendarFeed.objects.filter(pk=feed.pk).exists()


def test_a_moderator_sees_and_edits_every_networks_feeds(client, alpha, beta_feed):
    feed_for(alpha[0], "https://calendar.example.org/alpha.ics")
    client.force_login(moderator_user())
    listing = client.get(reverse("imported_calendars:index")).content.decode()
    assert "alpha.ics" in listing and "beta.ics" in listing
    for route in feed_routes():
        if "/delete/" not in route:
            assert client.get(url_for(route, beta_feed)).status_code == 200, route


def test_the_listing_shows_each_feeds_last_sync_counts_and_error(
    client, alpha, django_assert_max_num_queries
):
    network, admin = alpha
    feed_for(
        network, "https://calendar.example.org/a.ics", last_status=SyncStatus.FAILED,
        last_error="The calendar's server answered 503.", created_count=4, updated_count=2,
    )  # fmt: skip
    client.force_login(admin)
    page = client.get(reverse("imported_calendars:index")).content.decode()
    assert "Failed" in page
    assert "The calendar&#x27;s server answered 503." in page
    assert "4 new, 2 updated, 0 cancelled, 0 unchanged" in page
    assert "Sync now" in page


def test_the_listings_queries_do_not_grow_with_its_feeds(client, alpha):
    network, admin = alpha
    client.force_login(admin)
    feed_for(network, "https://calendar.example.org/0.ics")
    client.get(reverse("imported_calendars:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("imported_calendars:index"))
    for n in range(1, 8):
        feed_for(network, f"https://calendar.example.org/{n}.ics")
    with CaptureQueriesContext(connection) as eight:
        client.get(reverse("imported_calendars:index"))
    assert len(eight) == len(one)


def test_sync_now_asks_then_imports(
    client, alpha, calendar_server, django_capture_on_commit_callbacks
):
    network, admin = alpha
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())))
    feed = feed_for(network, url)
    client.force_login(admin)
    sync_url = reverse("imported_calendars:sync", args=[feed.pk])
    assert "Sync now" in client.get(sync_url).content.decode()
    assert calendar_server.routes["/cal.ics"].requests == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url)
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.last_status == SyncStatus.IMPORTED
    assert EventPage.objects.filter(calendar_imports__feed=feed).count() == 1


def test_an_edit_keeps_the_network_and_a_new_address_forgets_the_old_etag(client, alpha, beta):
    feed = feed_for(alpha[0], "https://calendar.example.org/a.ics", etag='"v1"')
    client.force_login(moderator_user())
    response = client.post(
        reverse("imported_calendars:edit", args=[feed.pk]),
        {"network": beta[0].pk, "url": "https://calendar.example.org/b.ics", "active": "on"},
    )
    assert response.status_code == 302
    feed.refresh_from_db()
    assert (feed.network, feed.url, feed.etag) == (
        alpha[0],
        "https://calendar.example.org/b.ics",
        "",
    )
