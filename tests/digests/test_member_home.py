"""A member's home at /account/: its sections, whose data it shows, and its actions."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import Signature
from digests.factories import MemberPreferencesFactory
from digests.models import DigestFrequency, MemberPreferences
from events.factories import EventPageFactory, RsvpFactory
from events.models import LONDON, RsvpStatus
from hub.factories import TopicFactory, UserFactory
from networks.factories import MembershipFactory, NetworkIndexPageFactory, NetworkPageFactory
from networks.models import MembershipRole
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import PledgeStatus

pytestmark = pytest.mark.django_db

HOME = "/account/"


@pytest.fixture
def index():
    return NetworkIndexPageFactory()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> str:
    """The message the request added (those of earlier redirects not followed come before it)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_home_is_for_signed_in_members_only(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    for url in (
        reverse("home:digest"),
        reverse("home:rsvp_cancel", args=[1]),
        reverse("home:rsvp_take", args=[1]),
        reverse("home:signature_withdraw", args=[1]),
    ):
        assert client.post(url)["Location"].startswith(reverse("account_login"))


def test_the_header_links_a_signed_in_member_to_their_account(client):
    assert 'href="/account/"' not in client.get(HOME, follow=True).content.decode()
    page = signed_in(UserFactory()).get(HOME).content.decode()
    assert re.search(r'<a href="/account/">Your account</a>', page)


def test_a_new_member_sees_every_section_empty():
    response = signed_in(UserFactory()).get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    for empty in (
        "You follow nothing yet",
        "No events coming up",
        "You have not signed a demand yet",
        "You have not pledged yet",
        "You are not in a network yet",
    ):
        assert empty in page
    assert reverse("account_email") in page
    assert reverse("account_change_password") in page
    assert not MemberPreferences.objects.exists(), "reading the page stores nothing"


def test_the_sections_show_the_members_own_follows_answers_signatures_and_networks(index):
    member, other = UserFactory(), UserFactory()
    followed, theirs = (
        NetworkPageFactory(parent=index, title="Nurses for Mental Health"),
        NetworkPageFactory(parent=index, title="Hearing Voices Leeds"),
    )
    topic, their_topic = TopicFactory(name="Crisis care"), TopicFactory(name="Housing")
    MemberPreferencesFactory(user=member, networks=[followed], topics=[topic])
    MemberPreferencesFactory(user=other, networks=[theirs], topics=[their_topic])
    event = EventPageFactory(title="Peer support circle")
    RsvpFactory(event=event, user=member, email=member.email)
    RsvpFactory(event=EventPageFactory(title="Their meeting"), user=other, email=other.email)
    # Answered and signed with the member's address before they signed in: theirs too.
    RsvpFactory(event=EventPageFactory(title="Answered by email"), email=member.email.upper())
    SignatureFactory(demand=DemandPageFactory(title="Fund crisis houses"), email=member.email)
    SignatureFactory(demand=DemandPageFactory(title="Their demand"), user=other)
    cancelled = EventPageFactory(title="Given up")
    RsvpFactory(event=cancelled, user=member, email=member.email, status=RsvpStatus.CANCELLED)
    MembershipFactory(network=followed, user=member, role=MembershipRole.ADMIN)
    MembershipFactory(network=theirs, user=other, role=MembershipRole.ADMIN)
    PledgerFactory(pledge=PledgeFactory(action="refuse unpaid overtime"), email=member.email)
    PledgerFactory(pledge=PledgeFactory(action="join the workers' cafe"), user=other)
    pending = PledgeFactory(action="strike on Friday", status=PledgeStatus.PENDING)
    PledgerFactory(pledge=pending, email=member.email)

    page = signed_in(member).get(HOME).content.decode()

    for mine in (
        "Nurses for Mental Health",
        "Crisis care",
        "Peer support circle",
        "Answered by email",
        "Fund crisis houses",
        "You run this network",
        "I will refuse unpaid overtime",
    ):
        assert mine in page
    theirs_only = (
        "Hearing Voices Leeds", "Housing", "Their meeting", "Their demand", "Given up",
        "workers&#x27; cafe", "strike on Friday",
    )  # fmt: skip
    for not_mine in theirs_only:
        assert not_mine not in page


def test_past_events_are_not_listed():
    member = UserFactory()
    past = EventPageFactory(title="Long gone", start=timezone.now() - dt.timedelta(days=30))
    RsvpFactory(event=past, user=member, email=member.email)
    page = signed_in(member).get(HOME).content.decode()
    assert "Long gone" not in page


def test_admin_links_only_for_the_pages_the_member_can_edit(index):
    editor, bystander = UserFactory(), UserFactory()
    network = NetworkPageFactory(parent=index, title="Mind Workers")
    group = Group.objects.create(name="Network editors: Mind Workers")
    GroupPagePermission.objects.create(group=group, page=network, permission_type="change")
    editor.groups.add(group)
    MembershipFactory(network=network, user=editor, role=MembershipRole.EDITOR)
    MembershipFactory(network=network, user=bystander, role=MembershipRole.EDITOR)
    edit_url = reverse("wagtailadmin_pages:edit", args=[network.pk])

    editor_page = signed_in(editor).get(HOME).content.decode()
    assert edit_url in editor_page
    assert reverse("wagtailadmin_explore", args=[network.pk]) in editor_page
    assert "You edit for this network" in editor_page
    assert f"{network.url}members/" not in editor_page, "people are for the network's admins"
    assert edit_url not in signed_in(bystander).get(HOME).content.decode()


def test_the_digest_form_saves_the_frequency_and_says_so():
    member = UserFactory()
    client = signed_in(member)
    response = client.post(reverse("home:digest"), {"digest_frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert MemberPreferences.objects.get(user=member).digest_frequency == DigestFrequency.WEEKLY
    assert said(response) == "Your digest is on: you will get it weekly."
    response = client.post(reverse("home:digest"), {"digest_frequency": "off"})
    assert said(response) == "Your digest is off. We will not email you news."
    response = client.post(reverse("home:digest"), {"digest_frequency": "hourly"})
    assert said(response) == "Choose how often you want the digest."
    assert MemberPreferences.objects.get(user=member).digest_frequency == DigestFrequency.OFF


def test_a_warning_shows_while_the_member_follows_with_their_digest_off(index):
    member = UserFactory()
    network = NetworkPageFactory(parent=index, title="Nurses for Mental Health")
    preferences = MemberPreferencesFactory(
        user=member, digest_frequency=DigestFrequency.OFF, networks=[network]
    )
    client = signed_in(member)
    warning = "Your digest email is off"
    assert warning in client.get(HOME).content.decode()
    assert warning in client.get(network.url).content.decode()
    preferences.digest_frequency = DigestFrequency.DAILY
    preferences.save()
    assert warning not in client.get(HOME).content.decode()
    assert warning not in client.get(network.url).content.decode()
    preferences.networks.clear()
    preferences.digest_frequency = DigestFrequency.OFF
    preferences.save()
    assert warning not in client.get(network.url).content.decode(), "only while following"


def test_unfollow_from_home_comes_back_home(index):
    member = UserFactory()
    network = NetworkPageFactory(parent=index, title="Nurses for Mental Health")
    topic = TopicFactory(name="Crisis care")
    preferences = MemberPreferencesFactory(user=member, networks=[network], topics=[topic])
    client = signed_in(member)
    page = client.get(HOME).content.decode()
    assert reverse("digests:network_follow", args=[network.pk]) in page
    response = client.post(
        reverse("digests:network_follow", args=[network.pk]), {"follow": "0", "next": HOME}
    )
    assert response["Location"] == HOME
    assert said(response) == "You no longer follow Nurses for Mental Health."
    response = client.post(
        reverse("digests:topic_follow", args=[topic.pk]), {"follow": "0", "next": HOME}
    )
    assert said(response) == "You no longer follow Crisis care."
    assert not preferences.networks.exists() and not preferences.topics.exists()


def test_cancel_an_rsvp_from_home_and_the_place_is_held_for_the_next_person(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    event = EventPageFactory(title="Peer support circle", in_person_capacity=1)
    mine = RsvpFactory(event=event, user=member, email=member.email)
    waiting = RsvpFactory(event=event, status=RsvpStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(member).post(reverse("home:rsvp_cancel", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == HOME
    assert said(response) == "Your place at Peer support circle is cancelled."
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RsvpStatus.CANCELLED
    assert waiting.status == RsvpStatus.OFFERED
    [message] = mail.outbox
    assert message.to == [waiting.email]
    assert "A place is held for you" in message.subject


def test_a_held_place_shows_at_home_with_its_deadline_and_is_taken_there(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    event = EventPageFactory(
        title="Hybrid assembly",
        format="hybrid",
        online_url="https://meet.example.org/a",
        online_capacity=1,
    )
    deadline = timezone.now() + dt.timedelta(hours=30)
    held = RsvpFactory(event=event, user=member, email=member.email, attendance="online",
                       status=RsvpStatus.OFFERED, offer_expires_at=deadline)  # fmt: skip
    client = signed_in(member)
    page = client.get(HOME).content.decode()
    local = timezone.localtime(deadline, LONDON)
    assert f"Held for you until {local:%A} {local.day} {local:%B, %H:%M} (UK time)" in page
    assert "Online: place held, waiting for an answer" in page
    assert 'Take the place<span class="visually-hidden"> at Hybrid assembly' in page
    assert "Let the place go<span" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("home:rsvp_take", args=[held.pk]))
    assert said(response) == "You have a place at Hybrid assembly."
    held.refresh_from_db()
    assert (held.status, held.offer_expires_at) == (RsvpStatus.CONFIRMED, None)
    [message] = mail.outbox
    assert message.subject == "You have a place: Hybrid assembly"
    assert "https://meet.example.org/a" in message.body
    # Taking it again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("home:rsvp_take", args=[held.pk]))
    assert said(response) == "You have a place at Hybrid assembly."
    assert len(mail.outbox) == 1


def test_a_held_place_past_its_deadline_cannot_be_taken_from_home():
    member = UserFactory()
    event = EventPageFactory(title="Full cafe", in_person_capacity=1)
    held = RsvpFactory(event=event, user=member, email=member.email, status=RsvpStatus.OFFERED,
                       offer_expires_at=timezone.now() - dt.timedelta(minutes=1))  # fmt: skip
    client = signed_in(member)
    response = client.post(reverse("home:rsvp_take", args=[held.pk]))
    assert said(response) == "The place held for you at Full cafe has passed on."
    response = client.post(reverse("home:rsvp_take", args=[held.pk]))
    assert response.status_code == 404, "a cancelled reply is no longer the member's to act on"
    held.refresh_from_db()
    assert held.status == RsvpStatus.CANCELLED


def test_let_a_held_place_go_from_home():
    member = UserFactory()
    held = RsvpFactory(user=member, email=member.email, status=RsvpStatus.OFFERED,
                       offer_expires_at=timezone.now() + dt.timedelta(hours=1))  # fmt: skip
    response = signed_in(member).post(reverse("home:rsvp_cancel", args=[held.pk]))
    assert said(response) == (
        f"You let go of the place at {held.event.title}: it goes to the next person."
    )
    held.refresh_from_db()
    assert (held.status, held.offer_expires_at) == (RsvpStatus.CANCELLED, None)


def test_leave_a_waiting_list_from_home():
    member = UserFactory()
    mine = RsvpFactory(user=member, email=member.email, status=RsvpStatus.WAITING)
    response = signed_in(member).post(reverse("home:rsvp_cancel", args=[mine.pk]))
    assert said(response) == f"You have left the waiting list for {mine.event.title}."


def test_withdraw_a_signature_from_home():
    member = UserFactory()
    signature = SignatureFactory(demand=DemandPageFactory(title="Fund crisis houses"), user=member)
    response = signed_in(member).post(reverse("home:signature_withdraw", args=[signature.pk]))
    assert response.status_code == 302 and response["Location"] == HOME
    assert said(response) == "Your signature on “Fund crisis houses” is withdrawn."
    assert not Signature.objects.exists()


def test_another_members_answer_or_signature_cannot_be_touched():
    member, other = UserFactory(), UserFactory()
    rsvp = RsvpFactory(user=other, email=other.email)
    signature = SignatureFactory(user=other, email=other.email)
    client = signed_in(member)
    assert client.post(reverse("home:rsvp_cancel", args=[rsvp.pk])).status_code == 404
    assert client.post(reverse("home:rsvp_take", args=[rsvp.pk])).status_code == 404
    assert client.post(reverse("home:signature_withdraw", args=[signature.pk])).status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CONFIRMED
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_the_actions_are_post_only_and_need_the_csrf_token():
    member = UserFactory()
    rsvp = RsvpFactory(user=member, email=member.email)
    signature = SignatureFactory(user=member)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    for url in (
        reverse("home:rsvp_cancel", args=[rsvp.pk]),
        reverse("home:rsvp_take", args=[rsvp.pk]),
        reverse("home:signature_withdraw", args=[signature.pk]),
        reverse("home:digest"),
    ):
        assert client.get(url).status_code == 405
        assert client.post(url, {"digest_frequency": "daily"}).status_code == 403
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CONFIRMED
    assert Signature.objects.filter(pk=signature.pk).exists()
    assert not MemberPreferences.objects.filter(digest_frequency="daily").exists()
