"""Every email allauth can send here names the site, never a host and port, in the site's words.

Parametrised over the emails allauth ships (read from the installed package), each sent by a real
request: a new one fails until it is themed here, or shown to be off in our settings."""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account import app_settings
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from hub.factories import UserFactory
from hub.sites import site_sync

pytestmark = pytest.mark.django_db

ALLAUTH = Path(allauth.__file__).parent
SHIPPED = sorted(
    path.name.removesuffix("_subject.txt")
    for path in (ALLAUTH / "templates" / "account" / "email").glob("*_subject.txt")
)
SITE = "Mad Pride Coalition"
BASE_URL = "http://127.0.0.1:8000"
PASSWORD = "a-long-and-unusual-passphrase"
NEW_PASSWORD = "another-long-unusual-passphrase"


@pytest.fixture
def named_site(settings):
    """A site with a name of its own, at an address with a port, as in development."""
    settings.SITE_NAME = SITE
    settings.BASE_URL = BASE_URL
    site_sync()
    yield
    # The renamed Site must not outlive its rolled-back row in Django's Site cache.
    Site.objects.clear_cache()


@pytest.fixture
def member(db):
    user = UserFactory(email="member@example.org")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    return user


def signing_up(client, send, member):
    send(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    return "new@example.org"


def joining_again_with_an_address_that_has_an_account(client, send, member):
    send(
        reverse("account_signup"),
        {"email": member.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    return member.email


def adding_an_address(client, send, member):
    client.force_login(member)
    send(reverse("account_email"), {"action_add": "", "email": "third@example.org"})
    return "third@example.org"


def asking_for_a_password_reset(client, send, member):
    send(reverse("account_reset_password"), {"email": member.email})
    return member.email


def asking_for_a_reset_for_an_address_without_an_account(client, send, member):
    send(reverse("account_reset_password"), {"email": "nobody@example.org"})
    return "nobody@example.org"


def resetting_the_password_from_the_link(client, send, member):
    send(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    mail.outbox.clear()
    send(form.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    return member.email


def changing_the_password(client, send, member):
    client.force_login(member)
    send(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    return member.email


def setting_a_first_password(client, send, member):
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    send(reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    return member.email


def making_another_address_the_main_one(client, send, member):
    EmailAddress.objects.filter(email="second@example.org").update(verified=True)
    client.force_login(member)
    send(reverse("account_email"), {"action_primary": "", "email": "second@example.org"})
    return member.email  # the address that was the main one is told


def removing_an_address(client, send, member):
    client.force_login(member)
    send(reverse("account_email"), {"action_remove": "", "email": "second@example.org"})
    return member.email


# Each email allauth sends here: the request that sends it, its subject, words of its body.
SENT = {
    "email_confirmation_signup": (
        signing_up,
        "Confirm your email address",
        "used this address to join Mad Pride Coalition",
    ),
    "account_already_exists": (
        joining_again_with_an_address_that_has_an_account,
        "You already have an account",
        "tried to join Mad Pride Coalition with this address, member@example.org",
    ),
    "email_confirmation": (
        adding_an_address,
        "Confirm your email address",
        "added this address to an account on Mad Pride Coalition",
    ),
    "password_reset_key": (
        asking_for_a_password_reset,
        "Reset your password",
        "reset the password of your account on Mad Pride Coalition",
    ),
    "unknown_account": (
        asking_for_a_reset_for_an_address_without_an_account,
        "There is no account with this address",
        "an account on Mad Pride Coalition with this address, nobody@example.org",
    ),
    "password_reset": (
        resetting_the_password_from_the_link,
        "Your password was reset",
        "The password of your account on Mad Pride Coalition was reset",
    ),
    "password_changed": (
        changing_the_password,
        "Your password was changed",
        "The password of your account on Mad Pride Coalition was changed",
    ),
    "password_set": (
        setting_a_first_password,
        "A password was set on your account",
        "A password was set on your account on Mad Pride Coalition",
    ),
    "email_changed": (
        making_another_address_the_main_one,
        "Your main email address was changed",
        "changed from member@example.org to second@example.org",
    ),
    "email_deleted": (
        removing_an_address,
        "An email address was removed from your account",
        "The address second@example.org was removed from your account on Mad Pride Coalition",
    ),
}
# Emails allauth ships that it cannot send here, and why not: each reason is checked below.
NOT_SENT = {
    "email_confirm": "allauth sends it from nowhere",
    "login_code": "ACCOUNT_LOGIN_BY_CODE_ENABLED",
    "password_reset_code": "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED",
}
NOTIFICATIONS = {"password_reset", "password_changed", "password_set", "email_changed",
                 "email_deleted"}  # fmt: skip


def test_every_email_allauth_ships_is_listed():
    assert set(SHIPPED) == set(SENT) | set(NOT_SENT)


def prose(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


@pytest.mark.parametrize("prefix", SHIPPED)
def test_each_email_names_the_site_never_a_host_and_port(
    client, django_capture_on_commit_callbacks, named_site, member, prefix
):
    if prefix in NOT_SENT:
        reason = NOT_SENT[prefix]
        if reason.startswith("ACCOUNT_"):
            assert getattr(app_settings, reason.removeprefix("ACCOUNT_")) is False, reason
        else:
            sources = [
                path.read_text() for path in ALLAUTH.rglob("*.py") if "tests" not in path.parts
            ]
            assert not any(f'"account/email/{prefix}"' in source for source in sources), reason
        return
    flow, subject, words = SENT[prefix]

    def send(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code < 400, response.content.decode()

    recipient = flow(client, send, member)
    assert [message.to for message in mail.outbox] == [[recipient]]
    message = mail.outbox[0]
    assert message.subject == f"[{SITE}] {subject}"
    assert message.body.startswith(f"Hello from {SITE}.\n")
    assert message.body.rstrip().endswith(f"\n{SITE}")
    assert words in message.body
    for host in ("127.0.0.1", "8000", "testserver", "example.com", "localhost"):
        assert host not in prose(message.subject + message.body), (host, message.body)
    if prefix in NOTIFICATIONS:
        assert f"{BASE_URL}/accounts/password/reset/\n" in message.body
        assert "This happened on " in message.body
