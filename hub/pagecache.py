"""Whole-page caching for anonymous visitors, with the parts that must be live filled in.

A page opts in by marking its response (`allow`); a response is stored only when it was made for
a visitor with no session and no pending messages (so nothing personal is in it), and it is kept
for the content version (hub.cache: any publish invalidates it at once) and is fresh for
PAGE_CACHE_SECONDS. After that, one request renders the page again while the others are still
served the stale copy for up to PAGE_CACHE_STALE_SECONDS, so an expiry under load never sends
every worker to render the same page at once. One Redis round trip finds the version and the page.

A page is stored under its path and the query parameters it reads (PAGE_CACHE_PARAMETERS),
sorted, so a parameter nobody reads (`?utm=…`) neither makes an entry nor misses one; and only
when the request had no other parameters and the page declares that it was made from exactly
those (`allow(query=…)`: the filters that validated), so a value a filter refused makes no
entry either. A page reading a parameter must list it in PAGE_CACHE_PARAMETERS.

Two things are never served from the cache:
- CSRF tokens: stored blank, and filled on every response with a token for that visitor.
- Live fragments (`live_fragment`): parts such as a demand's count, marked in the HTML and
  rendered afresh on every response by the function registered in PAGE_CACHE_FRAGMENTS.
"""

import hashlib
import re
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .cache import VERSION_KEY, content_version

PAGE_CACHE_SECONDS = 30
PAGE_CACHE_STALE_SECONDS = 300
# Long enough for a slow render; a renderer that dies only delays the refresh by this much.
REFRESH_LOCK_SECONDS = 10
MESSAGES_COOKIE = "messages"
# The holes a stored page is cut at: each CSRF token, and each live fragment with its parameters.
HOLES = re.compile(
    r'(?<=name="csrfmiddlewaretoken" value=")[^"]*(?=")'
    r"|<!--live:([a-z0-9-]+):([^>]*?)-->.*?<!--/live-->",
    re.DOTALL,
)
# Headers that belong to one response only.
UNSTORED_HEADERS = {"set-cookie", "content-length"}


def allow(response, *, query=None):
    """Mark a response as fit for the anonymous page cache, made from the parameters `query`
    (name to value, or to a list of values, as the request gave them; none by default). A
    parameter the page read but left out of `query` keeps such requests out of the cache, as
    free-text searches are kept."""
    response.page_cache = True
    pairs = [
        (name, value)
        for name, values in (query or {}).items()
        for value in (values if isinstance(values, list) else [values])
    ]
    response.page_cache_query = urlencode(sorted(pairs))
    return response


def filter_query(request, names, *, multiple=(), page=None) -> dict:
    """The parameters `names` (the filters that validated) as the request gave them, and the
    page number past the first. A filter in `multiple` (a set of checkboxes) gives each of its
    values once: a request that repeats one is not stored, so repeats cannot fill the cache."""
    query = {
        name: sorted(set(request.GET.getlist(name))) if name in multiple else request.GET[name]
        for name in names
    }
    if page is not None and page.number > 1:
        query["page"] = str(page.number)
    return query


class AnonymousCachedPageMixin:
    """For a page whose own URL (not its sub-routes) shows the same to every anonymous visitor
    and changes only when pages are published, or with time within PAGE_CACHE_SECONDS."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return allow(response, query=self.page_cache_query(request, response.context_data))

    def page_cache_query(self, request, context) -> dict:
        """The parameters the page was made from (see `allow`)."""
        return {}


def live_fragment(name: str, **params) -> str:
    """Render fragment `name` now, marked so that cached copies of the page re-render it."""
    html = import_string(settings.PAGE_CACHE_FRAGMENTS[name])(**params)
    marker = urlencode(sorted(params.items()))
    return mark_safe(f"<!--live:{name}:{marker}-->{html}<!--/live-->")  # noqa: S308


def _cut(content: str) -> list:
    """The page as text between holes, cut once when stored so that serving it only joins:
    None stands for the visitor's CSRF token, (name, parameters) for a live fragment."""
    parts, end = [], 0
    for match in HOLES.finditer(content):
        name = match.group(1)
        if name is None:
            hole = None
        elif name in settings.PAGE_CACHE_FRAGMENTS:
            hole = (name, match.group(2))
        else:
            continue  # an unknown fragment stays as it was rendered
        parts += [content[end : match.start()], hole]
        end = match.end()
    parts.append(content[end:])
    return parts


def _fill(parts: list, token: str) -> str:
    return "".join(
        part if isinstance(part, str)
        else token if part is None
        else live_fragment(part[0], **dict(parse_qsl(part[1])))
        for part in parts
    )  # fmt: skip


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _known_query(request) -> tuple[str, bool]:
    """The parameters a cached page may read, sorted, as a query string; and whether they were
    all the request had. An empty value is no filter, as if it were not there."""
    known = settings.PAGE_CACHE_PARAMETERS
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    used = sorted((name, value) for name, value in pairs if name in known and value)
    return urlencode(used), all(name in known for name, _value in pairs)


def _key(request, query: str) -> str:
    url = f"{request.get_host()}{request.path}?{query}"
    return "page:" + hashlib.sha256(url.encode()).hexdigest()[:40]


def _lookup(key: str):
    """The stored page if it belongs to the current content version and is fresh, or stale with
    someone else already rendering it again; None when this request must render it."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or content_version()
    stored = found.get(key)
    if stored is None or stored["version"] != version:
        return None, version
    if stored["fresh_until"] > time.time():
        return stored, version
    if cache.add(f"{key}:refresh", 1, REFRESH_LOCK_SECONDS):
        return None, version
    return stored, version


class AnonymousPageCacheMiddleware:
    """Sits after CsrfViewMiddleware, so that the CSRF cookie is set on cached responses too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        query, complete = _known_query(request)
        key = _key(request, query)
        stored, version = _lookup(key)
        if stored is not None:
            return self._from_cache(request, stored)
        response = self.get_response(request)
        if complete and self._storable(request, response, query):
            parts = _cut(response.content.decode(response.charset))
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            entry = {"version": version, "fresh_until": time.time() + PAGE_CACHE_SECONDS,
                     "parts": parts, "headers": headers}  # fmt: skip
            cache.set(key, entry, PAGE_CACHE_STALE_SECONDS)
        if getattr(response, "page_cache", False):
            patch_vary_headers(response, ["Cookie"])
        return response

    def _storable(self, request, response, query: str) -> bool:
        if not getattr(response, "page_cache", False) or response.status_code != 200:
            return False
        if response.page_cache_query != query:
            return False
        if response.streaming or response.cookies:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        messages = getattr(request, "_messages", None)
        return not (messages is not None and getattr(messages, "_queued_messages", None))

    def _from_cache(self, request, stored):
        response = HttpResponse(_fill(stored["parts"], get_token(request)))
        for name, value in stored["headers"].items():
            response[name] = value
        patch_vary_headers(response, ["Cookie"])
        return response
