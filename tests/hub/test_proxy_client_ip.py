"""Behind the proxy, allauth's limits (failed logins, sign-up, password reset) count each client
by the address the proxy saw, by the same rule as the site's own limits (hub.ratelimit)."""

import json

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory
from django.urls import reverse

from hub.factories import UserFactory
from hub.ratelimit import client_ip
from tests.test_settings import PRODUCTION_ENV, run_manage

PASSWORD = "a-long-and-unusual-passphrase"
PROXY = "172.18.0.5"
# allauth's default: 10 failed logins a minute per IP.
FAILURES_PER_MINUTE = 10


@pytest.fixture(scope="module")
def production_proxy_settings():
    """The proxy settings production loads with docker-compose.yml's NUM_PROXIES=1."""
    script = (
        "import json; from django.conf import settings; from allauth import app_settings; "
        "print(json.dumps({'NUM_PROXIES': settings.NUM_PROXIES, "
        "'ALLAUTH_TRUSTED_PROXY_COUNT': app_settings.TRUSTED_PROXY_COUNT}))"
    )
    result = run_manage("shell", "-c", script, **PRODUCTION_ENV, NUM_PROXIES="1")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def behind_one_proxy(settings, production_proxy_settings):
    for name, value in production_proxy_settings.items():
        setattr(settings, name, value)


def visitor(address: str) -> Client:
    """A browser whose requests reach gunicorn through the one proxy, which appends the address
    it saw to whatever X-Forwarded-For the browser sent."""

    class ThroughProxy(Client):
        def request(self, **request):
            sent = request.pop("HTTP_X_FORWARDED_FOR", "")
            forwarded = f"{sent}, {address}" if sent else address
            return super().request(**request, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    return ThroughProxy()


def log_in(client, email, password, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def locked_out(response) -> bool:
    return response.status_code == 429 or b"Too many failed login attempts" in response.content


def test_allauth_and_the_site_read_the_same_client_address(behind_one_proxy):
    for forwarded in ["203.0.113.1", "198.51.100.7, 203.0.113.1", "10.0.0.1,203.0.113.1"]:
        request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        assert get_adapter().get_client_ip(request) == client_ip(request) == "203.0.113.1"


@pytest.mark.django_db
def test_one_client_cannot_lock_another_out_of_login(behind_one_proxy):
    member = UserFactory(email="member@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    attacker, neighbour = visitor("203.0.113.1"), visitor("203.0.113.2")

    for number in range(FAILURES_PER_MINUTE):
        assert not locked_out(log_in(attacker, f"guess{number}@example.org", "wrong"))
    assert locked_out(log_in(attacker, "guess-more@example.org", "wrong")), "its own bucket fills"
    # A made-up first entry is the browser's own word; the proxy's entry still counts.
    spoofed = log_in(attacker, "guess-again@example.org", "wrong", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert locked_out(spoofed), "a spoofed X-Forwarded-For entry does not escape the bucket"

    response = log_in(neighbour, member.email, PASSWORD)
    assert response.status_code == 302, "another client behind the same proxy still signs in"
    assert int(neighbour.session["_auth_user_id"]) == member.pk
