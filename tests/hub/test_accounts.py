import os
import re
import shutil
import statistics
import subprocess
import time

import pytest
from allauth.account import app_settings as allauth_settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, capture, email="member@example.org"):
    with capture(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )


def test_sign_up_verify_email_then_log_in(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="member@example.org")
    assert not user.emailaddress_set.get().verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert message.subject.startswith("[Free Association]")
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body).group(1)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "member@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("account_email_verification_sent"), "unverified: no login"
    assert "_auth_user_id" not in client.session

    response = client.get(link)
    assert response.status_code == 200, "a GET shows the confirm button and confirms nothing"
    assert not user.emailaddress_set.get().verified
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Sign out" in client.get("/").content.decode()


def test_sign_up_twice_with_the_same_email_makes_one_account(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, "Same@Example.org")
    client.logout()
    sign_up(client, django_capture_on_commit_callbacks, "same@example.org")
    assert get_user_model().objects.filter(email__iexact="same@example.org").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password1": PASSWORD, "password2": PASSWORD}, "This field is required"),
        ({"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD}, "valid email"),
        ({"email": "a@example.org", "password1": "short", "password2": "short"}, "too short"),
        ({"email": "a@example.org", "password1": PASSWORD, "password2": "other"}, "same password"),
        ({"email": "ü" * 300 + "@example.org", "password1": PASSWORD, "password2": PASSWORD},
         "valid email"),
    ],
)  # fmt: skip
def test_bad_sign_up_input_gets_a_clear_message(client, data, message):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_password_reset_sends_an_email(client, django_capture_on_commit_callbacks):
    get_user_model().objects.create_user("reset@example.org", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_allauth_rate_limits_are_on():
    limits = allauth_settings.RATE_LIMITS
    assert limits, "rate limits must not be switched off"
    for action in ["login_failed", "signup", "reset_password", "confirm_email"]:
        assert limits.get(action), action


def test_allauth_pages_speak_in_the_sites_voice(client):
    headings = {
        "account_login": "Sign in",
        "account_signup": "Join",
        "account_reset_password": "Reset your password",
    }
    for name, heading in headings.items():
        html = client.get(reverse(name)).content.decode()
        assert re.search(rf"<h1>\s*{heading}\s*</h1>", html), name
        assert re.search(rf"<title>\s*{heading}\s*·", html), name
    client.force_login(get_user_model().objects.create_user("member@example.org", PASSWORD))
    for name, heading in {
        "account_email": "Your email addresses",
        "account_change_password": "Change password",
    }.items():
        html = client.get(reverse(name)).content.decode()
        assert re.search(rf"<h1>\s*{heading}\s*</h1>", html), name
        assert 'class="skip-link"' in html


def test_the_site_follows_the_settings_after_every_migrate():
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Free Association", "testserver")


def production_password_hashers() -> list[str]:
    from tests.test_settings import PRODUCTION_ENV, run_manage

    script = "from django.conf import settings; print(*settings.PASSWORD_HASHERS)"
    result = run_manage("shell", "--no-imports", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_sign_up_takes_as_long_for_an_existing_address_as_for_a_new_one(
    client, settings, django_capture_on_commit_callbacks
):
    """The reply's speed must not tell who has an account: with the real hasher, hashing the new
    account's password is most of a sign-up, so the existing-address path hashes one too."""
    rounds = 7
    for n in range(rounds):
        get_user_model().objects.create_user(f"existing-{n}@example.org", PASSWORD)
    settings.PASSWORD_HASHERS = production_password_hashers()
    timings = {"existing": [], "new": []}
    # Interleaved, so that load from elsewhere on the machine falls on both kinds alike.
    for n in range(rounds):
        for kind in timings:
            mail.outbox.clear()
            client.logout()
            with django_capture_on_commit_callbacks() as queued:
                started = time.perf_counter()
                response = client.post(
                    reverse("account_signup"),
                    {
                        "email": f"{kind}-{n}@example.org",
                        "password1": PASSWORD,
                        "password2": PASSWORD,
                    },
                )
                timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 302
            assert response.url == reverse("account_email_verification_sent")
            assert mail.outbox == [], "queued after the commit, not sent in the request"
            assert len(queued) == 1
            queued[0]()
            assert [message.to for message in mail.outbox] == [[f"{kind}-{n}@example.org"]]
    ratio = statistics.median(timings["existing"]) / statistics.median(timings["new"])
    assert 0.5 < ratio < 2, timings


def test_the_committed_catalog_is_built_from_its_source(tmp_path):
    """locale/en_GB's django.mo is what `make messages` makes of the .po beside it."""
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (gettext) is not installed: make system-deps installs it")
        pytest.skip("msgfmt (gettext) is not installed")
    source = ROOT / "locale" / "en_GB" / "LC_MESSAGES"
    built = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", built, source / "django.po"], check=True)
    assert built.read_bytes() == (source / "django.mo").read_bytes(), "run `make messages`"
