import datetime

import pytest
from django.core import mail

from campaigns.factories import SignatureFactory
from digests.factories import MemberPreferencesFactory
from hub.factories import UserFactory
from hub.models import Announcement, OutboxMessage
from targets import announcements, services, tasks

from .conftest import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demand):
    """Who hears about the demand, and who does not."""
    signer = SignatureFactory(
        demand=demand, email="ada@gmail.com", email_canonical="ada@gmail.com", keep_updated=True
    )
    SignatureFactory(demand=demand, email="quiet@example.net", keep_updated=False)
    SignatureFactory(demand=demand, email="unconfirmed@example.net", keep_updated=True,
                     confirmed_at=None)  # fmt: skip
    SignatureFactory(demand=demand, email="held@example.net", keep_updated=True, held=True)
    # Signs and follows: one email, the signer's (with its withdraw link).
    MemberPreferencesFactory(user=UserFactory(email="A.da+hub@gmail.com"), demands=[demand])
    MemberPreferencesFactory(user=UserFactory(email="follower@example.org"), demands=[demand])
    MemberPreferencesFactory(user=UserFactory(email="elsewhere@example.org"))
    MemberPreferencesFactory(
        user=UserFactory(email="gone@example.org", is_active=False), demands=[demand]
    )
    return signer


def recipients(key: str) -> list[str]:
    assert Announcement.objects.filter(key=key).exists()
    return sorted(address for message in OutboxMessage.objects.all() for address in message.to)


def test_one_email_per_person_who_asked(demand, target, moderator, people):
    delivery = delivered(demand, target, moderator)
    assert announcements.delivery_announce(delivery_id=delivery.pk) == 2
    assert recipients(f"delivery:{delivery.pk}") == ["ada@gmail.com", "follower@example.org"]
    signer_email = OutboxMessage.objects.get(to=["ada@gmail.com"])
    assert "withdraw it here:\nhttp" in signer_email.text
    assert signer_email.headers["List-Unsubscribe"].startswith("<http")
    follower_email = OutboxMessage.objects.get(to=["follower@example.org"])
    assert "/preferences/" in follower_email.headers["List-Unsubscribe"]
    assert "withdraw" not in follower_email.text
    for message in (signer_email, follower_email):
        assert "NHS England" in message.subject and demand.title in message.text
        assert demand.url in message.text


def test_the_delivery_and_the_response_are_each_announced_once(
    demand, target, moderator, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivered(demand, target, moderator)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@gmail.com", "follower@example.org"]
    assert tasks.announce_delivery(delivery_id=delivery.pk) is None
    assert tasks.announce_missed() == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_record(
            delivery=delivery, text="<p>We will review IAPT.</p>", user=moderator
        )
    assert len(mail.outbox) == 2
    assert "answered" in mail.outbox[0].subject
    assert "We will review IAPT." in mail.outbox[0].body
    assert tasks.announce_response(delivery_id=delivery.pk) is None
    assert len(mail.outbox) == 2


def test_the_sweep_announces_what_a_lost_task_missed(demand, target, moderator, people):
    # No on-commit callbacks run here: as if the broker had lost both tasks.
    delivery = delivered(demand, target, moderator)
    services.response_record(delivery=delivery, text="Yes.", user=moderator)
    assert not Announcement.objects.exists()
    assert tasks.announce_missed() == 2
    assert set(Announcement.objects.values_list("key", flat=True)) == {
        f"delivery:{delivery.pk}",
        f"response:{delivery.pk}",
    }
    assert OutboxMessage.objects.count() == 4
    assert tasks.announce_missed() == 0
    assert OutboxMessage.objects.count() == 4


@pytest.mark.parametrize(
    "response_due,expected",
    [
        (datetime.date(2099, 1, 5), "We expect NHS England to answer by 5 January 2099."),
        (
            datetime.date(2026, 3, 2),
            "NHS England should have answered by 2 March 2026 and has not yet.",
        ),
    ],
)
def test_a_delivery_recorded_late_does_not_promise_a_past_date(
    demand, target, moderator, people, response_due, expected
):
    delivered_on = datetime.date(2026, 2, 2)
    delivery = delivered(
        demand, target, moderator, delivered_on=delivered_on, response_due=response_due
    )
    announcements.delivery_announce(delivery_id=delivery.pk)
    message = OutboxMessage.objects.get(to=["ada@gmail.com"])
    assert expected in message.text and expected in message.html
    assert ("We expect" in message.text) is (response_due.year == 2099)
