"""The weekly digest for people without an account: subscribe, confirm by emailed link, merge
into an account with the same address."""

import datetime as dt
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digests import services
from digests.factories import MemberPreferencesFactory, SubscriberFactory
from digests.models import DigestFrequency, MemberPreferences
from hub.factories import TopicFactory, UserFactory
from hub.models import Region
from tests.conftest import run_in_threads

pytestmark = pytest.mark.django_db

URL = "/preferences/subscribe/"
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def topic():
    return TopicFactory(name="Waiting lists")


def subscribe(client, django_capture_on_commit_callbacks, email, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, {"email": email, **data})


def confirm_path(message) -> str:
    (url,) = re.findall(r"http://testserver(/preferences/subscribe/confirm/[^/\s]+/)", message.body)
    return url


def subscription(email: str) -> MemberPreferences:
    return MemberPreferences.objects.get(user__isnull=True, email__iexact=email)


def test_the_form_is_open_to_anyone_with_labelled_groups_and_a_hidden_honeypot(client, topic):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset>") == 2
    assert "<legend>Topics:</legend>" in html and "<legend>Regions:</legend>" in html
    assert f'<label for="id_topics_0"><input type="checkbox" name="topics" value="{topic.pk}"' in (
        html
    )
    assert '<div class="visually-hidden" aria-hidden="true">' in html
    assert URL in client.get("/").content.decode(), "the footer links to the form"
    login = client.get(reverse("digests:preferences"), follow=True)
    assert URL in login.content.decode(), "the sign-in page /preferences/ sends people to"


def test_a_link_is_emailed_a_get_confirms_nothing_and_the_post_confirms(
    client, django_capture_on_commit_callbacks, topic
):
    wales = Region.objects.get(slug="wales")
    response = subscribe(
        client, django_capture_on_commit_callbacks, "Ada@Example.org",
        topics=[topic.pk], regions=[wales.pk],
    )  # fmt: skip
    assert response.status_code == 200
    assert b"Check your email" in response.content
    (message,) = mail.outbox
    assert message.to == ["Ada@Example.org"]
    assert "Confirm your weekly digest" in message.subject
    assert "<a href=" in message.alternatives[0][0]
    row = subscription("ada@example.org")
    assert (row.digest_frequency, row.confirmed_at) == ("weekly", None)
    assert list(row.topics.all()) == [topic] and list(row.regions.all()) == [wales]

    path = confirm_path(message)
    page = Client(enforce_csrf_checks=True).get(path)
    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    assert subscription("ada@example.org").confirmed_at is None, "a mail scanner's GET"

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert b"Your digest is confirmed" in confirmed.content
    assert subscription("ada@example.org").confirmed_at is not None
    assert client.post(path).status_code == 200, "pressing the button twice is harmless"


def test_the_confirmation_needs_a_csrf_token(client, django_capture_on_commit_callbacks, topic):
    subscribe(client, django_capture_on_commit_callbacks, "ada@example.org", topics=[topic.pk])
    response = Client(enforce_csrf_checks=True).post(confirm_path(mail.outbox[0]))
    assert response.status_code == 403
    assert subscription("ada@example.org").confirmed_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_and_expired_links_are_refused(
    client, django_capture_on_commit_callbacks, monkeypatch, topic, method
):
    subscribe(client, django_capture_on_commit_callbacks, "ada@example.org", topics=[topic.pk])
    row = subscription("ada@example.org")
    other = SubscriberFactory(confirmed_at=None)
    token = confirm_path(mail.outbox[0]).split("/")[-2]
    forged = services.subscriber_token(subscription=other).split(":")[0] + token[token.index(":") :]
    eight_days_ago = time.time() - dt.timedelta(days=8).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    expired = services.subscriber_token(subscription=row)
    monkeypatch.undo()
    unsubscribe = services.unsubscribe_token(preferences_id=row.pk)
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), expired,
                unsubscribe, "a-token"):  # fmt: skip
        response = getattr(client, method)(reverse("digests:subscriber_confirm", args=[bad]))
        assert response.status_code == 400, bad
        assert b"This link does not work" in response.content
    assert not MemberPreferences.objects.filter(confirmed_at__isnull=False).exists()


def test_bad_input_is_a_400_with_the_errors_and_the_choices_kept(client, topic):
    response = client.post(URL, {"email": "not an address", "topics": [topic.pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="not an address"' in html
    assert re.search(rf'value="{topic.pk}"[^>]*checked', html)
    response = client.post(URL, {"email": "ada@example.org"})
    assert response.status_code == 400
    assert b"Choose at least one topic or region" in response.content
    assert b'value="ada@example.org"' in response.content
    assert not MemberPreferences.objects.exists()
    assert mail.outbox == []


def test_too_many_requests_for_one_address_or_from_one_connection_get_a_429(client, topic):
    for _ in range(5):
        assert (
            client.post(URL, {"email": "ada@example.org", "topics": [topic.pk]}).status_code == 200
        )
    limited = client.post(URL, {"email": "a.d.a+x@example.org ", "topics": [topic.pk]})
    assert limited.status_code == 200, "a different mailbox is not limited by another's count"
    limited = client.post(URL, {"email": "ADA+news@example.org", "topics": [topic.pk]})
    assert limited.status_code == 429
    assert b"Too many requests" in limited.content

    other = Client(REMOTE_ADDR="10.0.0.9")
    codes = [
        other.post(URL, {"email": f"p{n}@example.org", "topics": [topic.pk]}).status_code
        for n in range(11)
    ]
    assert codes == [200] * 10 + [429]


def test_the_reply_is_the_same_for_new_pending_confirmed_account_and_spam_addresses(
    client, django_capture_on_commit_callbacks, topic
):
    UserFactory(email="member@example.org")
    SubscriberFactory(email="confirmed@example.org")
    SubscriberFactory(email="pending@example.org", confirmed_at=None)
    replies = {
        email: subscribe(
            Client(), django_capture_on_commit_callbacks, email, topics=[topic.pk], **extra
        )
        for email, extra in (
            ("new@example.org", {}), ("pending@example.org", {}),
            ("confirmed@example.org", {}), ("member@example.org", {}),
            ("bot@example.org", {"website": "http://spam.example"}),
        )
    }  # fmt: skip
    assert {(r.status_code, r.content) for r in replies.values()} == {
        (200, replies["new@example.org"].content)
    }
    assert not MemberPreferences.objects.filter(email="bot@example.org").exists()
    # The account's owner is asked too; nothing changes for them until the link is used.
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.org", "new@example.org"]


def test_asking_again_before_confirming_updates_the_choice_and_resends_at_most_hourly(
    client, django_capture_on_commit_callbacks, topic
):
    other_topic = TopicFactory()
    subscribe(client, django_capture_on_commit_callbacks, "ada@example.org", topics=[topic.pk])
    subscribe(
        client, django_capture_on_commit_callbacks, "ADA@example.org", topics=[other_topic.pk]
    )
    assert MemberPreferences.objects.filter(user__isnull=True).count() == 1
    assert list(subscription("ada@example.org").topics.all()) == [other_topic]
    assert len(mail.outbox) == 1

    MemberPreferences.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(hours=2))
    subscribe(client, django_capture_on_commit_callbacks, "ada@example.org", topics=[topic.pk])
    assert len(mail.outbox) == 2
    client.post(confirm_path(mail.outbox[0]))  # the first link still works
    assert subscription("ada@example.org").confirmed_at is not None


def test_a_confirmed_subscription_is_not_changed_by_someone_typing_its_address(
    client, django_capture_on_commit_callbacks, topic
):
    row = SubscriberFactory(email="ada@example.org", topics=[topic])
    subscribe(client, django_capture_on_commit_callbacks, "ada@example.org", regions=[1])
    assert list(row.topics.all()) == [topic] and not row.regions.exists()
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_of_one_address_make_one_subscription_and_one_email(topic):
    spellings = ["ada@example.org", "ADA@example.org", " Ada@Example.org"]

    run_in_threads(
        20,
        lambda n: services.subscriber_subscribe(email=spellings[n % 3], topics=[topic], regions=[]),
    )

    assert MemberPreferences.objects.filter(user__isnull=True).count() == 1
    assert len(mail.outbox) == 1


def test_confirming_an_accounts_address_merges_into_its_preferences(
    client, django_capture_on_commit_callbacks, topic
):
    wales = Region.objects.get(slug="wales")
    account = MemberPreferencesFactory(
        user=UserFactory(email="Member@Example.org"),
        digest_frequency="off",
        topics=[TopicFactory()],
    )
    subscribe(
        client, django_capture_on_commit_callbacks, "member@example.org",
        topics=[topic.pk], regions=[wales.pk],
    )  # fmt: skip
    response = client.post(confirm_path(mail.outbox[0]))

    assert b"belongs to an account" in response.content
    assert not MemberPreferences.objects.filter(user__isnull=True).exists()
    account.refresh_from_db()
    assert account.digest_frequency == DigestFrequency.WEEKLY
    assert topic in account.topics.all() and account.topics.count() == 2
    assert list(account.regions.all()) == [wales]


def test_a_daily_member_stays_daily_when_a_subscription_merges_in(topic):
    account = MemberPreferencesFactory(digest_frequency="daily")
    row = SubscriberFactory(email=account.user.email.upper(), confirmed_at=None, topics=[topic])
    services.subscriber_confirm(subscription=row)
    account.refresh_from_db()
    assert (account.digest_frequency, list(account.topics.all())) == ("daily", [topic])


def test_signing_up_and_confirming_the_address_merges_a_confirmed_subscription(
    client, django_capture_on_commit_callbacks, topic
):
    SubscriberFactory(email="ada@example.org", topics=[topic])
    pending = SubscriberFactory(email="bea@example.org", confirmed_at=None, topics=[topic])
    data = {"email": "ADA@example.org", "password1": PASSWORD, "password2": PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), data)
    (url,) = re.findall(
        r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    user = EmailAddress.objects.get(email__iexact="ada@example.org", verified=True).user
    assert not MemberPreferences.objects.filter(email__iexact="ada@example.org").exists()
    assert user.preferences.digest_frequency == "weekly"
    assert list(user.preferences.topics.all()) == [topic]
    assert MemberPreferences.objects.filter(pk=pending.pk).exists()


def test_unconfirmed_subscriptions_are_purged_after_seven_days():
    old = timezone.now() - dt.timedelta(days=8)
    stale = SubscriberFactory(confirmed_at=None, confirmation_sent_at=old)
    fresh = SubscriberFactory(confirmed_at=None)
    confirmed = SubscriberFactory(confirmation_sent_at=old)
    member = MemberPreferencesFactory()

    from digests.tasks import purge_unconfirmed_subscribers

    assert purge_unconfirmed_subscribers.delay().get() == 1
    remaining = set(MemberPreferences.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, confirmed.pk, member.pk}
    assert stale.pk not in remaining


def test_one_click_unsubscribe_deletes_a_subscription(client):
    row = SubscriberFactory()
    url = services.unsubscribe_url(preferences_id=row.pk).removeprefix("http://testserver")
    assert Client(enforce_csrf_checks=True).get(url).status_code == 200
    assert MemberPreferences.objects.filter(pk=row.pk).exists()
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not MemberPreferences.objects.filter(pk=row.pk).exists()


def test_a_preferences_row_is_an_accounts_or_a_weekly_addresses_never_both():
    from django.db import IntegrityError, transaction

    user = UserFactory()
    for bad in (
        {"user": user, "email": "x@example.org", "digest_frequency": "weekly"},
        {"user": None, "email": "", "digest_frequency": "weekly"},
        {"user": None, "email": "x@example.org", "digest_frequency": "daily"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            MemberPreferences.objects.create(**bad)
    SubscriberFactory(email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriberFactory(email="X@EXAMPLE.ORG")


def test_moderators_see_subscribers_read_only_and_no_members(client, topic):
    from django.contrib.auth.models import Group

    row = SubscriberFactory(email="listed@example.org", topics=[topic])
    member = MemberPreferencesFactory(user=UserFactory(email="hidden@example.org"))
    list_url = reverse("wagtailsnippets_digests_subscriber:list")
    client.force_login(UserFactory(is_staff=True))
    assert client.get(list_url).status_code in (302, 403), "an editor who is not a moderator"

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    listing = client.get(list_url)
    assert listing.status_code == 200
    assert b"listed@example.org" in listing.content and b"Waiting lists" in listing.content
    assert b"hidden@example.org" not in listing.content
    searched = client.get(list_url, {"q": "listed"})
    assert b"listed@example.org" in searched.content
    inspect = reverse("wagtailsnippets_digests_subscriber:inspect", args=[row.pk])
    assert client.get(inspect).status_code == 200
    member_inspect = reverse("wagtailsnippets_digests_subscriber:inspect", args=[member.pk])
    assert client.get(member_inspect).status_code == 404
    for action, args in (("add", []), ("edit", [row.pk]), ("delete", [row.pk])):
        response = client.get(reverse(f"wagtailsnippets_digests_subscriber:{action}", args=args))
        assert response.status_code in (302, 403), action
    assert MemberPreferences.objects.filter(pk__in=[row.pk, member.pk]).count() == 2
