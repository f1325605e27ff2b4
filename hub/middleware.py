from django.db import connection
from django.http import HttpResponse

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
