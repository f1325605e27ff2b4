import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import MilestonePromise
from digests import selectors, services
from digests.factories import MemberPreferencesFactory, SubscriberFactory
from digests.models import DeliveryStatus, DigestDelivery, DigestRun
from events.factories import CoOrganiserInvitationFactory, EventPageFactory
from events.models import CoOrganiserStatus, EventFormat
from hub import outbox
from hub.factories import TopicFactory
from hub.models import OutboxMessage, Region
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
    for run_id, member_ids in batches:
        services.digest_batch_send(run_id=run_id, member_ids=member_ids)
    run.refresh_from_db()
    return run


def start_run(frequency: str):
    """A run started with its batches left unsent, for the test to send by hand."""
    return services.digest_run_start(frequency=frequency, dispatch=lambda run_id, ids: None)


def tag(page, topic):
    # Page topics are parental: set() is kept in memory until the page is saved.
    page.topics.set([topic])
    page.save()


def one_digest(preferences) -> tuple[dict | None, int]:
    """One member's digest, built the way a batch builds it, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        candidates = selectors.digest_candidates(frequency="daily", now=now(), demand_news={})
        (member,) = selectors.digest_members(member_ids=[preferences.pk], news_demand_ids=[])
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
    member = MemberPreferencesFactory(networks=networks[:1], topics=[topic])
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

    digest, _queries = one_digest(preferences)

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
    member = MemberPreferencesFactory(networks=[network])
    # Sent an hour ago, in a period of its own: the position is older than that digest.
    DigestDelivery.objects.create(
        preferences=member, period="daily:earlier", status=DeliveryStatus.SENT,
        claimed_at=now() - dt.timedelta(hours=1), sent_at=now() - dt.timedelta(hours=1),
    )  # fmt: skip

    run = run_digest()

    assert (run.recipients, run.sent, run.skipped_empty) == (1, 0, 1)
    assert mail.outbox == []
    assert DigestDelivery.objects.get(preferences=member, run=run).status == DeliveryStatus.EMPTY
    assert run.finished_at is not None


def test_a_refused_transport_leaves_the_digest_in_the_outbox_for_its_retry(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=now())
    member = MemberPreferencesFactory(networks=[network])
    run = start_run("daily")

    services.digest_batch_send(run_id=run.pk, member_ids=[member.pk])
    waiting = OutboxMessage.objects.get()
    assert waiting.to == [member.user.email] and waiting.sent_at is None
    assert waiting.attempts == 1 and waiting.claimed_at is None
    assert waiting.next_attempt_at > now(), "tried again after a backoff"
    assert DigestDelivery.objects.get(preferences=member).status == DeliveryStatus.SENT
    run.refresh_from_db()
    assert (run.sent, run.failed, run.finished_at is not None) == (1, 0, True)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.digest_batch_send(run_id=run.pk, member_ids=[member.pk])  # redelivered
    assert outbox.outbox_drain() == 0, "not before its backoff"
    OutboxMessage.objects.update(next_attempt_at=now())
    assert outbox.outbox_drain() == 1
    assert [message.to for message in mail.outbox] == [[member.user.email]]
    assert DigestRun.objects.get(pk=run.pk).sent == 1


def test_a_batch_delivered_twice_sends_once():
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=now())
    member = MemberPreferencesFactory(networks=[network])
    run = start_run("daily")
    services.digest_batch_send(run_id=run.pk, member_ids=[member.pk])
    services.digest_batch_send(run_id=run.pk, member_ids=[member.pk])  # redelivered by the broker
    assert len(mail.outbox) == 1


def test_confirmed_subscribers_get_the_weekly_digest_and_unconfirmed_ones_nothing():
    topic, wales = TopicFactory(name="Waiting lists"), Region.objects.get(slug="wales")
    tag(DemandPageFactory(title="Shorter waits", first_published_at=now()), topic)
    EventPageFactory(
        title="Cafe in Cardiff", region=wales, start=now() + dt.timedelta(days=2),
        first_published_at=now(),
    )  # fmt: skip
    by_topic = SubscriberFactory(email="topic@example.org", topics=[topic])
    SubscriberFactory(email="region@example.org", regions=[wales])
    SubscriberFactory(email="pending@example.org", topics=[topic], confirmed_at=None)
    MemberPreferencesFactory(digest_frequency="weekly", topics=[topic])

    assert run_digest("daily").recipients == 0, "subscribers only take the weekly digest"
    run = run_digest("weekly")

    assert (run.recipients, run.sent) == (3, 3)
    sent = {message.to[0]: message for message in mail.outbox}
    assert "pending@example.org" not in sent
    assert "Shorter waits" in sent["topic@example.org"].body
    assert "Cafe in Cardiff" in sent["region@example.org"].body
    message = sent["topic@example.org"]
    # The token carries a timestamp, so read it back rather than rebuilding it a second later.
    header = message.extra_headers["List-Unsubscribe"]
    prefix = services.unsubscribe_url(preferences_id=by_topic.pk).rsplit("/", 2)[0] + "/"
    assert header.startswith(f"<{prefix}") and header.endswith("/>")
    token = header.removeprefix(f"<{prefix}").removesuffix("/>")
    assert services.unsubscribe_preferences_id(token=token) == by_topic.pk
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Change what you follow" not in message.body, "no preferences page without an account"
    assert DigestDelivery.objects.get(preferences=by_topic).status == DeliveryStatus.SENT
    assert run_digest("weekly").recipients == 0, "once per period"


def test_a_subscriber_who_unsubscribes_mid_run_is_skipped_not_a_failed_batch():
    topic = TopicFactory()
    tag(DemandPageFactory(first_published_at=now()), topic)
    gone, staying = SubscriberFactory.create_batch(2, topics=[topic])
    run = start_run("weekly")
    services.digest_unsubscribe(preferences_id=gone.pk)

    services.digest_batch_send(run_id=run.pk, member_ids=[gone.pk, staying.pk])

    assert [message.to for message in mail.outbox] == [[staying.email]]


def batch_queries(members: list) -> tuple[int, int]:
    """The queries a batch of `members` took, and how many digests it sent."""
    run = DigestRun.objects.create(frequency="weekly", period=f"probe-{len(members)}")
    with CaptureQueriesContext(connection) as queries:
        counts = services.digest_batch_send(run_id=run.pk, member_ids=[m.pk for m in members])
    return len(queries), counts["sent"]


def test_a_batch_takes_one_query_per_digest_sent_plus_a_fixed_number_with_subscribers():
    networks, topic = site(networks=3, members=0)
    region = Region.objects.order_by("sort_order").first()

    def mix(count):
        return [
            MemberPreferencesFactory(digest_frequency="weekly", networks=networks, topics=[topic])
            if n % 2
            else SubscriberFactory(topics=[topic], regions=[region])
            for n in range(count)
        ]

    small, small_sent = batch_queries(mix(2))
    large, large_sent = batch_queries(mix(20))

    assert (small_sent, large_sent) == (2, 20)
    # The one per digest is the UPDATE that marks it sent.
    assert small - small_sent == large - large_sent, f"{small} queries for 2, {large} for 20"


def test_a_digest_holds_co_organised_events_only_once_the_network_accepted():
    followed = NetworkPageFactory(title="Followed")
    event = EventPageFactory(
        title="Joint assembly", start=now() + dt.timedelta(days=3), first_published_at=now()
    )
    invitation = CoOrganiserInvitationFactory(
        event=event, network=followed, status=CoOrganiserStatus.PENDING
    )
    preferences = MemberPreferencesFactory(networks=[followed])
    assert one_digest(preferences)[0] is None

    invitation.status = CoOrganiserStatus.ACCEPTED
    invitation.save()
    digest, _queries = one_digest(preferences)
    assert [e["title"] for e in digest["events"]] == ["Joint assembly"]


def test_a_promised_milestone_counts_among_those_the_digest_reports():
    demand = DemandPageFactory(
        title="Public inquiry", milestones="", first_published_at=now() - dt.timedelta(days=30)
    )
    MilestonePromise.objects.create(demand=demand, count=2, promise="deliver it to NHS England")
    signer = MemberPreferencesFactory().user
    SignatureFactory(demand=demand, user=signer, email=signer.email)
    run_digest()

    SignatureFactory(demand=demand)
    run_digest()

    (message,) = mail.outbox
    assert "Public inquiry; 2 signatures reached" in message.body
