import logging

from celery import current_app
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django_redis.cache import RedisCache
from wagtail.models import Page

from .admin_access import pages_public_or_own

logger = logging.getLogger(__name__)

HEALTH_CHECK_PATH = "/healthz/"
READINESS_PATH = "/readyz/"
NO_STORE = {"Cache-Control": "no-store"}


def _check(name, probe) -> str:
    try:
        probe()
    except Exception:
        logger.warning("Readiness: %s is down", name, exc_info=True)
        return "down"
    return "ok"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    # The Redis cache answers a miss when Redis is down (django-redis IGNORE_EXCEPTIONS), so only
    # a ping of its own shows it.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        backend.client.get_client(write=True).ping()


def _broker():
    app = current_app
    if app.conf.task_always_eager:
        return
    with app.pool.acquire(block=True, timeout=1) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0.1)
        broker.default_channel.client.ping()


def readiness() -> dict[str, str]:
    """Each service the site uses, "ok" or "down"."""
    return {
        "database": _check("the database", _database),
        "cache": _check("the cache", _cache),
        "broker": _check("the broker", _broker),
    }


class HealthCheckMiddleware:
    """Answers container health checks before host validation and the HTTPS redirect.

    Health checks come from inside the container as http://127.0.0.1, which is neither an
    allowed host nor HTTPS in production. `/healthz/` is liveness: the process answers and
    reaches the database, which is all a restart could fix. `/readyz/` is readiness: 503
    with the state of the database, cache and broker when any is down (the site then still
    serves, degraded: pages uncached, emails waiting in the outbox).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path == HEALTH_CHECK_PATH:
            connection.ensure_connection()
            return HttpResponse("ok", content_type="text/plain", headers=NO_STORE)
        if request.method == "GET" and request.path == READINESS_PATH:
            state = readiness()
            ready = all(value == "ok" for value in state.values())
            return JsonResponse(state, status=200 if ready else 503, headers=NO_STORE)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with Wagtail's admin on its own looser policy
    (settings.ADMIN_CSP_DIRECTIVES); a view's own @csp decorators still win."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        enabled = (
            settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            if report_only
            else settings.CONTENT_SECURITY_POLICY
        )
        if (
            enabled
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_CSP_PATH_PREFIX)
        ):
            parts.config = settings.ADMIN_CSP_DIRECTIVES
        return parts


class SecurityHeadersMiddleware:
    """Sets Permissions-Policy, which Django's SecurityMiddleware does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AdminPageScopeMiddleware:
    """Any admin view given a page's id answers 404 to a user who may not see that page.

    Wagtail checks what a user may do to a page, but many of its views (workflow actions,
    previews, history) name the page, or queue a message naming it, before they check; so a
    network editor could read the titles of other networks' drafts and private pages by id.
    """

    PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(settings.ADMIN_CSP_PATH_PREFIX):
            return None
        ids = {view_kwargs[name] for name in self.PAGE_KWARGS if name in view_kwargs}
        if not ids or not request.user.is_authenticated:
            return None
        visible = pages_public_or_own(Page.objects.filter(pk__in=ids), request.user)
        if visible.count() != len(ids):
            raise Http404
        return None
