"""Milestones with promises: recorded once when the count crosses them, announced once to
moderators and keep-me-updated signers, and kept when signatures are withdrawn."""

import re
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import selectors, services, thresholds
from campaigns.factories import DemandIndexPageFactory, DemandPageFactory, SignatureFactory
from campaigns.models import DemandPage, MilestonePromise, MilestoneReached, Signature
from campaigns.tasks import sweep_milestones
from hub.factories import UserFactory
from hub.models import Announcement
from hub.moderators import MODERATORS_GROUP
from tests.conftest import run_in_threads

from .conftest import confirm

PROMISE = "deliver it to NHS England"


def promise(demand, count, text=PROMISE):
    return MilestonePromise.objects.create(demand=demand, count=count, promise=text)


def moderators():
    group_member = UserFactory(email="moderator@example.org")
    group_member.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return [group_member, UserFactory(email="root@example.org", is_superuser=True)]


def fresh(demand):
    return DemandPage.objects.get(pk=demand.pk)


@pytest.mark.django_db
def test_the_milestone_list_adds_the_promised_counts_to_those_typed_in(demand):
    demand.milestones = "100,1000"
    demand.save()
    promise(demand, 10000)
    promise(demand, 1000, "ask for a meeting")
    promise(demand, 1000, "write to the minister")

    demand = fresh(demand)
    assert demand.milestone_list == [100, 1000, 10000]
    assert demand.milestone_promise_texts == {
        1000: "ask for a meeting; write to the minister",
        10000: PROMISE,
    }


@pytest.mark.django_db
def test_a_promise_needs_a_count_of_at_least_one(demand):
    with pytest.raises(ValidationError) as error:
        MilestonePromise(demand=demand, count=0, promise=PROMISE).full_clean()
    assert "count" in error.value.message_dict
    MilestonePromise(demand=demand, count=1, promise=PROMISE).full_clean()


@pytest.mark.django_db
def test_the_page_shows_the_promises_the_next_one_on_the_bar_and_marks_those_reached(
    client, demand
):
    promise(demand, 100, "write to the minister")
    promise(demand, 10000)
    SignatureFactory.create_batch(120, demand=demand)
    thresholds.milestones_record(demand_id=demand.pk)

    html = client.get(demand.url).content.decode()

    assert "Next milestone: 1,000 signatures" in html
    items = re.findall(r'<li class="milestones__item[^"]*">(.*?)</li>', html, re.DOTALL)
    assert [" ".join(re.sub("<[^>]+>", "", item).split()) for item in items] == [
        f"100 signatures: we write to the minister Reached on {timezone.localdate():%-d %B %Y}",
        "1,000 signatures",
        f"10,000 signatures: we {PROMISE}",
    ]

    SignatureFactory.create_batch(900, demand=demand)
    selectors.demand_count_changed(demand.pk)
    html = client.get(demand.url).content.decode()
    assert f"Next milestone: 10,000 signatures. At 10,000 signatures we {PROMISE}." in html


@pytest.mark.django_db
def test_a_demand_index_reads_promises_in_one_query_however_many_demands(client):
    index = DemandIndexPageFactory()

    def queries():
        cache.clear()  # cold each time, as the first request is
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured)

    promise(DemandPageFactory(parent=index), 50)
    queries()  # the first request makes the site's settings
    few = queries()
    for _ in range(4):
        promise(DemandPageFactory(parent=index), 50)
    assert queries() == few


@pytest.mark.django_db
def test_a_crossing_is_recorded_once_and_announced_to_moderators_and_updated_signers(
    demand, django_capture_on_commit_callbacks
):
    promise(demand, 100)
    staff = moderators()
    kept = SignatureFactory.create_batch(3, demand=demand, keep_updated=True)
    SignatureFactory.create_batch(95, demand=demand)
    # Not confirmed, or held: not counted, and not told.
    SignatureFactory(demand=demand, keep_updated=True, confirmed_at=None)
    SignatureFactory(demand=demand, keep_updated=True, held=True)
    # A moderator who signed and asked for news gets one email, the signer's.
    SignatureFactory(demand=demand, email=staff[0].email, keep_updated=True)
    last = SignatureFactory(demand=demand, confirmed_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(last)

    assert list(MilestoneReached.objects.filter(demand=demand).values_list("count", flat=True)) == [
        100
    ]
    assert Announcement.objects.get().key == f"milestone:{demand.pk}:100"
    to = sorted(message.to[0] for message in mail.outbox)
    assert to == sorted([*(s.email for s in kept), staff[0].email, staff[1].email])
    signer_mail = next(m for m in mail.outbox if m.to == [kept[0].email])
    assert "reached 100 confirmed signatures" in signer_mail.body
    assert f"Next: we {PROMISE}." in signer_mail.body
    assert f"http://testserver{demand.url}" in signer_mail.body
    assert "/signatures/withdraw/" in signer_mail.body
    moderator_mail = next(m for m in mail.outbox if m.to == [staff[1].email])
    assert "/signatures/withdraw/" not in moderator_mail.body
    assert "/signatures/withdraw/" in next(m for m in mail.outbox if m.to == [staff[0].email]).body

    # Another confirmation past the milestone records and tells nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(SignatureFactory(demand=demand, confirmed_at=None))
    assert mail.outbox == []
    assert MilestoneReached.objects.count() == 1


@pytest.mark.django_db
def test_a_reached_milestone_survives_withdrawals(client, demand):
    promise(demand, 100)
    signatures = SignatureFactory.create_batch(100, demand=demand)
    thresholds.milestones_record(demand_id=demand.pk)

    for signature in signatures[:10]:
        services.signature_withdraw(signature=signature)
    assert thresholds.milestones_record(demand_id=demand.pk) == []

    assert MilestoneReached.objects.filter(demand=demand, count=100).exists()
    assert "Reached on" in client.get(demand.url).content.decode()


@pytest.mark.django_db
def test_every_change_that_raises_a_count_records_its_milestones(
    demand, django_capture_on_commit_callbacks
):
    demand.milestones = "1,2,3,5"
    demand.save()
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_create(
            demand=demand, name="Ada", email=member.email, kind="worker", user=member,
            confirmed=True,
        )  # fmt: skip
    held = SignatureFactory(demand=demand, held=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.signatures_clear(signature_ids=[held.pk])
    rows = [
        services.SignatureRow(name="Bo", email=f"bo{n}@example.org", kind="worker",
                              confirmed_at=timezone.now())
        for n in range(3)
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_bulk_create(demand=demand, rows=rows)

    assert list(MilestoneReached.objects.values_list("count", flat=True)) == [1, 2, 3, 5]


@pytest.mark.django_db
def test_the_sweep_records_and_announces_what_lost_tasks_missed(
    demand, django_capture_on_commit_callbacks
):
    promise(demand, 100)
    moderators()
    SignatureFactory.create_batch(150, demand=demand)
    other = DemandPageFactory(milestones="1")
    # Recorded, but its announcement task was lost.
    SignatureFactory(demand=other)
    MilestoneReached.objects.create(demand=other, count=1)
    # Recorded long ago and never announced: history, not news.
    MilestoneReached.objects.create(
        demand=other, count=5, reached_at=timezone.now() - timedelta(days=30)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_milestones.apply().get() == 2

    assert set(MilestoneReached.objects.filter(demand=demand).values_list("count", flat=True)) == {
        100
    }
    assert set(Announcement.objects.values_list("key", flat=True)) == {
        f"milestone:{demand.pk}:100",
        f"milestone:{other.pk}:1",
    }
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_milestones.apply().get() == 0
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_threshold_crossed_by_fifty_concurrent_confirmations_is_recorded_and_announced_once():
    demand = DemandPageFactory(milestones="40,60")
    promise(demand, 80)
    staff = moderators()
    kept = SignatureFactory.create_batch(5, demand=demand, keep_updated=True)
    SignatureFactory.create_batch(25, demand=demand)
    services.tally_fold_all()
    pending = SignatureFactory.create_batch(50, demand=demand, confirmed_at=None)

    run_in_threads(50, lambda n: confirm(pending[n]))

    assert Signature.objects.filter(demand=demand, confirmed_at__isnull=False).count() == 80
    reached = MilestoneReached.objects.filter(demand=demand)
    assert sorted(reached.values_list("count", flat=True)) == [40, 60, 80]
    assert Announcement.objects.count() == 3
    recipients = sorted([*(s.email for s in kept), *(user.email for user in staff)])
    for count in (40, 60, 80):
        announcement = Announcement.objects.get(key=f"milestone:{demand.pk}:{count}")
        assert announcement.recipients == len(recipients)
        sent = sorted(m.to[0] for m in mail.outbox if m.subject.startswith(f"{count} signatures"))
        assert sent == recipients
    assert len(mail.outbox) == 3 * len(recipients)


@pytest.mark.django_db
def test_a_web_process_that_never_imported_the_tasks_still_queues_the_recording(
    demand, monkeypatch, django_capture_on_commit_callbacks
):
    from config.celery import app

    for name in [name for name in app.tasks if name.startswith("campaigns.tasks.")]:
        monkeypatch.delitem(app.tasks, name)
    monkeypatch.delitem(sys.modules, "campaigns.tasks")
    demand.milestones = "1"
    demand.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(SignatureFactory(demand=demand, confirmed_at=None))
    assert MilestoneReached.objects.filter(demand=demand, count=1).exists()
