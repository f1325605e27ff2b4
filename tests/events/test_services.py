import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import services
from events.factories import RsvpFactory
from events.models import EventPage, Rsvp, RsvpStatus
from hub.factories import UserFactory


def statuses(event) -> dict[str, int]:
    rows = Rsvp.objects.filter(event=event).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


@pytest.mark.django_db
def test_someone_not_signed_in_holds_nothing_until_they_confirm(make_event, call):
    event = make_event(capacity=1)
    rsvp = call(services.rsvp_request, event=event, name="Ada", email="ada@example.org")
    assert rsvp.status == RsvpStatus.PENDING
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert f"/event-links/rsvp/{rsvp.token}/confirm/" in mail.outbox[0].body
    assert f"/event-links/rsvp/{rsvp.token}/cancel/" in mail.outbox[0].body

    rsvp = call(services.rsvp_confirm, rsvp=rsvp)
    assert rsvp.status == RsvpStatus.CONFIRMED
    assert "You have a place" in mail.outbox[1].subject
    assert f"/event-links/rsvp/{rsvp.token}/cancel/" in mail.outbox[1].body
    # Confirming again changes nothing and sends nothing.
    call(services.rsvp_confirm, rsvp=rsvp)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_same_email_twice_is_one_rsvp(make_event, call):
    event = make_event()
    first = call(services.rsvp_request, event=event, name="Ada", email="ada@example.org")
    second = call(services.rsvp_request, event=event, name="Ada L", email=" ADA+again@Example.org ")
    assert first.pk == second.pk
    call(services.rsvp_confirm, rsvp=first)
    member = UserFactory(email="ada@example.org")
    third = call(services.rsvp_member, event=event, user=member)
    assert third.pk == first.pk
    assert Rsvp.objects.filter(event=event).count() == 1
    # Someone typing a confirmed address again: the owner hears about it, nothing changes.
    call(services.rsvp_request, event=event, name="Not Ada", email="ada@example.org")
    assert Rsvp.objects.get().status == RsvpStatus.CONFIRMED
    assert mail.outbox[-1].to == ["ada@example.org"]


@pytest.mark.django_db
def test_a_member_answers_in_one_click_and_gets_the_joining_link(make_event, call):
    event = make_event(format="online", online_url="https://meet.example.org/private")
    member = UserFactory(first_name="Grace", last_name="Hopper")
    rsvp = call(services.rsvp_member, event=event, user=member)
    assert (rsvp.status, rsvp.name, rsvp.user) == (RsvpStatus.CONFIRMED, "Grace Hopper", member)
    assert "https://meet.example.org/private" in mail.outbox[0].body


@pytest.mark.django_db
def test_when_full_people_wait_and_move_up_in_order_when_someone_cancels(make_event, call):
    event = make_event(capacity=2, format="hybrid", online_url="https://meet.example.org/x")
    people = [call(services.rsvp_member, event=event, user=UserFactory()) for _ in range(4)]
    assert [rsvp.status for rsvp in people] == ["confirmed", "confirmed", "waiting", "waiting"]
    waiting_email = mail.outbox[2]
    assert "Waiting list" in waiting_email.subject
    assert "meet.example.org/x" not in waiting_email.body, "no joining link without a place"
    assert "/cancel/" in waiting_email.body

    sent = len(mail.outbox)
    call(services.rsvp_cancel, rsvp=people[0])
    assert statuses(event) == {"cancelled": 1, "confirmed": 2, "waiting": 1}
    assert Rsvp.objects.get(pk=people[2].pk).status == RsvpStatus.CONFIRMED, "first in the queue"
    promoted = mail.outbox[sent:]
    assert len(promoted) == 1
    assert promoted[0].to == [people[2].email]
    assert "A place came up" in promoted[0].subject
    assert "meet.example.org/x" in promoted[0].body

    # Leaving the waiting list frees no place, so no one moves up.
    call(services.rsvp_cancel, rsvp=people[3])
    assert statuses(event) == {"cancelled": 2, "confirmed": 2}
    # Cancelling twice is harmless.
    call(services.rsvp_cancel, rsvp=people[0])
    assert statuses(event) == {"cancelled": 2, "confirmed": 2}


@pytest.mark.django_db
def test_a_cancelled_reply_can_answer_again(make_event, call):
    event = make_event(capacity=5)
    rsvp = call(services.rsvp_request, event=event, name="Ada", email="ada@example.org")
    call(services.rsvp_confirm, rsvp=rsvp)
    call(services.rsvp_cancel, rsvp=rsvp)
    again = call(services.rsvp_request, event=event, name="Ada", email="ada@example.org")
    assert (again.pk, again.status) == (rsvp.pk, RsvpStatus.PENDING)
    assert call(services.rsvp_confirm, rsvp=again).status == RsvpStatus.CONFIRMED


@pytest.mark.django_db
def test_event_create_publishes_below_a_network_and_files_it_there(make_network, event_index):
    network = make_network()
    start = timezone.now() + dt.timedelta(days=3)
    event = services.event_create(
        parent=network, title="Cafe", start=start, end=start + dt.timedelta(hours=2)
    )
    event.refresh_from_db()
    assert event.live and event.organising_network_id == network.pk
    assert event.url == f"{network.url}cafe/"


def race(targets):
    """Run each target in its own thread, all released at once, each with its own connection."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_racing_for_the_last_five_places(make_event):
    event = make_event(capacity=15)
    RsvpFactory.create_batch(10, event=event, status=RsvpStatus.CONFIRMED)
    members = UserFactory.create_batch(20)
    event = EventPage.objects.get(pk=event.pk)

    race(
        [lambda member=member: services.rsvp_member(event=event, user=member) for member in members]
    )

    racers = Rsvp.objects.filter(event=event, user__in=members)
    assert racers.filter(status=RsvpStatus.CONFIRMED).count() == 5
    assert racers.filter(status=RsvpStatus.WAITING).count() == 15
    assert Rsvp.objects.filter(event=event, status=RsvpStatus.CONFIRMED).count() == 15
    assert len(mail.outbox) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_email_at_once_from_ten_places_is_one_rsvp(make_event):
    event = make_event(capacity=3)
    addresses = ["ada@example.org", "ADA@example.org", "ada+1@example.org", " ada@EXAMPLE.org"]
    race([
        lambda email=addresses[n % 4]: services.rsvp_request(event=event, name="Ada", email=email)
        for n in range(10)
    ])  # fmt: skip
    assert Rsvp.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_a_link_confirmed_after_the_event_was_cancelled_holds_nothing(make_event, call):
    event = make_event()
    rsvp = call(services.rsvp_request, event=event, name="Ada", email="ada@example.org")
    event.cancelled = True
    event.save_revision().publish()
    assert call(services.rsvp_confirm, rsvp=rsvp).status == RsvpStatus.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_plain_text_emails_are_not_html_escaped(make_event, call):
    event = make_event(title="Workers' cafe & debate")
    call(services.rsvp_request, event=event, name="O'Brien", email="ob@example.org")
    (message,) = mail.outbox
    assert message.subject == "Confirm your reply: Workers' cafe & debate"
    assert "Hello O'Brien," in message.body
    html = message.alternatives[0][0]
    assert "Workers&#x27; cafe &amp; debate" in html
