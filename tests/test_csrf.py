"""Every POST without a valid CSRF token is refused, on every route and every page.

How the list stays complete: `test_every_route_is_classified` walks Django's URL resolver, so a
new route fails it until it is added to PUBLIC_POST_FORMS or READ_ONLY below, and the page tests
walk every Wagtail page type and every route of the routable ones."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from campaigns.factories import DemandPageFactory, PlatformPageFactory
from events.factories import EventPageFactory
from hub.factories import UserFactory
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory
from surveys.factories import PooledResultsPageFactory, SurveyPageFactory

TOKEN = "a" * 32
CSRF_FAILURE = b"CSRF verification failed"

# Route (as the resolver spells it) -> a URL for it. These take a POST from the public or a
# signed-in member; the RFC 8058 one-click unsubscribe will be the one exemption.
PUBLIC_POST_FORMS = {
    "accounts/login/": "/accounts/login/",
    "accounts/logout/": "/accounts/logout/",
    "accounts/signup/": "/accounts/signup/",
    "accounts/reauthenticate/": "/accounts/reauthenticate/",
    "accounts/reauthenticate/code/": "/accounts/reauthenticate/code/",
    "accounts/reauthenticate/code/confirm/": "/accounts/reauthenticate/code/confirm/",
    "accounts/email/": "/accounts/email/",
    "accounts/password/change/": "/accounts/password/change/",
    "accounts/password/set/": "/accounts/password/set/",
    "accounts/password/reset/": "/accounts/password/reset/",
    "accounts/login/code/confirm/": "/accounts/login/code/confirm/",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "/accounts/confirm-email/a-key/",
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/accounts/password/reset/key/1-set-password/"
    ),
    "documents/authenticate_with_password/<int:restriction_id>/": (
        "/documents/authenticate_with_password/1/"
    ),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "/_util/authenticate_with_password/1/2/"
    ),
    "_util/login/": "/_util/login/",
    "event-links/<int:pk>/rsvp/": "/event-links/1/rsvp/",
    "event-links/rsvp/<str:token>/confirm/": "/event-links/rsvp/a-token/confirm/",
    "event-links/rsvp/<str:token>/cancel/": "/event-links/rsvp/a-token/cancel/",
    "event-links/rsvp/<str:token>/take/": "/event-links/rsvp/a-token/take/",
    "event-links/co-organising/<int:pk>/": "/event-links/co-organising/1/",
    "signatures/confirm/<str:token>/": "/signatures/confirm/a-token/",
    "signatures/withdraw/<str:token>/": "/signatures/withdraw/a-token/",
    "preferences/": "/preferences/",
    "account/digest/": "/account/digest/",
    "account/rsvps/<int:rsvp_id>/cancel/": "/account/rsvps/1/cancel/",
    "account/rsvps/<int:rsvp_id>/take/": "/account/rsvps/1/take/",
    "account/signatures/<int:signature_id>/withdraw/": "/account/signatures/1/withdraw/",
    "account/surveys/<int:response_id>/delete/": "/account/surveys/1/delete/",
    "preferences/follow/network/<int:network_id>/": "/preferences/follow/network/1/",
    "preferences/follow/topic/<int:topic_id>/": "/preferences/follow/topic/1/",
    "preferences/follow/demand/<int:demand_id>/": "/preferences/follow/demand/1/",
    "preferences/subscribe/": "/preferences/subscribe/",
    "amendments/propose/<int:demand_id>/": "/amendments/propose/1/",
    "amendments/<int:pk>/support/": "/amendments/1/support/",
    "amendments/<int:pk>/comment/": "/amendments/1/comment/",
    "amendments/<int:pk>/withdraw/": "/amendments/1/withdraw/",
    "amendments/decisions/<int:pk>/vote/": "/amendments/decisions/1/vote/",
    "preferences/subscribe/confirm/<str:token>/": "/preferences/subscribe/confirm/a-token/",
    "pledges/new/": "/pledges/new/",
    "pledges/confirm/<str:token>/": "/pledges/confirm/a-token/",
    "pledges/withdraw/<str:token>/": "/pledges/withdraw/a-token/",
    "pledges/write/<str:token>/": "/pledges/write/a-token/",
    "pledges/<slug:slug>/": "/pledges/a-pledge/",
    "pledges/<slug:slug>/pledge-as-member/": "/pledges/a-pledge/pledge-as-member/",
    # Wagtail pages: the forms on the network, directory, demand and platform pages' routes,
    # walked below; the second pattern lets signed tokens through to those routes.
    r"^((?:[\w\-]+/)*)$": "/",
    r"^((?:[\w\-]+/)*[\w\-.]*:[\w\-.:]*/)$": "/networks/invitations/a:token/",
}
# RFC 8058 one-click unsubscribe: mail clients POST without a session or a CSRF token, so the
# signed token in the URL is the authentication. The only exemption outside the APIs.
ONE_CLICK = {
    "preferences/unsubscribe/<str:token>/": "/preferences/unsubscribe/a-token/",
}
# Routes that only read. They are still posted to below: CSRF protection covers them too.
READ_ONLY = {
    "accounts/inactive/": "/accounts/inactive/",
    "accounts/confirm-email/": "/accounts/confirm-email/",
    "accounts/password/reset/done/": "/accounts/password/reset/done/",
    "accounts/password/reset/key/done/": "/accounts/password/reset/key/done/",
    r"documents/^(\d+)/(.*)$": "/documents/1/file.pdf",
    "search/": "/search/",
    "account/": "/account/",
    "sitemap.xml": "/sitemap.xml",
    "robots.txt": "/robots.txt",
    r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|csv|svg|png))$": "/events/calendar.ics",
    "event-links/event-<int:pk>.ics": "/event-links/event-1.ics",
    "event-links/networks/<slug:slug>.ics": "/event-links/networks/a-network.ics",
    "event-links/rsvp/<str:token>/event.ics": "/event-links/rsvp/a-token/event.ics",
    "signatures/networks/<int:network_id>/signers.csv": "/signatures/networks/1/signers.csv",
    "topics/": "/topics/",
    "amendments/<int:pk>/": "/amendments/1/",
    "amendments/decisions/<int:pk>/": "/amendments/decisions/1/",
    "topics/<slug:slug>/": "/topics/a-topic/",
    "pledges/": "/pledges/",
    "pledges/yours/": "/pledges/yours/",
    "targets/": "/targets/",
    "targets/<slug:slug>/": "/targets/a-target/",
    r"^media/(?P<folder>images|original_images)/(?P<path>.*)$": "/media/images/file.png",
}
# The read-only API answers GET alone; Django REST framework views are CSRF-exempt by design.
API_PREFIX = "api/v2/"
WAGTAIL_ADMIN_API_PREFIX = "admin/api/"


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def public_routes():
    return {route: p for route, p in routes() if not route.startswith(("admin/", API_PREFIX))}


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_every_route_is_classified():
    walked = set(public_routes())
    listed = set(PUBLIC_POST_FORMS) | set(READ_ONLY) | set(ONE_CLICK)
    assert walked - listed == set(), "a new route: add it to PUBLIC_POST_FORMS or READ_ONLY"
    assert listed - walked == set(), "a listed route no longer exists"


@pytest.mark.parametrize("route", sorted({**PUBLIC_POST_FORMS, **READ_ONLY, **ONE_CLICK}))
def test_each_sample_url_reaches_its_route(route):
    url = {**PUBLIC_POST_FORMS, **READ_ONLY, **ONE_CLICK}[route]
    assert resolve(url).func is public_routes()[route].callback


@pytest.mark.django_db
def test_no_view_outside_the_apis_is_csrf_exempt():
    exempt = [
        route
        for route, pattern in routes()
        if getattr(pattern.callback, "csrf_exempt", False)
        and not route.startswith((API_PREFIX, WAGTAIL_ADMIN_API_PREFIX))
    ]
    assert exempt == list(ONE_CLICK)
    # Wagtail's admin API is REST framework too, whose session authentication checks the token.
    home = HomePage.objects.get()
    client = csrf_client(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(f"/admin/api/main/pages/{home.pk}/action/copy/", {})
    assert response.status_code == 403
    assert b"CSRF" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted({**PUBLIC_POST_FORMS, **READ_ONLY}))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_a_post_without_a_token_is_refused(route, signed_in):
    client = csrf_client(UserFactory() if signed_in else None)
    url = {**PUBLIC_POST_FORMS, **READ_ONLY}[route]
    response = client.post(url, {"email": "someone@example.org", "password": "x"})
    assert response.status_code == 403, url
    assert CSRF_FAILURE in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(PUBLIC_POST_FORMS))
def test_the_same_post_with_a_valid_token_gets_past_the_check(route):
    # Shows the 403 above is CSRF's, not the view refusing for some other reason.
    client = csrf_client()
    client.cookies["csrftoken"] = TOKEN
    url = PUBLIC_POST_FORMS[route]
    response = client.post(url, {"csrfmiddlewaretoken": TOKEN, "email": "someone@example.org"})
    assert CSRF_FAILURE not in response.content, url


@pytest.fixture
def one_page_of_each_type(db):
    network = NetworkPageFactory(parent=NetworkIndexPageFactory(parent=HomePage.objects.get()))
    platform = PlatformPageFactory()
    event = EventPageFactory()
    survey = SurveyPageFactory()
    return [
        HomePage.objects.get(),
        network.get_parent().specific,
        network,
        PositionPageFactory(parent=network),
        event.get_parent().specific,
        event,
        platform.get_parent().specific,
        platform,
        DemandPageFactory(parent=platform),
        survey.get_parent().specific,
        survey,
        SurveyPageFactory(parent=network),
        PooledResultsPageFactory(),
    ]


def subpage_urls(page) -> list[str]:
    """Every route of a routable page, with sample values for its arguments."""
    if not isinstance(page, RoutablePageMixin):
        return [page.url]
    return [
        page.url + page.reverse_subpage(pattern.name, kwargs=sample_arguments(pattern))
        for pattern in page.get_subpage_urls()
    ]


# A value each route's arguments take; any other argument takes 1.
SAMPLE_ARGUMENTS = {"image_format": "svg", "bank_slug": "role"}


def sample_arguments(pattern) -> dict:
    return {name: SAMPLE_ARGUMENTS.get(name, 1) for name in pattern.pattern.regex.groupindex}


@pytest.mark.django_db
def test_every_page_type_and_page_route_refuses_a_post_without_a_token(one_page_of_each_type):
    page_models = {
        model for model in apps.get_models() if issubclass(model, Page) and model is not Page
    }
    covered = {type(page.specific) for page in one_page_of_each_type}
    # Content pages have no forms, but the same middleware guards them; every other type is here.
    assert page_models - covered <= {apps.get_model("hub", "ContentPage")}
    urls = [url for page in one_page_of_each_type for url in subpage_urls(page.specific)]
    assert any(url.endswith("/sign-as-member/") for url in urls)
    assert any(url.endswith("/cosign/") for url in urls)
    assert any(url.endswith("/members/invite/") for url in urls)
    assert any(url.endswith("/networks/apply/") for url in urls)
    member = UserFactory()
    for client in [csrf_client(), csrf_client(member)]:
        for url in urls:
            response = client.post(url, {"name": "A", "email": "a@example.org", "kind": "worker"})
            assert response.status_code == 403, url
            assert CSRF_FAILURE in response.content, url


@pytest.mark.django_db
def test_the_api_is_exempt_only_because_it_takes_no_post(client):
    api_routes = [route for route, _pattern in routes() if route.startswith(API_PREFIX)]
    assert len(api_routes) >= 9
    for endpoint in ["networks", "events", "demands"]:
        for url in [f"/api/v2/{endpoint}/", f"/api/v2/{endpoint}/1/", f"/api/v2/{endpoint}/find/"]:
            assert csrf_client().post(url).status_code == 405, url
