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
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    ancestors = cached(
        f"ancestors:{page.pk}",
        lambda: list(page.get_ancestors().filter(depth__gt=1).only("title", "url_path")),
    )
    return {"request": context["request"], "ancestors": ancestors, "page": page}


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
