from django import template
from django.conf import settings
from django.urls import reverse
from wagtail.models import Site

from hub.cache import cached
from hub.models import ContentPage

register = template.Library()


def _menu_pages(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    return cached(
        f"menu:{site.pk}",
        lambda: list(
            site.root_page.get_children().live().public().in_menu().only("title", "url_path")
        ),
    )


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The site's top-level pages marked for menus, then the routes that are not pages
    (settings.MAIN_NAV_ROUTES: pledges, targets), each as (title, url, is_current)."""
    request = context["request"]
    current_path = getattr(context.get("page"), "url_path", "")
    items = [
        (
            page.title,
            page.get_url(request),
            bool(current_path) and current_path.startswith(page.url_path),
        )
        for page in _menu_pages(request)
    ]
    for title, route in settings.MAIN_NAV_ROUTES:
        url = reverse(route)
        items.append((title, url, request.path.startswith(url)))
    return {"request": request, "items": items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """A page's ancestors; or, for a view that is no page, the site's home page followed by
    the view's `breadcrumb_trail` (title and URL pairs) and its `breadcrumb_current` title."""
    request = context["request"]
    if "breadcrumb_trail" in context:
        trail = [*_home_crumb(request), *context["breadcrumb_trail"]]
        return {"crumbs": trail, "current": context["breadcrumb_current"]}
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}
    ancestors = cached(
        f"ancestors:{page.pk}",
        lambda: list(page.get_ancestors().filter(depth__gt=1).only("title", "url_path")),
    )
    crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in ancestors]
    return {"crumbs": crumbs, "current": page.title}


def _home_crumb(request) -> list[tuple[str, str]]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    return cached(
        f"home-crumb:{site.pk}", lambda: [(site.root_page.title, site.root_page.get_url(request))]
    )


PRIVACY_SLUG = "privacy"


@register.simple_tag(takes_context=True)
def privacy_url(context) -> str:
    """The URL of the site's privacy page (the content page with slug "privacy"), or "" if none."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return ""

    def find() -> str:
        privacy = (
            ContentPage.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .filter(slug=PRIVACY_SLUG)
            .order_by("depth", "path")
            .first()
        )
        return (privacy.get_url(request) or "") if privacy else ""

    return cached(f"privacy-url:{site.pk}", find)
