"""Site search's results, each told apart by its type, network, date and a snippet.

Hub imports no feature app: a page model says what it is in search by defining
`search_summary(ancestors)`, which returns a `SearchSummary`, and names in `search_prefetch`
the relations that method reads, fetched here once per page type for the whole page of results.
Records that are not pages (targets) come from the `SEARCH_RECORDS_HOOK` Wagtail hook: each
function registered takes the query and returns a few `SearchRecord`s, shown above the pages
on the first page of results.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.models import Page

SNIPPET_WORDS = 30
SEARCH_RECORDS_HOOK = "site_search_records"


@dataclass(frozen=True)
class SearchSummary:
    kind: str
    snippet: str = ""
    network: str = ""
    date: date | datetime | None = None


@dataclass(frozen=True)
class SearchRecord:
    kind: str
    title: str
    url: str
    snippet: str = ""


@dataclass(frozen=True)
class SearchResult:
    page: Page
    summary: SearchSummary


def snippet(*texts: str) -> str:
    """The first of `texts` that says something, as plain words cut to a snippet's length."""
    for text in texts:
        words = " ".join(strip_tags(text or "").split())
        if words:
            return Truncator(words).words(SNIPPET_WORDS)
    return ""


def default_summary(page: Page) -> SearchSummary:
    return SearchSummary(
        kind="Page", snippet=snippet(page.search_description), date=page.last_published_at
    )


def _ancestor_paths(page: Page) -> list[str]:
    return [page.path[: Page.steplen * depth] for depth in range(2, page.depth)]


def search_results(pages) -> list[SearchResult]:
    """The summaries of a page of search results, in a number of queries that does not grow
    with the results: the specific pages per type, their prefetches, and all their ancestors."""
    pages = list(pages)
    specific = {
        page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()
    }
    by_class = defaultdict(list)
    for page in specific.values():
        by_class[type(page)].append(page)
    for page_class, members in by_class.items():
        if lookups := getattr(page_class, "search_prefetch", ()):
            prefetch_related_objects(members, *lookups)
    paths = {path for page in specific.values() for path in _ancestor_paths(page)}
    ancestors = {
        ancestor.path: ancestor
        for ancestor in Page.objects.filter(path__in=paths).only(
            "title", "path", "depth", "content_type"
        )
    }
    results = []
    for found in pages:
        page = specific.get(found.pk, found)
        lineage = [ancestors[path] for path in _ancestor_paths(page) if path in ancestors]
        summarise = getattr(page, "search_summary", None)
        summary = summarise(lineage) if summarise else default_summary(page)
        results.append(SearchResult(page=page, summary=summary))
    return results


def search_records(query: str) -> list[SearchRecord]:
    """The records (not pages) that each app registered with `SEARCH_RECORDS_HOOK` finds."""
    return [record for find in hooks.get_hooks(SEARCH_RECORDS_HOOK) for record in find(query)]
