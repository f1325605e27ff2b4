"""Routing by url_path answers exactly as Wagtail's level-by-level walk does."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import PlatformPage
from hub.models import HomePage
from hub.routing import route_by_url_path

pytestmark = pytest.mark.django_db


def wagtail_route(home, components):
    return Page.route(home, RequestFactory().get("/"), components)


@pytest.mark.parametrize(
    "path",
    ["demands", "demands/p", "demands/p/d", "demands/p/cosign", "demands/p/d/counts",
     "demands/p/d/names", "demands/p/nope", "nope", "demands/p/d/nope/deeper"],
)  # fmt: skip
def test_the_same_page_and_view_as_wagtail(path):
    platform = PlatformPageFactory(slug="p")
    DemandPageFactory(parent=platform, slug="d")
    home = HomePage.objects.get()
    components = path.split("/")
    try:
        expected = wagtail_route(home, components)
    except Http404:
        with pytest.raises(Http404):
            route_by_url_path(home, RequestFactory().get("/"), components)
        return
    page, args, kwargs = route_by_url_path(home, RequestFactory().get("/"), components)
    assert (page.pk, type(page)) == (expected.page.pk, type(expected.page))
    # A routable page's sub-route comes back as (view, args, kwargs).
    view = args[0].__name__ if args else None
    assert view == (expected.args[0].__name__ if expected.args else None)


def test_a_page_mid_path_with_a_route_of_its_own_routes_the_rest(monkeypatch):
    platform = PlatformPageFactory(slug="p")
    DemandPageFactory(parent=platform, slug="d")
    home = HomePage.objects.get()

    def route(self, request, path_components):
        return RouteResult(self, kwargs={"rest": path_components})

    monkeypatch.setattr(PlatformPage, "route", route)
    expected = wagtail_route(home, ["demands", "p", "d", "anything"])
    page, _args, kwargs = route_by_url_path(
        home, RequestFactory().get("/"), ["demands", "p", "d", "anything"]
    )
    assert (
        (page.pk, kwargs)
        == (expected.page.pk, expected.kwargs)
        == (
            platform.pk,
            {"rest": ["d", "anything"]},
        )
    )


def test_the_parent_is_read_from_the_database_not_from_a_private_cache():
    platform = PlatformPageFactory(slug="p")
    DemandPageFactory(parent=platform, slug="d")
    page, _args, _kwargs = route_by_url_path(
        HomePage.objects.get(), RequestFactory().get("/"), ["demands", "p", "d"]
    )
    assert "_cached_parent_obj" not in vars(page)
    assert page.get_parent().pk == platform.pk
