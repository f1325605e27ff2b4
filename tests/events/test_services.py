import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import services, tasks
from events.factories import RsvpFactory
from events.models import LONDON, EventPage, Rsvp, RsvpStatus
from hub.factories import UserFactory


def statuses(event) -> dict[str, int]:
    rows = Rsvp.objects.filter(event=event).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


@pytest.mark.django_db
def test_someone_not_signed_in_holds_nothing_until_they_confirm(make_event, call):
    event = make_event(in_person_capacity=1)
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
def test_when_full_people_wait_and_a_place_given_up_is_held_for_the_first_in_the_queue(
    make_event, call
):
    event = make_event(in_person_capacity=2)
    people = [call(services.rsvp_member, event=event, user=UserFactory()) for _ in range(4)]
    assert [rsvp.status for rsvp in people] == ["confirmed", "confirmed", "waiting", "waiting"]
    waiting_email = mail.outbox[2]
    assert "Waiting list" in waiting_email.subject
    assert "hold it for you for 48 hours" in waiting_email.body
    assert "/cancel/" in waiting_email.body

    sent = len(mail.outbox)
    before = timezone.now()
    call(services.rsvp_cancel, rsvp=people[0])
    assert statuses(event) == {"cancelled": 1, "confirmed": 1, "offered": 1, "waiting": 1}
    held = Rsvp.objects.get(pk=people[2].pk)
    assert held.status == RsvpStatus.OFFERED, "first in the queue"
    hours = (held.offer_expires_at - before).total_seconds() / 3600
    assert 48 - 0.01 < hours < 48 + 0.01
    [offer] = mail.outbox[sent:]
    assert offer.to == [held.email]
    assert offer.subject == f"A place is held for you: {event.title}"
    deadline = timezone.localtime(held.offer_expires_at, LONDON)
    assert f"until {deadline:%A} {deadline.day} {deadline:%B, %H:%M} (UK time)" in offer.body
    assert f"/event-links/rsvp/{held.token}/take/" in offer.body
    assert f"/event-links/rsvp/{held.token}/cancel/" in offer.body

    # A held place is taken: a newcomer waits behind the one still waiting.
    newcomer = call(services.rsvp_member, event=event, user=UserFactory())
    assert newcomer.status == RsvpStatus.WAITING
    # Leaving the waiting list frees no place, so nothing is offered.
    sent = len(mail.outbox)
    call(services.rsvp_cancel, rsvp=people[3])
    assert statuses(event) == {"cancelled": 2, "confirmed": 1, "offered": 1, "waiting": 1}
    assert len(mail.outbox) == sent
    # Cancelling twice is harmless.
    call(services.rsvp_cancel, rsvp=people[0])
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_a_held_place_taken_in_time_is_confirmed_with_the_usual_email(make_event, call):
    event = make_event(format="online", online_url="https://meet.example.org/held",
                       online_capacity=1)  # fmt: skip
    first, second = (call(services.rsvp_member, event=event, user=UserFactory()) for _ in "ab")
    assert "meet.example.org/held" not in mail.outbox[-1].body, "no link for the queue"
    call(services.rsvp_cancel, rsvp=first)
    assert "meet.example.org/held" not in mail.outbox[-1].body, "nor for a held place"
    taken = call(services.rsvp_offer_take, rsvp=second)
    assert (taken.status, taken.offer_expires_at) == (RsvpStatus.CONFIRMED, None)
    assert mail.outbox[-1].subject == f"You have a place: {event.title}"
    assert "meet.example.org/held" in mail.outbox[-1].body
    sent = len(mail.outbox)
    assert call(services.rsvp_offer_take, rsvp=second).status == RsvpStatus.CONFIRMED
    assert len(mail.outbox) == sent, "taking it twice sends nothing more"


@pytest.mark.django_db
def test_a_held_place_not_taken_in_time_passes_on_to_the_next_person(make_event, call):
    event = make_event(in_person_capacity=1)
    first, second, third = (
        call(services.rsvp_member, event=event, user=UserFactory()) for _ in range(3)
    )
    call(services.rsvp_cancel, rsvp=first)
    second.refresh_from_db()
    late = second.offer_expires_at + dt.timedelta(seconds=1)
    sent = len(mail.outbox)
    lapsed = call(services.rsvp_offer_take, rsvp=second, now=late)
    assert lapsed.status == RsvpStatus.CANCELLED and lapsed.offer_lapsed
    told = {message.to[0]: message for message in mail.outbox[sent:]}
    assert told[second.email].subject == f"The place has passed on: {event.title}"
    assert "reply again on the event page" in told[second.email].body
    assert "A place is held for you" in told[third.email].subject
    assert Rsvp.objects.get(pk=third.pk).status == RsvpStatus.OFFERED
    # The one who let it lapse can reply again, at the end of the queue.
    again = call(services.rsvp_member, event=event, user=second.user)
    assert (again.pk, again.status, again.offer_expires_at) == (
        second.pk, RsvpStatus.WAITING, None
    )  # fmt: skip


@pytest.mark.django_db
def test_the_beat_task_lapses_expired_offers_once_and_offers_the_places_on(make_event, call):
    event = make_event(in_person_capacity=2)
    people = [call(services.rsvp_member, event=event, user=UserFactory()) for _ in range(5)]
    call(services.rsvp_cancel, rsvp=people[0])
    call(services.rsvp_cancel, rsvp=people[1])
    assert statuses(event) == {"cancelled": 2, "offered": 2, "waiting": 1}
    first, deadline = Rsvp.objects.filter(status=RsvpStatus.OFFERED).values_list(
        "offer_expires_at", flat=True
    )
    assert call(services.offers_lapse, now=first - dt.timedelta(minutes=1)) == 0, "in time"

    sent = len(mail.outbox)
    assert call(tasks.lapse_place_offers) == 0, "the task runs with the clock as it is"
    assert call(services.offers_lapse, now=deadline) == 2
    assert statuses(event) == {"cancelled": 4, "offered": 1}
    assert Rsvp.objects.get(pk=people[4].pk).status == RsvpStatus.OFFERED
    subjects = sorted(message.subject.split(":")[0] for message in mail.outbox[sent:])
    assert subjects == ["A place is held for you", "The place has passed on",
                        "The place has passed on"]  # fmt: skip
    assert call(services.offers_lapse, now=deadline) == 0, "a second run finds nothing"
    assert len(mail.outbox) == sent + 3


@pytest.mark.django_db
def test_how_long_a_place_is_held_is_a_setting_and_never_past_the_start(make_event, call, settings):
    settings.RSVP_OFFER_HOURS = 2
    soon = timezone.now() + dt.timedelta(hours=1)
    for start, hours in ((timezone.now() + dt.timedelta(days=3), 2), (soon, None)):
        event = make_event(in_person_capacity=1, start=start, end=start + dt.timedelta(hours=2))
        first, second = (call(services.rsvp_member, event=event, user=UserFactory()) for _ in "ab")
        before = timezone.now()
        call(services.rsvp_cancel, rsvp=first)
        second.refresh_from_db()
        if hours:
            assert second.offer_expires_at - before < dt.timedelta(hours=hours, seconds=5)
            assert second.offer_expires_at - before > dt.timedelta(hours=hours, seconds=-5)
        else:
            assert second.offer_expires_at == event.start


@pytest.mark.django_db
def test_nothing_is_held_once_the_event_has_started_or_was_cancelled(make_event, call):
    started = make_event(in_person_capacity=1, start=timezone.now() - dt.timedelta(minutes=5),
                         end=timezone.now() + dt.timedelta(hours=1))  # fmt: skip
    cancelled = make_event(in_person_capacity=1)
    for event in (started, cancelled):
        RsvpFactory(event=event, status=RsvpStatus.WAITING)
        place = RsvpFactory(event=event)
        if event is cancelled:
            event.cancelled = True
            event.save_revision().publish()
        call(services.rsvp_cancel, rsvp=place)
        assert statuses(event) == {"cancelled": 1, "waiting": 1}
    assert not mail.outbox


@pytest.mark.django_db
def test_a_hybrid_event_s_lists_fill_and_pass_on_places_apart(make_event, call):
    event = make_event(format="hybrid", online_url="https://meet.example.org/h",
                       in_person_capacity=1, online_capacity=2)  # fmt: skip

    def reply(attendance):
        return call(services.rsvp_member, event=event, user=UserFactory(), attendance=attendance)

    room, room_queue = reply("in-person"), reply("in-person")
    online = [reply("online") for _ in range(3)]
    assert [r.status for r in (room, room_queue)] == ["confirmed", "waiting"]
    assert [r.status for r in online] == ["confirmed", "confirmed", "waiting"]
    assert "You have an in-person place at" in mail.outbox[0].body
    assert "meet.example.org/h" not in mail.outbox[0].body, "the room's place has no link"
    assert "The in-person places at" in mail.outbox[1].body
    assert "You have an online place at" in mail.outbox[2].body
    assert "meet.example.org/h" in mail.outbox[2].body

    # An online place given up goes to the online queue, never to the room's.
    call(services.rsvp_cancel, rsvp=online[0])
    assert Rsvp.objects.get(pk=online[2].pk).status == RsvpStatus.OFFERED
    assert Rsvp.objects.get(pk=room_queue.pk).status == RsvpStatus.WAITING
    assert "We are holding an online place for you" in mail.outbox[-1].body
    # A way of coming the event does not offer is not taken: the first way is.
    assert reply("by carrier pigeon").attendance == "in-person"


@pytest.mark.django_db
def test_a_one_way_event_gives_every_reply_its_one_way(make_event, call):
    online = make_event(format="online", online_capacity=3)
    room = make_event(in_person_capacity=3)
    member = UserFactory()
    answer = call(services.rsvp_member, event=online, user=member, attendance="in-person")
    assert answer.attendance == "online"
    assert call(services.rsvp_request, event=room, name="A", email="a@example.org",
                attendance="online").attendance == "in-person"  # fmt: skip


@pytest.mark.django_db
def test_places_added_by_an_editor_are_held_for_those_waiting(make_event, call):
    event = make_event(in_person_capacity=1)
    people = [call(services.rsvp_member, event=event, user=UserFactory()) for _ in range(4)]
    event.in_person_capacity = 3
    event.save_revision().publish()
    assert [Rsvp.objects.get(pk=r.pk).status for r in people] == [
        "confirmed", "offered", "offered", "waiting"
    ]  # fmt: skip


@pytest.mark.django_db
def test_no_one_jumps_the_queue_when_a_place_is_free(make_event, call):
    """Places added without a publish (a data fix, say): whoever waits is offered them first."""
    event = make_event(in_person_capacity=1)
    first, waiting = (call(services.rsvp_member, event=event, user=UserFactory()) for _ in "ab")
    EventPage.objects.filter(pk=event.pk).update(in_person_capacity=2)
    newcomer = call(services.rsvp_member, event=event, user=UserFactory())
    assert Rsvp.objects.get(pk=waiting.pk).status == RsvpStatus.OFFERED
    assert newcomer.status == RsvpStatus.WAITING


@pytest.mark.django_db
def test_a_cancelled_reply_can_answer_again(make_event, call):
    event = make_event(in_person_capacity=5)
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
    event = make_event(in_person_capacity=15)
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
    event = make_event(in_person_capacity=3)
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


def assert_lists_hold(event) -> None:
    """No list over its places, no one with two replies, and no free place left unoffered while
    someone waits for it."""
    rows = list(Rsvp.objects.filter(event=event).values("attendance", "status", "user_id"))
    for attendance in ("in-person", "online"):
        held = [r for r in rows if r["attendance"] == attendance and r["status"] in HOLDS]
        waiting = [r for r in rows if r["attendance"] == attendance and r["status"] == "waiting"]
        capacity = event.capacity_for(attendance)
        assert len(held) <= capacity, (attendance, len(held), capacity)
        assert not waiting or len(held) == capacity, (attendance, "a free place and a queue")
    people = [r["user_id"] for r in rows]
    assert len(people) == len(set(people)), "someone has two replies"


HOLDS = ("confirmed", "offered")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_lists_of_a_hybrid_event_hold_however_many_change_at_once(make_event):
    event = make_event(format="hybrid", online_url="https://meet.example.org/x",
                       in_person_capacity=3, online_capacity=2)  # fmt: skip
    event = EventPage.objects.get(pk=event.pk)
    ways = ["in-person", "online"]
    members = UserFactory.create_batch(20)

    # Twenty people at once, five of them twice over, once for each way of coming.
    race(
        [
            lambda n=n, member=member: services.rsvp_member(
                event=event, user=member, attendance=ways[n % 2]
            )
            for n, member in enumerate(members)
        ]
        + [
            lambda member=member: services.rsvp_member(
                event=event, user=member, attendance="online"
            )
            for member in members[:10:2]
        ]
    )
    assert_lists_hold(event)
    assert Rsvp.objects.filter(event=event).count() == 20
    assert Rsvp.objects.filter(event=event, status="confirmed").count() == 5

    # Everyone with a place gives it up while organisers move people from one queue to the
    # other, newcomers reply, and two beat runs go over the offers.
    holders = list(Rsvp.objects.filter(event=event, status="confirmed"))
    waiters = list(Rsvp.objects.filter(event=event, status="waiting")[:6])
    newcomers = UserFactory.create_batch(4)
    race(
        [lambda rsvp=rsvp: services.rsvp_cancel(rsvp=rsvp) for rsvp in holders]
        + [
            lambda rsvp=rsvp: services.rsvp_move(
                rsvp=rsvp, attendance=ways[rsvp.attendance == "in-person"]
            )
            for rsvp in waiters
        ]
        + [
            lambda n=n, member=member: services.rsvp_member(
                event=event, user=member, attendance=ways[n % 2]
            )
            for n, member in enumerate(newcomers)
        ]
        + [services.offers_lapse, services.offers_lapse]
    )
    assert_lists_hold(event)
    offered = list(Rsvp.objects.filter(event=event, status="offered"))
    assert len(offered) == 5, "every place given up is held for someone"

    # All the held places taken at once, twice over, as a lapse run passes their deadline.
    late = timezone.now() + dt.timedelta(hours=49)
    race(
        [lambda rsvp=rsvp: services.rsvp_offer_take(rsvp=rsvp) for rsvp in offered * 2]
        + [lambda: services.offers_lapse(now=late)]
    )
    assert_lists_hold(event)
    assert Rsvp.objects.filter(event=event, status__in=HOLDS).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beat_runs_at_once_lapse_each_offer_and_email_its_holder_once(make_event):
    event = make_event(in_person_capacity=4)
    RsvpFactory.create_batch(4, event=event, status=RsvpStatus.OFFERED,
                             offer_expires_at=timezone.now() - dt.timedelta(minutes=1))  # fmt: skip
    waiting = RsvpFactory.create_batch(6, event=event, status=RsvpStatus.WAITING)
    results = []
    race([lambda: results.append(services.offers_lapse()) for _ in range(3)])
    assert sorted(results) == [0, 0, 4]
    assert [m.subject.split(":")[0] for m in mail.outbox].count("The place has passed on") == 4
    offered = Rsvp.objects.filter(event=event, status=RsvpStatus.OFFERED)
    assert set(offered.values_list("pk", flat=True)) == {r.pk for r in waiting[:4]}
    assert [m.subject.split(":")[0] for m in mail.outbox].count("A place is held for you") == 4
