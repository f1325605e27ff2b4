"""Preferences, digest runs and deliveries, and the one-click unsubscribe."""

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta
from smtplib import SMTPRecipientsRefused

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Lower
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DemandPage, DemandTally, Signature
from hub.addresses import email_canonical
from hub.emails import email_render, email_send
from hub.outbox import outbox_messages_claimed, outbox_messages_send
from hub.ratelimit import rate_limits_hit
from hub.tokens import token_make, token_read
from networks.models import Membership, MembershipRole

from . import selectors
from .models import (
    DeliveryStatus,
    DigestDelivery,
    DigestFrequency,
    DigestRun,
    MemberPreferences,
)

# Tokens name a preferences row; those of the first release named a user, hence a new salt.
UNSUBSCRIBE_SALT = "hub.digest.unsubscribe.preferences"


# --- Preferences ----------------------------------------------------------------------------
def preferences_get(*, user) -> MemberPreferences:
    preferences, _ = MemberPreferences.objects.get_or_create(user=user)
    return preferences


def preferences_update(*, user, digest_frequency: str, networks=None, topics=None, regions=None):
    preferences = preferences_get(user=user)
    preferences.digest_frequency = digest_frequency
    preferences.save(update_fields=["digest_frequency"])
    for name, chosen in (("networks", networks), ("topics", topics), ("regions", regions)):
        if chosen is not None:
            getattr(preferences, name).set(chosen)
    return preferences


def _follow(*, user, relation: str, item, follow: bool) -> None:
    followed = getattr(preferences_get(user=user), relation)
    if follow:
        followed.add(item)
    else:
        followed.remove(item)


def network_follow(*, user, network, follow: bool) -> None:
    _follow(user=user, relation="networks", item=network, follow=follow)


def topic_follow(*, user, topic, follow: bool) -> None:
    _follow(user=user, relation="topics", item=topic, follow=follow)


def demand_follow(*, user, demand, follow: bool) -> None:
    _follow(user=user, relation="demands", item=demand, follow=follow)


# --- Unsubscribe ----------------------------------------------------------------------------
def unsubscribe_token(*, preferences_id: int) -> str:
    return token_make(purpose=UNSUBSCRIBE_SALT, payload=preferences_id)


def unsubscribe_url(*, preferences_id: int) -> str:
    token = unsubscribe_token(preferences_id=preferences_id)
    return settings.BASE_URL + reverse("digests:digest_unsubscribe", args=[token])


def unsubscribe_preferences_id(*, token: str) -> int | None:
    preferences_id = token_read(purpose=UNSUBSCRIBE_SALT, token=token)
    return preferences_id if isinstance(preferences_id, int) else None


def digest_unsubscribe(*, preferences_id: int) -> None:
    """A member's digest goes off; an email-only subscription is deleted with its address."""
    MemberPreferences.objects.filter(pk=preferences_id, user__isnull=True).delete()
    MemberPreferences.objects.filter(pk=preferences_id).update(digest_frequency=DigestFrequency.OFF)


# --- Runs -----------------------------------------------------------------------------------
def digest_period(*, frequency: str, now: datetime) -> str:
    local = timezone.localtime(now)
    if frequency == DigestFrequency.DAILY:
        return local.date().isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _demand_state() -> dict[str, list]:
    """Each live demand's status, response and highest milestone reached, in four queries."""
    # Page instances, not values, so that milestones are parsed by DemandPage.milestone_list: hub
    # imports nothing more of campaigns than it already does (issue 13 moves the digest above).
    demands = (
        DemandPage.objects.live()
        .only("id", "status", "response", "milestones")
        .prefetch_related("milestone_promises")
    )
    counts = dict(DemandTally.objects.values_list("demand_id", "count"))
    pending = (
        Signature.objects.filter(confirmed_at__isnull=False, held=False, folded=False)
        .values("demand_id")
        .annotate(n=Count("pk"))
        .values_list("demand_id", "n")
    )
    for demand_id, n in pending:
        counts[demand_id] = counts.get(demand_id, 0) + n
    state = {}
    for demand in demands:
        count = counts.get(demand.id, 0)
        reached = [milestone for milestone in demand.milestone_list if milestone <= count]
        response = demand.response
        response_key = hashlib.sha256(response.encode()).hexdigest()[:16] if response else ""
        state[str(demand.id)] = [demand.status, response_key, max(reached, default=0)]
    return state


def _demand_news(previous: dict, current: dict) -> dict[str, dict]:
    labels = dict(DemandPage._meta.get_field("status").choices)
    news = {}
    for demand_id, (status, response, milestone) in current.items():
        before = previous.get(demand_id)
        if before is None:
            continue
        item = {}
        if status != before[0]:
            item["status"] = str(labels.get(status, status))
        if response and response != before[1]:
            item["response"] = True
        if milestone > before[2]:
            item["milestone"] = milestone
        if item:
            news[demand_id] = item
    return news


def _claim_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT)


def digest_recipients(*, run: DigestRun, candidates: selectors.Candidates):
    """Preferences ids of members and confirmed subscribers of this frequency who follow
    something in the run, not yet served."""
    prefs = MemberPreferences.objects.filter(
        Q(user__isnull=False) | Q(confirmed_at__isnull=False), digest_frequency=run.frequency
    )
    through = MemberPreferences
    news_ids = [int(demand_id) for demand_id in run.demand_news]
    interested = (
        Q(pk__in=through.networks.through.objects.filter(
            networkpage_id__in=candidates.network_ids()).values("memberpreferences_id"))
        | Q(pk__in=through.topics.through.objects.filter(
            topic_id__in=candidates.topic_ids()).values("memberpreferences_id"))
        | Q(pk__in=through.regions.through.objects.filter(
            region_id__in=candidates.region_ids()).values("memberpreferences_id"))
        | Q(user_id__in=Signature.objects.filter(
            demand_id__in=news_ids, confirmed_at__isnull=False).values("user_id"))
        | Q(pk__in=through.demands.through.objects.filter(
            demandpage_id__in=candidates.decided_demand_ids()).values("memberpreferences_id"))
        | Q(user_id__in=Membership.objects.filter(
            network_id__in=candidates.amendment_network_ids(),
            role=MembershipRole.ADMIN).values("user_id"))
    )  # fmt: skip
    served = DigestDelivery.objects.filter(period=f"{run.frequency}:{run.period}").exclude(
        status=DeliveryStatus.SENDING, claimed_at__lt=_claim_cutoff(timezone.now())
    )
    return (
        prefs.filter(interested)
        .exclude(pk__in=served.values("preferences_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_run_start(
    *,
    frequency: str,
    dispatch: Callable[[int, list[int]], None],
    now: datetime | None = None,
    batch_size: int | None = None,
) -> DigestRun:
    """Start a run for the period containing `now`; `dispatch(run_id, member_ids)` each batch
    (ids of preferences rows)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    previous = DigestRun.objects.filter(frequency=frequency).order_by("-started_at").first()
    state = _demand_state()
    run = DigestRun.objects.create(
        frequency=frequency,
        period=digest_period(frequency=frequency, now=now),
        demand_state=state,
        demand_news=_demand_news(previous.demand_state, state) if previous else {},
    )
    candidates = selectors.digest_candidates(
        frequency=frequency, now=run.started_at, demand_news=run.demand_news
    )
    member_ids = list(digest_recipients(run=run, candidates=candidates).iterator(chunk_size=5000))
    batches = [member_ids[i : i + batch_size] for i in range(0, len(member_ids), batch_size)]
    DigestRun.objects.filter(pk=run.pk).update(
        recipients=len(member_ids),
        batches_pending=len(batches),
        finished_at=None if batches else timezone.now(),
    )
    for batch in batches:
        dispatch(run.pk, batch)
    run.refresh_from_db()
    return run


# --- Deliveries -----------------------------------------------------------------------------
def _claim(*, run: DigestRun, member_ids: list[int]) -> list[int]:
    """Claim each member's delivery for the period; only those claimed here are sent here.

    A new row wins by INSERT ... ON CONFLICT DO NOTHING; a row left `sending` by a worker that
    died is taken over once it is older than DIGEST_CLAIM_TIMEOUT. The insert selects from the
    preferences, so a subscriber who unsubscribed (and was deleted) since the run started is
    skipped rather than failing the batch.
    """
    period = f"{run.frequency}:{run.period}"
    now = timezone.now()
    table = DigestDelivery._meta.db_table
    preferences = MemberPreferences._meta.db_table
    ids = ", ".join(["%s"] * len(member_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (preferences_id, period, run_id, status, claimed_at) "  # noqa: S608
            f"SELECT id, %s, %s, %s, %s FROM {preferences} WHERE id IN ({ids}) "
            "ON CONFLICT (preferences_id, period) DO NOTHING RETURNING preferences_id",
            [period, run.pk, DeliveryStatus.SENDING, now, *member_ids],
        )
        claimed = {row[0] for row in cursor.fetchall()}
        taken = sorted(set(member_ids) - claimed)
        if taken:
            cursor.execute(
                f"UPDATE {table} SET claimed_at = %s, run_id = %s "  # noqa: S608
                "WHERE period = %s AND status = %s AND claimed_at < %s "
                f"AND preferences_id IN ({', '.join(['%s'] * len(taken))}) "
                "RETURNING preferences_id",
                [now, run.pk, period, DeliveryStatus.SENDING, _claim_cutoff(now), *taken],
            )
            claimed |= {row[0] for row in cursor.fetchall()}
    return sorted(claimed)


def digest_message(*, member: selectors.Member, digest: dict, frequency: str) -> dict:
    """A member's digest as an outbox message (`email_send`'s arguments)."""
    unsubscribe = unsubscribe_url(preferences_id=member.id)
    context = {
        **digest,
        "name": member.name,
        "frequency": frequency,
        "unsubscribe_url": unsubscribe,
        # Subscribers without an account have no preferences page to sign in to.
        "preferences_url": settings.BASE_URL + reverse("digests:preferences")
        if member.user_id
        else "",
    }
    rendered = email_render(template_prefix="digests/email/digest", context=context)
    return {
        **rendered,
        "to": [member.email],
        "headers": {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _mark(
    *, period: str, member_ids: list[int], status: str, was: str = DeliveryStatus.SENDING
) -> int:
    """Mark the deliveries of `member_ids` still `was` (claimed); how many there were. A
    delivery is marked once from each status, so what the run counts from these numbers is
    counted once."""
    if not member_ids:
        return 0
    return DigestDelivery.objects.filter(
        period=period, preferences_id__in=member_ids, status=was
    ).update(status=status, sent_at=timezone.now() if status == DeliveryStatus.SENT else None)


def _count(run_id: int, *, done: bool, **counts) -> None:
    """Add `counts` to the run, and count what it sent from its deliveries marked sent, so that
    the digests of a worker killed mid-batch are counted by the batch's redelivery. The run's row
    is locked first: the count, a statement of its own, then sees every batch's marks committed
    before it, and concurrent batches take turns."""
    changes = {name: F(name) + n for name, n in counts.items() if n}
    sent = (
        DigestDelivery.objects.filter(run_id=run_id, status=DeliveryStatus.SENT)
        .values("run_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    changes["sent"] = Coalesce(Subquery(sent), 0)
    if done:
        # A batch the broker delivers twice is done twice; the count must not go below zero.
        changes["batches_pending"] = Greatest(F("batches_pending") - 1, 0)
    with transaction.atomic():
        list(DigestRun.objects.select_for_update().filter(pk=run_id).values_list("pk"))
        DigestRun.objects.filter(pk=run_id).update(**changes)
        if done:
            DigestRun.objects.filter(pk=run_id, batches_pending=0, finished_at=None).update(
                finished_at=timezone.now()
            )


@contextmanager
def _async_commit():
    """Marks commit without waiting for the disk: a dead worker's marks are already written;
    only a crash of PostgreSQL itself could lose the last few, and resend those digests."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def digest_batch_send(*, run_id: int, member_ids: list[int]) -> dict:
    """Claim and build the digests of `member_ids` (preferences), then send them through the
    outbox; returns the counts.

    A digest becomes an outbox row in the transaction that marks its delivery sent, so from
    then on it is the outbox's: this worker sends the batch over one connection right after the
    commit, and the outbox retries with backoff whatever does not go (the drain takes it).
    Digests the server refuses at that first try are marked failed.
    """
    run = DigestRun.objects.get(pk=run_id)
    period = f"{run.frequency}:{run.period}"
    claimed = _claim(run=run, member_ids=member_ids)
    if not claimed:
        _count(run_id, done=True)
        return {"sent": 0, "skipped_empty": 0, "failed": 0}
    candidates = selectors.digest_candidates(
        frequency=run.frequency, now=run.started_at, demand_news=run.demand_news
    )
    members = selectors.digest_members(
        member_ids=claimed, news_demand_ids=[int(i) for i in run.demand_news]
    )
    digests = {}
    for member in members:
        digest = selectors.digest_for_member(member=member, candidates=candidates)
        if digest is not None:
            digests[member.id] = digest_message(
                member=member, digest=digest, frequency=run.frequency
            )
    # Members whose preferences vanished since the run started have nothing to send (and, their
    # deliveries gone with them, nothing to count).
    empty = sorted(set(claimed) - set(digests))
    with _async_commit():
        with transaction.atomic():
            messages = outbox_messages_claimed(list(digests.values()))
            sent = _mark(period=period, member_ids=list(digests), status=DeliveryStatus.SENT)
            skipped = _mark(period=period, member_ids=empty, status=DeliveryStatus.EMPTY)
            _count(run_id, done=False, skipped_empty=skipped)
        errors = outbox_messages_send(messages)
    refused = [
        member_id
        for member_id, message in zip(digests, messages, strict=True)
        if isinstance(errors.get(message.pk), SMTPRecipientsRefused)
    ]
    with transaction.atomic():
        failed = _mark(period=period, member_ids=refused, status=DeliveryStatus.FAILED,
                       was=DeliveryStatus.SENT)  # fmt: skip
        _count(run_id, done=True, failed=failed)
    return {"sent": sent - failed, "skipped_empty": skipped, "failed": failed}


# --- Subscribers without an account ---------------------------------------------------------
SUBSCRIBE_SALT = "hub.digest.subscribe"
SUBSCRIBE_MAX_AGE = timedelta(days=7)
SUBSCRIBE_RESEND_INTERVAL = timedelta(hours=1)
# (scope, limit, period in seconds), as in hub.ratelimit: a burst window and a sustained one.
SUBSCRIBE_IP_LIMITS = [("subscribe-ip-burst", 10, 60), ("subscribe-ip-hour", 60, 3600)]
SUBSCRIBE_EMAIL_LIMITS = [("subscribe-email-hour", 5, 3600), ("subscribe-email-day", 10, 86400)]


def subscribe_rate_limited(*, ip: str, email: str) -> bool:
    # Per address too, so that many connections cannot fill one person's inbox; the canonical
    # form stops +tags and Gmail dots from counting as other addresses.
    by_ip = rate_limits_hit(limits=SUBSCRIBE_IP_LIMITS, key=ip) if ip else False
    return rate_limits_hit(limits=SUBSCRIBE_EMAIL_LIMITS, key=email_canonical(email)) or by_ip


def _subscriptions(email: str):
    # Spelled to match the unique index on LOWER(email).
    return MemberPreferences.objects.alias(email_lower=Lower("email")).filter(
        user__isnull=True, email_lower=email.lower()
    )


def subscriber_subscribe(*, email: str, topics, regions) -> None:
    """Ask for the weekly digest with just an address; it starts once the emailed link is used.

    One row per address however concurrently it is submitted. Asking again before confirming
    replaces the topics and regions and re-sends the link at most hourly; a confirmed
    subscription is left as it is, since anyone may type anyone's address here.
    """
    email = email.strip()
    now = timezone.now()
    for attempt in range(2):
        subscription = _subscriptions(email).first()
        if subscription is not None:
            break
        try:
            with transaction.atomic():
                subscription = MemberPreferences.objects.create(
                    email=email,
                    digest_frequency=DigestFrequency.WEEKLY,
                    confirmation_sent_at=now,
                )
            subscription.topics.set(topics)
            subscription.regions.set(regions)
            _subscriber_confirmation_send(subscription=subscription)
            return
        except IntegrityError:
            # Another request created it in the meantime: read it on the next round.
            if attempt:
                raise
    if subscription.confirmed_at is not None:
        return
    subscription.topics.set(topics)
    subscription.regions.set(regions)
    resend = MemberPreferences.objects.filter(
        pk=subscription.pk,
        confirmed_at__isnull=True,
        confirmation_sent_at__lt=now - SUBSCRIBE_RESEND_INTERVAL,
    ).update(confirmation_sent_at=now)
    if resend:
        _subscriber_confirmation_send(subscription=subscription)


def subscriber_token(*, subscription: MemberPreferences) -> str:
    return token_make(purpose=SUBSCRIBE_SALT, payload=subscription.pk)


def _subscriber_confirmation_send(*, subscription: MemberPreferences) -> None:
    token = subscriber_token(subscription=subscription)
    confirm_url = settings.BASE_URL + reverse("digests:subscriber_confirm", args=[token])
    message = email_render(
        template_prefix="digests/email/subscribe", context={"confirm_url": confirm_url}
    )
    email_send(to=[subscription.email], **message)


def subscriber_from_token(*, token: str) -> MemberPreferences | None:
    """The subscription a confirmation link names; None if tampered, expired or gone."""
    pk = token_read(purpose=SUBSCRIBE_SALT, token=token, max_age=SUBSCRIBE_MAX_AGE)
    if not isinstance(pk, int):
        return None
    return MemberPreferences.objects.filter(pk=pk, user__isnull=True).first()


def _account_for_email(email: str):
    """The account whose address this is, if any: its login address or a verified one."""
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).first()
    return address.user if address else None


def _subscriber_merge(*, subscription: MemberPreferences, user) -> MemberPreferences:
    """Fold a subscription into an account's preferences, so nobody gets two digests.

    The account keeps a daily digest if it has one; a digest that was off becomes weekly.
    """
    preferences = preferences_get(user=user)
    if preferences.digest_frequency == DigestFrequency.OFF:
        preferences.digest_frequency = DigestFrequency.WEEKLY
        preferences.save(update_fields=["digest_frequency"])
    preferences.topics.add(*subscription.topics.all())
    preferences.regions.add(*subscription.regions.all())
    subscription.delete()
    return preferences


def subscriber_confirm(*, subscription: MemberPreferences) -> MemberPreferences | None:
    """Confirm a subscription, or merge it into the account with that address; returns the
    preferences that now hold it (None if it is gone)."""
    with transaction.atomic():
        current = (
            MemberPreferences.objects.select_for_update()
            .filter(pk=subscription.pk, user__isnull=True)
            .first()
        )
        if current is None:
            return None
        user = _account_for_email(current.email)
        if user is not None:
            return _subscriber_merge(subscription=current, user=user)
        if current.confirmed_at is None:
            current.confirmed_at = timezone.now()
            current.save(update_fields=["confirmed_at"])
        return current


def subscriber_merge_into_account(*, user, email: str) -> int:
    """An account confirmed `email`: fold in a confirmed subscription to it; returns how many.

    An unconfirmed one is left alone: the account owner never asked for it, and its own link
    merges it if used.
    """
    with transaction.atomic():
        subscriptions = list(
            _subscriptions(email).filter(confirmed_at__isnull=False).select_for_update()
        )
        for subscription in subscriptions:
            _subscriber_merge(subscription=subscription, user=user)
    return len(subscriptions)


def subscribers_purge_unconfirmed() -> int:
    """Forget addresses whose confirmation link has expired unused; returns how many."""
    _total, deleted = MemberPreferences.objects.filter(
        user__isnull=True,
        confirmed_at__isnull=True,
        confirmation_sent_at__lt=timezone.now() - SUBSCRIBE_MAX_AGE,
    ).delete()
    return deleted.get(MemberPreferences._meta.label, 0)
