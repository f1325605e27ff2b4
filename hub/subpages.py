"""The routes of routable pages: their URLs, and the child slugs they take.

A live RoutablePage answers its own routes before it looks for a child page (Wagtail's
`RoutablePageMixin.route` falls back to the children only when no route matches), so a child
whose slug begins one of its parent's routes could never be reached. The slugs taken are read
from the parent's own routes, so a new route guards itself.
"""

import re

from django.core.exceptions import ValidationError
from django.urls.resolvers import RoutePattern
from wagtail.contrib.routable_page.models import RoutablePageMixin


def subpage_url(page, name: str, *, request=None, **kwargs) -> str:
    """The URL of the route `name` of a routable page, as the `routablepageurl` tag makes it."""
    return page.get_url(request) + page.reverse_subpage(name, kwargs=kwargs)


def route_takes_slug(page_class, slug: str) -> bool:
    """Whether a route of `page_class` begins with the path segment `slug`."""
    if not issubclass(page_class, RoutablePageMixin):
        return False
    for route in page_class.get_subpage_urls():
        first = str(route.pattern).lstrip("^").split("/")[0]
        if not first:
            continue  # the page's own URL
        if isinstance(route.pattern, RoutePattern):
            # A converter such as <str:token> takes every slug it matches.
            taken = RoutePattern(f"{first}/", is_endpoint=False).match(f"{slug}/")
        else:
            taken = re.fullmatch(first, slug)
        if taken:
            return True
    return False


class RouteSafeSlugMixin:
    """For a page type allowed under a routable page: refuses a slug its parent's routes take."""

    def clean(self):
        super().clean()
        parent = self.get_parent()
        if parent is not None and route_takes_slug(parent.specific_class, self.slug):
            raise ValidationError({"slug": f"“{self.slug}” is used by the site: choose another."})
