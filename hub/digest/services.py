"""Preferences, digest runs and deliveries, and the one-click unsubscribe."""

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta
from smtplib import SMTPException, SMTPRecipientsRefused

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DemandPage, DemandTally, Signature
from hub.emails import email_render

from . import selectors
from .models import (
    DeliveryStatus,
    DigestDelivery,
    DigestFrequency,
    DigestRun,
    MemberPreferences,
)

UNSUBSCRIBE_SALT = "hub.digest.unsubscribe"


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


# --- Unsubscribe ----------------------------------------------------------------------------
def unsubscribe_token(*, user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int) -> str:
    token = unsubscribe_token(user_id=user_id)
    return settings.BASE_URL + reverse("hub:digest_unsubscribe", args=[token])


def unsubscribe_user_id(*, token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def digest_unsubscribe(*, user_id: int) -> None:
    MemberPreferences.objects.filter(user_id=user_id).update(digest_frequency=DigestFrequency.OFF)


# --- Runs -----------------------------------------------------------------------------------
def digest_period(*, frequency: str, now: datetime) -> str:
    local = timezone.localtime(now)
    if frequency == DigestFrequency.DAILY:
        return local.date().isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _demand_state() -> dict[str, list]:
    """Each live demand's status, response and highest milestone reached, in three queries."""
    demands = DemandPage.objects.live().values_list("id", "status", "response", "milestones")
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
    for demand_id, status, response, milestones in demands:
        count = counts.get(demand_id, 0)
        reached = [int(m) for m in milestones.split(",") if m.strip() and int(m) <= count]
        response_key = hashlib.sha256(response.encode()).hexdigest()[:16] if response else ""
        state[str(demand_id)] = [status, response_key, max(reached, default=0)]
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
    """Ids of members of this frequency who follow something in the run, not yet served."""
    prefs = MemberPreferences.objects.filter(digest_frequency=run.frequency)
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
    )  # fmt: skip
    served = DigestDelivery.objects.filter(period=f"{run.frequency}:{run.period}").exclude(
        status=DeliveryStatus.SENDING, claimed_at__lt=_claim_cutoff(timezone.now())
    )
    return (
        prefs.filter(interested)
        .exclude(user_id__in=served.values("user_id"))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def digest_run_start(
    *,
    frequency: str,
    dispatch: Callable[[int, list[int]], None],
    now: datetime | None = None,
    batch_size: int | None = None,
) -> DigestRun:
    """Start a run for the period containing `now`; `dispatch(run_id, user_ids)` each batch."""
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
    user_ids = list(digest_recipients(run=run, candidates=candidates).iterator(chunk_size=5000))
    batches = [user_ids[i : i + batch_size] for i in range(0, len(user_ids), batch_size)]
    DigestRun.objects.filter(pk=run.pk).update(
        recipients=len(user_ids),
        batches_pending=len(batches),
        finished_at=None if batches else timezone.now(),
    )
    for batch in batches:
        dispatch(run.pk, batch)
    run.refresh_from_db()
    return run


# --- Deliveries -----------------------------------------------------------------------------
def _claim(*, run: DigestRun, user_ids: list[int]) -> list[int]:
    """Claim each member's delivery for the period; only those claimed here are sent here.

    A new row wins by INSERT ... ON CONFLICT DO NOTHING; a row left `sending` by a worker that
    died is taken over once it is older than DIGEST_CLAIM_TIMEOUT.
    """
    period = f"{run.frequency}:{run.period}"
    now = timezone.now()
    table = DigestDelivery._meta.db_table
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(user_ids))
    params = []
    for user_id in user_ids:
        params += [user_id, period, run.pk, DeliveryStatus.SENDING, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, period, run_id, status, claimed_at) "  # noqa: S608
            f"VALUES {rows} ON CONFLICT (user_id, period) DO NOTHING RETURNING user_id",
            params,
        )
        claimed = {row[0] for row in cursor.fetchall()}
        taken = sorted(set(user_ids) - claimed)
        if taken:
            cursor.execute(
                f"UPDATE {table} SET claimed_at = %s, run_id = %s "  # noqa: S608
                "WHERE period = %s AND status = %s AND claimed_at < %s "
                f"AND user_id IN ({', '.join(['%s'] * len(taken))}) RETURNING user_id",
                [now, run.pk, period, DeliveryStatus.SENDING, _claim_cutoff(now), *taken],
            )
            claimed |= {row[0] for row in cursor.fetchall()}
    return sorted(claimed)


def digest_message(*, member: selectors.Member, digest: dict, frequency: str):
    unsubscribe = unsubscribe_url(user_id=member.user_id)
    context = {
        **digest,
        "name": member.name,
        "frequency": frequency,
        "unsubscribe_url": unsubscribe,
        "preferences_url": settings.BASE_URL + reverse("hub:preferences"),
    }
    rendered = email_render(template_prefix="hub/digest/email/digest", context=context)
    message = EmailMultiAlternatives(
        subject=rendered["subject"],
        body=rendered["text"],
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(rendered["html"], "text/html")
    return message


def _mark(*, period: str, user_ids: list[int], status: str) -> None:
    if user_ids:
        DigestDelivery.objects.filter(period=period, user_id__in=user_ids).update(
            status=status, sent_at=timezone.now() if status == DeliveryStatus.SENT else None
        )


def _count(run_id: int, *, done: bool, **counts) -> None:
    changes = {name: F(name) + n for name, n in counts.items() if n}
    if done:
        # A batch the broker delivers twice is done twice; the count must not go below zero.
        changes["batches_pending"] = Greatest(F("batches_pending") - 1, 0)
    if changes:
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


def digest_batch_send(*, run_id: int, user_ids: list[int], last_attempt: bool = True) -> dict:
    """Claim, build and send the digests of `user_ids`; returns the counts.

    On a transport failure the claims not yet sent are released, so a retry (or the next run)
    takes them, and the error is raised again for the task to retry.
    """
    run = DigestRun.objects.get(pk=run_id)
    period = f"{run.frequency}:{run.period}"
    claimed = _claim(run=run, user_ids=user_ids)
    counts = {"sent": 0, "skipped_empty": 0, "failed": 0}
    if not claimed:
        _count(run_id, done=True)
        return counts
    candidates = selectors.digest_candidates(
        frequency=run.frequency, now=run.started_at, demand_news=run.demand_news
    )
    members = selectors.digest_members(
        user_ids=claimed, news_demand_ids=[int(i) for i in run.demand_news]
    )
    empty, refused, pending = [], [], set(claimed)
    try:
        with _async_commit(), get_connection() as mail:
            for member in members:
                digest = selectors.digest_for_member(member=member, candidates=candidates)
                if digest is None:
                    empty.append(member.user_id)
                    pending.discard(member.user_id)
                    continue
                message = digest_message(member=member, digest=digest, frequency=run.frequency)
                message.connection = mail
                try:
                    message.send()
                except SMTPRecipientsRefused:
                    refused.append(member.user_id)
                    pending.discard(member.user_id)
                    continue
                # Marked one by one: a worker killed mid-batch must not resend these.
                _mark(period=period, user_ids=[member.user_id], status=DeliveryStatus.SENT)
                pending.discard(member.user_id)
                counts["sent"] += 1
    except (SMTPException, OSError):
        with transaction.atomic():
            DigestDelivery.objects.filter(
                period=period, user_id__in=pending, status=DeliveryStatus.SENDING
            ).delete()
            _mark(period=period, user_ids=empty, status=DeliveryStatus.EMPTY)
            _mark(period=period, user_ids=refused, status=DeliveryStatus.FAILED)
            _count(run_id, done=last_attempt, sent=counts["sent"], skipped_empty=len(empty),
                   failed=len(refused) + (len(pending) if last_attempt else 0))  # fmt: skip
        raise
    # Members whose preferences vanished since the run started have nothing to send.
    empty += list(pending)
    _mark(period=period, user_ids=empty, status=DeliveryStatus.EMPTY)
    _mark(period=period, user_ids=refused, status=DeliveryStatus.FAILED)
    counts.update(skipped_empty=len(empty), failed=len(refused))
    _count(run_id, done=True, **counts)
    return counts
