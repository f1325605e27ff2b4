import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from digests import services
from digests.factories import MemberPreferencesFactory
from digests.models import MemberPreferences
from hub.factories import TopicFactory, UserFactory
from networks.factories import NetworkPageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def member():
    return MemberPreferencesFactory(digest_frequency="weekly").user


def frequency(user) -> str:
    return MemberPreferences.objects.get(user=user).digest_frequency


def test_one_click_post_unsubscribes_without_login_or_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    url = services.unsubscribe_url(preferences_id=member.preferences.pk).removeprefix(
        "http://testserver"
    )
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert frequency(member) == "off"


def test_get_only_shows_a_confirm_button_then_post_unsubscribes(member):
    client = Client(enforce_csrf_checks=True)
    url = services.unsubscribe_url(preferences_id=member.preferences.pk).removeprefix(
        "http://testserver"
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert frequency(member) == "weekly", "a GET (a link scanner) must not unsubscribe"
    client.post(url)
    assert frequency(member) == "off"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused(member, method):
    other = MemberPreferencesFactory(digest_frequency="daily").user
    token = services.unsubscribe_token(preferences_id=member.preferences.pk)
    _value, rest = token.split(":", 1)
    forged_value = services.unsubscribe_token(preferences_id=other.preferences.pk).split(":")[0]
    forged = forged_value + ":" + rest
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        url = reverse("digests:digest_unsubscribe", args=[bad])
        response = getattr(Client(enforce_csrf_checks=True), method)(url)
        assert response.status_code == 400
    assert frequency(member) == "weekly"
    assert frequency(other) == "daily"


def test_preferences_need_login_and_save_follows(client):
    assert client.get(reverse("digests:preferences")).status_code == 302
    user = UserFactory()
    network, topic = NetworkPageFactory(), TopicFactory()
    client.force_login(user)
    assert client.get(reverse("digests:preferences")).status_code == 200
    response = client.post(
        reverse("digests:preferences"),
        {"digest_frequency": "daily", "networks": [network.pk], "topics": [topic.pk]},
    )
    assert response.status_code == 302
    preferences = MemberPreferences.objects.get(user=user)
    assert preferences.digest_frequency == "daily"
    assert list(preferences.networks.all()) == [network]
    assert list(preferences.topics.all()) == [topic]


def test_follow_and_unfollow_a_network_from_its_page(client):
    user = UserFactory()
    network = NetworkPageFactory(title="Nurses for Mental Health")
    client.force_login(user)
    page = client.get(network.url)
    assert b"Follow Nurses for Mental Health" in page.content
    url = reverse("digests:network_follow", args=[network.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"follow": "1", "next": "https://evil.example/"})
    assert response.url == network.url
    assert list(MemberPreferences.objects.get(user=user).networks.all()) == [network]
    assert b"Following Nurses for Mental Health" in client.get(network.url).content
    client.post(url, {"follow": "0"})
    assert not MemberPreferences.objects.get(user=user).networks.exists()


def test_the_follow_button_needs_csrf(client):
    user = UserFactory()
    network = NetworkPageFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    response = csrf_client.post(
        reverse("digests:network_follow", args=[network.pk]), {"follow": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("chosen", "stored"), [("weekly", "weekly"), (None, "off")])
def test_sign_up_asks_the_digest_frequency_default_off(
    client, django_capture_on_commit_callbacks, chosen, stored
):
    data = {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    if chosen:
        data["digest_frequency"] = chosen
    assert b'name="digest_frequency"' in client.get(reverse("account_signup")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302
    user = EmailAddress.objects.get(email="new@example.org").user
    assert frequency(user) == stored


def test_digest_runs_are_listed_read_only_in_the_wagtail_admin(client):
    from digests.models import DigestRun

    run = DigestRun.objects.create(frequency="daily", period="2026-11-23", sent=41, failed=2)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("wagtailsnippets_digests_digestrun:list"))
    assert listing.status_code == 200
    assert b"Daily digest 2026-11-23" in listing.content
    inspect = client.get(reverse("wagtailsnippets_digests_digestrun:inspect", args=[run.pk]))
    assert inspect.status_code == 200
    for action, args in (("add", []), ("edit", [run.pk]), ("delete", [run.pk])):
        response = client.get(reverse(f"wagtailsnippets_digests_digestrun:{action}", args=args))
        assert response.status_code in (302, 403), action
    assert DigestRun.objects.filter(pk=run.pk).exists()
