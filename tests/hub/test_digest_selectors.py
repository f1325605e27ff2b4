import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.factories import DemandPageFactory, SignatureFactory
from events.factories import EventPageFactory
from events.models import EventFormat
from hub.digest import selectors, services
from hub.digest.models import DeliveryStatus, DigestDelivery, DigestRun
from hub.factories import MemberPreferencesFactory, TopicFactory
from hub.models import Region
from networks.factories import NetworkPageFactory, PositionPageFactory

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


def run_digest(frequency="daily"):
    """A whole run in this process: the run, then each batch it hands out."""
    batches = []
    run = services.digest_run_start(
        frequency=frequency, dispatch=lambda run_id, ids: batches.append((run_id, ids))
    )
    for run_id, user_ids in batches:
        services.digest_batch_send(run_id=run_id, user_ids=user_ids)
    run.refresh_from_db()
    return run


def tag(page, topic):
    # Page topics are parental: set() is kept in memory until the page is saved.
    page.topics.set([topic])
    page.save()


def one_digest(user) -> tuple[dict | None, int]:
    """One member's digest, built the way a batch builds it, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        candidates = selectors.digest_candidates(frequency="daily", now=now(), demand_news={})
        (member,) = selectors.digest_members(user_ids=[user.pk], news_demand_ids=[])
        digest = selectors.digest_for_member(member=member, candidates=candidates)
    return digest, len(queries)


def site(*, networks: int, members: int, topic=None):
    topic = topic or TopicFactory()
    region = Region.objects.order_by("sort_order").first()
    made = []
    for _ in range(networks):
        network = NetworkPageFactory()
        made.append(network)
        PositionPageFactory(parent=network, first_published_at=now())
        tag(
            EventPageFactory(organising_network=network, region=region, first_published_at=now()),
            topic,
        )
        tag(DemandPageFactory(first_published_at=now()), topic)
    for _ in range(members):
        MemberPreferencesFactory(networks=made[:3], topics=[topic])
    return made, topic


def test_one_members_digest_takes_the_same_queries_on_a_small_and_a_large_site():
    networks, topic = site(networks=1, members=1)
    member = MemberPreferencesFactory(networks=networks[:1], topics=[topic]).user
    small_digest, small = one_digest(member)

    site(networks=12, members=40, topic=topic)
    large_digest, large = one_digest(member)

    assert small_digest and large_digest
    assert len(large_digest["new_demands"]) > len(small_digest["new_demands"])
    assert small == large, f"{small} queries on the small site, {large} on the large"


def test_a_digest_holds_what_the_member_follows_and_nothing_else():
    followed, other = NetworkPageFactory(title="Followed"), NetworkPageFactory(title="Other")
    topic, region = TopicFactory(name="Waiting lists"), Region.objects.get(slug="wales")
    elsewhere = Region.objects.exclude(slug="wales").first()
    PositionPageFactory(parent=followed, title="Ours", first_published_at=now())
    PositionPageFactory(parent=other, title="Theirs", first_published_at=now())
    PositionPageFactory(
        parent=followed, title="Old", first_published_at=now() - dt.timedelta(days=5)
    )
    soon = now() + dt.timedelta(days=3)
    EventPageFactory(title="In Wales", region=region, start=soon, first_published_at=now())
    EventPageFactory(title="Far away", region=elsewhere, start=soon, first_published_at=now())
    tag(
        EventPageFactory(
            title="Online on topic",
            format=EventFormat.ONLINE,
            online_url="https://meet.example/x",
            start=soon,
            first_published_at=now(),
        ),
        topic,
    )
    EventPageFactory(
        title="Next month", region=region, start=now() + dt.timedelta(days=30),
        first_published_at=now(),
    )  # fmt: skip
    tag(DemandPageFactory(title="On our topic", first_published_at=now()), topic)
    DemandPageFactory(title="Off topic", first_published_at=now())
    preferences = MemberPreferencesFactory(networks=[followed], topics=[topic])
    preferences.regions.set([region])

    digest, _queries = one_digest(preferences.user)

    assert [p["title"] for p in digest["positions"]] == ["Ours"]
    assert [e["title"] for e in digest["events"]] == ["In Wales", "Online on topic"]
    assert [d["title"] for d in digest["new_demands"]] == ["On our topic"]


def test_signers_hear_of_status_changes_responses_and_milestones():
    demand = DemandPageFactory(
        title="Public inquiry", milestones="2,10", first_published_at=now() - dt.timedelta(days=30)
    )
    signer = MemberPreferencesFactory().user
    SignatureFactory(demand=demand, user=signer, email=signer.email)
    bystander = MemberPreferencesFactory()
    first = run_digest()
    assert first.recipients == 0, "nothing has changed yet"

    SignatureFactory(demand=demand)
    demand.status = "responded"
    demand.response = "<p>We will consider it.</p>"
    demand.save()
    second = run_digest()

    assert (second.recipients, second.sent) == (1, 1)
    (message,) = mail.outbox
    assert message.to == [signer.email]
    assert (
        "Public inquiry: now Responded; there is a response; 2 signatures reached" in message.body
    )
    assert bystander.user.email not in {m.to[0] for m in mail.outbox}


def test_an_empty_digest_is_not_sent():
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=now() - dt.timedelta(hours=3))
    user = MemberPreferencesFactory(networks=[network]).user
    # Sent an hour ago, in a period of its own: the position is older than that digest.
    DigestDelivery.objects.create(
        user=user, period="daily:earlier", status=DeliveryStatus.SENT,
        claimed_at=now() - dt.timedelta(hours=1), sent_at=now() - dt.timedelta(hours=1),
    )  # fmt: skip

    run = run_digest()

    assert (run.recipients, run.sent, run.skipped_empty) == (1, 0, 1)
    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=user, run=run).status == DeliveryStatus.EMPTY
    assert run.finished_at is not None


def test_a_refused_transport_releases_the_claims_for_a_retry(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=now())
    user = MemberPreferencesFactory(networks=[network]).user
    batches = []
    run = services.digest_run_start(
        frequency="daily", dispatch=lambda *batch: batches.append(batch)
    )

    with pytest.raises(OSError):
        services.digest_batch_send(run_id=run.pk, user_ids=[user.pk], last_attempt=False)
    assert not DigestDelivery.objects.filter(user=user).exists()
    assert DigestRun.objects.get(pk=run.pk).finished_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.digest_batch_send(run_id=run.pk, user_ids=[user.pk])
    assert len(mail.outbox) == 1
    assert DigestRun.objects.get(pk=run.pk).sent == 1


def test_a_batch_delivered_twice_sends_once():
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=now())
    user = MemberPreferencesFactory(networks=[network]).user
    batches = []
    run = services.digest_run_start(
        frequency="daily", dispatch=lambda *batch: batches.append(batch)
    )
    services.digest_batch_send(run_id=run.pk, user_ids=[user.pk])
    services.digest_batch_send(run_id=run.pk, user_ids=[user.pk])  # redelivered by the broker
    assert len(mail.outbox) == 1
