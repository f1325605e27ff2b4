from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from wagtail.models import Page

from .admin_access import pages_public_or_own

HEALTH_CHECK_PATH = "/healthz/"


class HealthCheckMiddleware:
    """Answers container health checks before host validation and the HTTPS redirect.

    Health checks come from inside the container as http://127.0.0.1, which is neither an
    allowed host nor HTTPS in production.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_CHECK_PATH and request.method == "GET":
            connection.ensure_connection()
            return HttpResponse(
                "ok", content_type="text/plain", headers={"Cache-Control": "no-store"}
            )
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
