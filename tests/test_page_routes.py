"""A page's routes and its children's slugs never collide: Wagtail's RoutablePageMixin answers
its routes before it looks for a child, so a child on a route's first segment would be hidden."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from events.factories import EventPageFactory
from hub.subpages import RouteSafeSlugMixin, route_takes_slug
from networks import approval
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory
from networks.models import NetworkIndexPage, NetworkPage


def first_segments(page_class) -> set[str]:
    routes = page_class.get_subpage_urls()
    return {str(route.pattern).lstrip("^").split("/")[0] for route in routes} - {""}


def test_every_page_type_allowed_under_a_routable_page_checks_its_slug():
    routable = [model for model in get_page_models() if issubclass(model, RoutablePageMixin)]
    assert {NetworkIndexPage, NetworkPage} <= set(routable)
    unchecked = {
        (parent.__name__, child.__name__)
        for parent in routable
        for child in parent.allowed_subpage_models()
        if not issubclass(child, RouteSafeSlugMixin)
    }
    assert unchecked == set()


def test_the_slugs_taken_are_the_first_segments_of_the_routes():
    assert first_segments(NetworkIndexPage) == {"apply", "positions", "invitations"}
    assert first_segments(NetworkPage) == {"members", "leave", "positions"}
    for page_class in (NetworkIndexPage, NetworkPage):
        for slug in first_segments(page_class):
            assert route_takes_slug(page_class, slug)
            assert not route_takes_slug(page_class, f"{slug}-2")
    assert not route_takes_slug(PositionPageFactory._meta.model, "members"), "not routable"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["members", "leave", "positions"])
def test_no_page_under_a_network_takes_a_slug_its_routes_answer(slug):
    network = NetworkPageFactory()
    for child in [PositionPageFactory(parent=network), EventPageFactory(parent=network)]:
        child.slug = slug
        with pytest.raises(ValidationError, match="used by the site"):
            child.full_clean()
        child.slug = f"{slug}-of-ours"
        child.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["apply", "positions", "invitations"])
def test_no_network_takes_a_slug_the_directory_routes_answer(slug):
    network = NetworkPageFactory(parent=NetworkIndexPageFactory())
    network.slug = slug
    with pytest.raises(ValidationError, match="used by the site"):
        network.full_clean()
    assert approval._free_slug(network.get_parent(), slug) == f"{slug}-2"


@pytest.mark.django_db
def test_the_route_answers_before_any_child(client):
    network = NetworkPageFactory(parent=NetworkIndexPageFactory())
    position = PositionPageFactory(parent=network, title="On leaving")
    # Written past validation, as a page made before its parent had the route would be.
    type(position).objects.filter(pk=position.pk).update(
        slug="leave", url_path=f"{network.url_path}leave/"
    )
    response = client.get(f"{network.url}leave/")
    assert response.status_code == 302, "the route (signed-in only), not the position"
