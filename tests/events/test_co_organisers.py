"""Co-organising is an invitation: a network is shown as an event's co-organiser, on its own page,
in its feed and in its counts, only once one of its admins accepts."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.factories import EventPageFactory
from events.models import CoOrganiserInvitation, CoOrganiserStatus, EventPage
from networks.models import Membership, MembershipRole
from tests.networks.conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(event_index):
    moderator = verified_user("moderator@example.org", is_staff=True, is_superuser=True)
    a = approved_network("Network Alpha", moderator=moderator)
    b = approved_network("Network Beta", moderator=moderator)
    return a, b


@pytest.fixture
def event(networks):
    a, _ = networks
    start = timezone.now() + dt.timedelta(days=10)
    event = EventPageFactory(
        parent=a, title="Caseloads cafe", start=start, end=start + dt.timedelta(hours=2)
    )
    event.save_revision().publish()
    return event


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_of(network):
    return network.memberships.get(role=MembershipRole.ADMIN).user


def event_form(event, co_organisers=(), **extra):
    when = "%Y-%m-%d %H:%M"
    fields = nested_form_data(
        {
            "title": event.title,
            "slug": event.slug,
            "start": timezone.localtime(event.start).strftime(when),
            "end": timezone.localtime(event.end).strftime(when),
            "event_type": event.event_type,
            "format": event.format,
            "venue": event.venue,
            "town": event.town,
            "booking": event.booking,
            "description": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "1",
            **extra,
        }
    )
    # A multiple choice is a repeated field, which nested_form_data would number instead.
    return {**fields, "co_organisers": [str(network.pk) for network in co_organisers]}


def invite(editor_client, event, *networks) -> list[str]:
    """The event's editor ticks `networks` in the Wagtail editor and publishes; returns where
    each network's admins answer."""
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[event.pk]),
        event_form(event, co_organisers=networks),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    invitations = CoOrganiserInvitation.objects.filter(event=event, network__in=networks)
    return [reverse("events:co_organiser_invitation", args=[i.pk]) for i in invitations]


def answer(network, url: str, choice: str) -> None:
    assert logged_in(admin_of(network)).post(url, {"answer": choice}).status_code == 302


def shown_for(client, network, event) -> dict[str, bool]:
    """Where `event` appears as the network's: its page, its feed, its API count, the finder's
    network filter, and the event page naming it."""
    api = client.get("/api/v2/networks/", {"fields": "upcoming_event_count"}).json()
    count = next(item for item in api["items"] if item["id"] == network.pk)
    finder = client.get("/events/", {"network": network.slug})
    assert finder.status_code == 200
    return {
        "network page": event.title in client.get(network.url).content.decode(),
        "feed": event.title
        in client.get(reverse("events:network_feed", args=[network.slug])).content.decode(),
        "api count": count["upcoming_event_count"] == 1,
        "finder": event.title in finder.content.decode(),
        "event page": f">{network.title}</a>" in client.get(event.url).content.decode(),
    }


NOWHERE = dict.fromkeys(["network page", "feed", "api count", "finder", "event page"], False)
EVERYWHERE = dict.fromkeys(NOWHERE, True)


def test_a_network_is_shown_as_co_organiser_only_once_its_admin_accepts(
    client, networks, event, django_capture_on_commit_callbacks
):
    a, b = networks
    b_editor = verified_user("editor@beta.example.org")
    Membership.objects.create(network=b, user=b_editor, role=MembershipRole.EDITOR)
    b_editor.groups.add(b.editors_group)
    a_editor = admin_of(a)

    with django_capture_on_commit_callbacks(execute=True):
        invite(logged_in(a_editor), event, b)
    assert list(EventPage.objects.get(pk=event.pk).co_organisers.all()) == [b]
    invitation = CoOrganiserInvitation.objects.get(event=event, network=b)
    assert invitation.status == CoOrganiserStatus.PENDING
    assert invitation.invited_by == a_editor
    assert [message.to for message in mail.outbox] == [[admin_of(b).email]]
    answer_url = reverse("events:co_organiser_invitation", args=[invitation.pk])
    assert f"http://testserver{answer_url}" in mail.outbox[0].body

    assert shown_for(client, b, event) == NOWHERE
    edit_url = reverse("wagtailadmin_pages:edit", args=[event.pk])
    assert (
        "Network Beta: waiting for an answer" in logged_in(a_editor).get(edit_url).content.decode()
    )

    # Nobody but B's admins can answer: not B's editors, not A's admin, not a stranger.
    for outsider in [logged_in(b_editor), logged_in(a_editor)]:
        assert outsider.get(answer_url).status_code == 403
        assert outsider.post(answer_url, {"answer": "accept"}).status_code == 403
    response = client.post(answer_url, {"answer": "accept"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.status == CoOrganiserStatus.PENDING
    assert shown_for(client, b, event) == NOWHERE

    b_admin = logged_in(admin_of(b))
    page = b_admin.get(answer_url)
    assert page.status_code == 200
    assert event.title in page.content.decode()
    assert b_admin.post(answer_url, {"answer": "accept"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == CoOrganiserStatus.ACCEPTED
    assert invitation.answered_by == admin_of(b)
    assert shown_for(client, b, event) == EVERYWHERE
    assert "Network Beta: accepted" in logged_in(a_editor).get(edit_url).content.decode()

    # B's admin may change their mind; the event leaves B's listings at once.
    answer(b, answer_url, "decline")
    assert shown_for(client, b, event) == NOWHERE


def test_a_declined_invitation_stays_declined_when_the_event_is_published_again(
    client, networks, event, django_capture_on_commit_callbacks
):
    a, b = networks
    editor = logged_in(admin_of(a))
    with django_capture_on_commit_callbacks(execute=True):
        (answer_url,) = invite(editor, event, b)
    answer(b, answer_url, "decline")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(editor, event, b)
    assert CoOrganiserInvitation.objects.get().status == CoOrganiserStatus.DECLINED
    assert mail.outbox == [], "no second request for the same event"
    assert shown_for(client, b, event) == NOWHERE


def test_un_inviting_a_network_withdraws_its_invitation_and_its_acceptance(
    client, networks, event, django_capture_on_commit_callbacks
):
    a, b = networks
    editor = logged_in(admin_of(a))
    (answer_url,) = invite(editor, event, b)
    answer(b, answer_url, "accept")
    assert shown_for(client, b, event) == EVERYWHERE

    invite(editor, event)
    assert not CoOrganiserInvitation.objects.filter(event=event).exists()
    assert shown_for(client, b, event) == NOWHERE
    assert logged_in(admin_of(b)).get(answer_url).status_code == 404


def test_an_organiser_cannot_invite_itself_and_drafts_invite_nobody(networks, event):
    a, b = networks
    editor = logged_in(admin_of(a))
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[event.pk]),
        {
            **event_form(event, co_organisers=[b]),
            "action-publish": "",
        },
    )
    assert response.status_code == 302
    assert not CoOrganiserInvitation.objects.exists(), "a draft asks nobody"
    invite(editor, event, a)
    assert not CoOrganiserInvitation.objects.exists()


@pytest.mark.parametrize("data", [{}, {"answer": "maybe"}, {"answer": "x" * 10_000}])
def test_a_bad_answer_is_refused_with_400(
    networks, event, data, django_capture_on_commit_callbacks
):
    a, b = networks
    invite(logged_in(admin_of(a)), event, b)
    invitation = CoOrganiserInvitation.objects.get()
    url = reverse("events:co_organiser_invitation", args=[invitation.pk])
    b_admin = logged_in(admin_of(b))
    assert b_admin.post(url, data).status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == CoOrganiserStatus.PENDING
    assert b_admin.get(reverse("events:co_organiser_invitation", args=[999999])).status_code == 404


# Migrations run outside the test's transaction; serialized_rollback restores the rows the
# other transactional tests expect (the home page, content types) afterwards.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_existing_co_organisers_as_accepted_and_reverses(networks):
    a, b = networks
    listed = EventPageFactory(parent=a, title="Listed before invitations")
    listed.co_organisers.set([b])
    listed.save()
    pending = EventPageFactory(parent=a, title="Still waiting")
    pending.co_organisers.set([b])
    pending.save()

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("events", "0001_initial")]
    after = [("events", "0002_co_organiser_invitations")]
    try:
        executor.migrate(before)
        executor.loader.build_graph()
        executor.migrate(after)
        assert set(
            CoOrganiserInvitation.objects.values_list("event_id", "network_id", "status")
        ) == {(listed.pk, b.pk, "accepted"), (pending.pk, b.pk, "accepted")}

        CoOrganiserInvitation.objects.filter(event=pending).update(status="pending")
        executor.loader.build_graph()
        executor.migrate(before)
        through = EventPage.co_organisers.through.objects
        assert set(through.values_list("eventpage_id", "networkpage_id")) == {(listed.pk, b.pk)}
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)


def test_the_emailed_link_names_the_event_and_the_inviter(
    networks, event, django_capture_on_commit_callbacks
):
    a, b = networks
    with django_capture_on_commit_callbacks(execute=True):
        invite(logged_in(admin_of(a)), event, b)
    (message,) = mail.outbox
    assert message.subject == f"[Free Association] Co-organise {event.title}?"
    assert re.search(r"of Network Alpha invites Network Beta to co-organise", message.body)
    html = message.alternatives[0][0]
    assert "Accept or decline" in html
