import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.factories import UserFactory
from hub.models import Announcement, OutboxMessage
from pledges import links, outcomes, services
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import Pledge, Pledger, PledgeStatus
from pledges.tasks import sweep_pledges

from .conftest import pledge_and_confirm

pytestmark = pytest.mark.django_db


def sent_to(address):
    return OutboxMessage.objects.filter(to__contains=[address])


def test_a_proposal_is_pending_with_a_unique_slug_and_tells_each_moderator(hub_moderator):
    proposer = UserFactory()
    fields = {
        "action": "refuse unpaid overtime",
        "threshold": 50,
        "audience": "worker",
        "deadline": timezone.localdate() + datetime.timedelta(days=30),
        "details": "",
        "next_steps": "Tell your manager.",
        "allow_contact": True,
    }
    first = services.pledge_propose(user=proposer, **fields)
    second = services.pledge_propose(user=proposer, **fields)

    assert first.status == PledgeStatus.PENDING
    assert (first.slug, second.slug) == ("refuse-unpaid-overtime", "refuse-unpaid-overtime-2")
    assert sent_to("mod@hub.example").count() == 2


def test_a_pledge_never_takes_the_address_of_one_of_the_apps_routes(hub_moderator):
    fields = {
        "threshold": 5,
        "audience": "anyone",
        "deadline": timezone.localdate() + datetime.timedelta(days=30),
        "details": "",
        "next_steps": "",
        "allow_contact": False,
    }
    pledge = services.pledge_propose(user=UserFactory(), action="New!!!!!!!!!!", **fields)
    assert pledge.slug == "new-2"


def test_proposals_are_rate_limited(hub_moderator):
    fields = {
        "action": "refuse unpaid overtime",
        "threshold": 5,
        "deadline": timezone.localdate() + datetime.timedelta(days=3),
    }
    for _ in range(3):
        services.pledge_propose(user=hub_moderator, **fields)
    with pytest.raises(ValidationError, match="try again later"):
        services.pledge_propose(user=hub_moderator, **fields)


def test_approving_opens_once_and_rejecting_emails_the_note(hub_moderator):
    pending = PledgeFactory(status=PledgeStatus.PENDING)
    services.pledge_approve(pledge=pending, moderator=hub_moderator)
    pending.refresh_from_db()
    assert pending.status == PledgeStatus.OPEN
    assert pending.reviewed_by == hub_moderator and pending.reviewed_at
    with pytest.raises(ValidationError):
        services.pledge_approve(pledge=pending, moderator=hub_moderator)

    proposer = UserFactory(email="proposer@x.org")
    other = PledgeFactory(status=PledgeStatus.PENDING, created_by=proposer)
    services.pledge_reject(pledge=other, moderator=hub_moderator, note="Too vague.")
    other.refresh_from_db()
    assert other.status == PledgeStatus.REJECTED
    (message,) = sent_to(proposer.email)
    assert "Too vague." in message.text


def test_one_pledger_per_canonical_email_and_a_fresh_link_replaces_the_old(pledge):
    first = services.pledger_create(pledge=pledge, name="Ada", email="Ada+x@Example.org")
    old_link = links.pledger_token(pledger=first.pledger, action="confirm")
    again = services.pledger_create(pledge=pledge, name="Ada L", email="ada@example.org")

    assert first.created and not again.created
    assert Pledger.objects.filter(pledge=pledge).count() == 1
    assert links.pledger_from_token(token=old_link, action="confirm") is None
    assert Pledger.objects.get().name == "Ada L"


def test_contact_is_never_stored_when_the_pledge_does_not_allow_it(pledge):
    result = services.pledger_create(pledge=pledge, name="Ada", email="a@x.org", contactable=True)
    assert result.pledger.contactable is False


def test_pledging_a_closed_pledge_is_refused():
    closed = PledgeFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.pledger_create(pledge=closed, name="Ada", email="a@x.org")


def test_reaching_the_threshold_binds_once_and_announces_to_confirmed_pledgers_only(
    pledge, django_capture_on_commit_callbacks
):
    unconfirmed = services.pledger_create(pledge=pledge, name="Late", email="late@x.org").pledger
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            pledge_and_confirm(pledge, f"p{n}@x.org")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.BOUND and pledge.bound_at

    announcement = Announcement.objects.get(key=f"pledge-bound:{pledge.pk}")
    assert announcement.recipients == 3
    for n in range(3):
        (message,) = sent_to(f"p{n}@x.org").filter(subject__startswith="It binds")
        assert "It binds: 3 people pledged" in message.text
        assert "Tell your manager" in message.text
    assert not sent_to(unconfirmed.email).filter(subject__startswith="It binds").exists()
    assert outcomes.pledge_announce(pledge_id=pledge.pk) is None


def test_one_confirming_after_the_announcement_gets_the_binding_email_of_their_own(
    pledge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            pledge_and_confirm(pledge, f"p{n}@x.org")
        late = pledge_and_confirm(pledge, "late@x.org")
    assert late.confirmed_at
    assert sent_to("late@x.org").filter(subject__startswith="It binds").count() == 1
    assert sent_to("p0@x.org").filter(subject__startswith="It binds").count() == 1


def test_the_sweep_lapses_pledges_past_their_deadline_and_tells_confirmed_pledgers():
    pledge = PledgeFactory(threshold=10, deadline=timezone.localdate() - datetime.timedelta(1))
    PledgerFactory(pledge=pledge, email="kept@x.org")
    PledgerFactory(pledge=pledge, email="never@x.org", confirmed_at=None)
    sweep_pledges()
    sweep_pledges()

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.LAPSED and pledge.lapsed_at
    (message,) = sent_to("kept@x.org")
    assert message.subject.startswith("It does not bind")
    assert "1 of the 10 people" in message.text
    assert not sent_to("never@x.org").exists()


def test_the_sweep_announces_a_bound_pledge_whose_task_was_lost():
    pledge = PledgeFactory(status=PledgeStatus.BOUND, bound_at=timezone.now())
    PledgerFactory(pledge=pledge, email="one@x.org")
    assert outcomes.pledges_unannounced() == [pledge.pk]
    sweep_pledges()
    assert outcomes.pledges_unannounced() == []
    assert sent_to("one@x.org").filter(subject__startswith="It binds").count() == 1


def test_a_bound_pledge_never_lapses():
    pledge = PledgeFactory(
        status=PledgeStatus.BOUND,
        bound_at=timezone.now(),
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert outcomes.pledges_lapse_due() == []
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.BOUND


def bound_with_contact():
    pledge = PledgeFactory(allow_contact=True, status=PledgeStatus.BOUND, bound_at=timezone.now())
    sender = PledgerFactory(pledge=pledge, name="Sam", email="sam.sender@x.org", contactable=True)
    others = [
        PledgerFactory(pledge=pledge, email=f"reader{n}@x.org", contactable=True) for n in range(3)
    ]
    PledgerFactory(pledge=pledge, email="quiet@x.org", contactable=False)
    PledgerFactory(pledge=pledge, email="unconfirmed@x.org", contactable=True, confirmed_at=None)
    return pledge, sender, others


def test_a_message_reaches_the_other_contactable_pledgers_and_reveals_no_address():
    _pledge, sender, others = bound_with_contact()
    assert services.pledge_message_send(pledger=sender, text="Shall we meet on Monday?") == 3

    messages = list(OutboxMessage.objects.filter(subject__contains="A message from Sam"))
    assert sorted(m.to[0] for m in messages) == sorted(o.email for o in others)
    everyone = ["sam.sender@x.org", "quiet@x.org", "unconfirmed@x.org"] + [o.email for o in others]
    for message in messages:
        assert message.from_email == "" and "Reply-To" not in message.headers
        assert "Shall we meet on Monday?" in message.text
        body = message.subject + message.text + message.html + str(message.headers)
        for address in everyone:
            if address != message.to[0]:
                assert address not in body


def test_messages_are_limited_to_three_a_day_and_only_once_bound():
    _pledge, sender, _others = bound_with_contact()
    for _ in range(3):
        services.pledge_message_send(pledger=sender, text="Hello")
    with pytest.raises(ValidationError, match="3 messages today"):
        services.pledge_message_send(pledger=sender, text="Hello")

    open_pledger = PledgerFactory(pledge=PledgeFactory(allow_contact=True))
    with pytest.raises(ValidationError, match="once the pledge binds"):
        services.pledge_message_send(pledger=open_pledger, text="Hello")


def test_unconfirmed_pledgers_are_purged_after_a_week(pledge):
    old = PledgerFactory(
        pledge=pledge, confirmed_at=None, created_at=timezone.now() - datetime.timedelta(days=8)
    )
    kept = PledgerFactory(pledge=pledge, confirmed_at=None)
    assert outcomes.pledgers_purge_unconfirmed() == 1
    assert list(Pledger.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Pledger.objects.filter(pk=old.pk).exists()
