from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.static import serve
from wagtail.models import Page

from .search import search_records, search_results

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search(request):
    # PostgreSQL cannot take a NUL in text; no real search has one.
    words = request.GET.get("query", "").replace("\x00", " ").split()
    query = " ".join(words)[:SEARCH_QUERY_MAX_LENGTH]
    results = Page.objects.live().public().search(query) if query else Page.objects.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = search_results(page.object_list)
    records = search_records(query) if query else []
    context = {
        "query": query,
        "results": page,
        "paginator": page.paginator,
        "records": records if page.number == 1 else [],
        "found_count": page.paginator.count + len(records),
    }
    return TemplateResponse(request, "hub/search.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def media(request, folder, path):
    # Rooted in the folder itself, so that no `..` in the path can reach another one (documents).
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / folder)
