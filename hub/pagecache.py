"""Whole-page caching for anonymous visitors, with the parts that must be live filled in.

A page opts in by marking its response (`allow`); a response is stored only when it was made for
a visitor with no session and no pending messages (so nothing personal is in it), and it is kept
for the content version (hub.cache: any publish invalidates it) and at most PAGE_CACHE_SECONDS.

Two things are never served from the cache:
- CSRF tokens: stored blank, and filled on every response with a token for that visitor.
- Live fragments (`live_fragment`): parts such as a demand's count, marked in the HTML and
  rendered afresh on every response by the function registered in PAGE_CACHE_FRAGMENTS.
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .cache import content_version

PAGE_CACHE_SECONDS = 30
MESSAGES_COOKIE = "messages"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
LIVE = re.compile(r"<!--live:([a-z0-9-]+):([^>]*?)-->.*?<!--/live-->", re.DOTALL)
# Headers that belong to one response only.
UNSTORED_HEADERS = {"set-cookie", "content-length"}


def allow(response):
    """Mark a response as fit for the anonymous page cache."""
    response.page_cache = True
    return response


class AnonymousCachedPageMixin:
    """For a page whose own URL (not its sub-routes) shows the same to every anonymous visitor
    and changes only when pages are published, or with time within PAGE_CACHE_SECONDS."""

    def serve(self, request, *args, **kwargs):
        return allow(super().serve(request, *args, **kwargs))


def live_fragment(name: str, **params) -> str:
    """Render fragment `name` now, marked so that cached copies of the page re-render it."""
    html = import_string(settings.PAGE_CACHE_FRAGMENTS[name])(**params)
    marker = urlencode(sorted(params.items()))
    return mark_safe(f"<!--live:{name}:{marker}-->{html}<!--/live-->")  # noqa: S308


def _refresh_live(match) -> str:
    name, marker = match.group(1), match.group(2)
    if name not in settings.PAGE_CACHE_FRAGMENTS:
        return match.group(0)
    return live_fragment(name, **dict(parse_qsl(marker)))


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _key(request) -> str:
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    return f"page:{content_version()}:{digest}"


class AnonymousPageCacheMiddleware:
    """Sits after CsrfViewMiddleware, so that the CSRF cookie is set on cached responses too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._from_cache(request, stored)
        response = self.get_response(request)
        if self._storable(request, response):
            content = CSRF_INPUT.sub(r"\1\2", response.content.decode(response.charset))
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            cache.set(key, {"content": content, "headers": headers}, PAGE_CACHE_SECONDS)
        if getattr(response, "page_cache", False):
            patch_vary_headers(response, ["Cookie"])
        return response

    def _storable(self, request, response) -> bool:
        if not getattr(response, "page_cache", False) or response.status_code != 200:
            return False
        if response.streaming or response.cookies:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        messages = getattr(request, "_messages", None)
        return not (messages is not None and getattr(messages, "_queued_messages", None))

    def _from_cache(self, request, stored):
        from django.http import HttpResponse

        token = get_token(request)
        content = CSRF_INPUT.sub(lambda match: f"{match.group(1)}{token}{match.group(2)}",
                                 stored["content"])  # fmt: skip
        content = LIVE.sub(_refresh_live, content)
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        patch_vary_headers(response, ["Cookie"])
        return response
