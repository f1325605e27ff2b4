"""Reads across demands, signatures and networks. Every query count here is independent of how
many signatures a demand has."""

from datetime import timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from wagtail.models import Page

from hub.addresses import email_canonical
from hub.cache import cached
from hub.regions import NATIONS, REGIONS
from hub.roles import Role
from networks.models import MembershipRole, NetworkPage

from .records import (
    DemandTally,
    DemandVersion,
    MilestoneReached,
    NetworkCoSignature,
    PlatformVersion,
    Signature,
)
from .versions import case_text, diff_changed, words_diff

HOW_WE_COUNT_URL = "/how-we-count/"
CHART_DAYS = 60
# How stale a demand page's breakdowns, chart and recent names may be; its count is always live.
SUMMARY_SECONDS = 60
HISTORY_PER_PAGE = 10

COUNTED = Q(confirmed_at__isnull=False, held=False)


def demand_count(*, demand: Page | int) -> int:
    """The exact number of confirmed, not-held signatures: the stored count plus those
    confirmed since the last fold (one query on a partial index), right even with no beat."""
    stored = DemandTally.objects.filter(demand=demand).values_list("count", flat=True).first()
    pending = Signature.objects.filter(COUNTED, demand=demand, folded=False).count()
    return (stored or 0) + pending


# A surge of readers shares one count a second between them; every change to what is counted
# clears it (`demand_count_changed`), so a signer sees their own signature at once.
LIVE_COUNT_SECONDS = 1


def _live_count_key(demand_id: int) -> str:
    return f"demand:{demand_id}:live-count"


def demand_live_count(*, demand_id: int) -> int:
    key = _live_count_key(demand_id)
    count = cache.get(key)
    if count is None:
        count = demand_count(demand=demand_id)
        cache.set(key, count, LIVE_COUNT_SECONDS)
    return count


def demand_count_changed(*demand_ids: int) -> None:
    """Cleared now for this connection, and again after commit, in case a reader cached the old
    count in between (as hub.cache.content_changed does for the content version)."""
    keys = [_live_count_key(demand_id) for demand_id in set(demand_ids)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def with_counts(demands):
    """`demands` annotated with `signature_count` (as `demand_count` counts it) and
    `network_count`, one subquery each however many demands or signatures."""
    stored = DemandTally.objects.filter(demand=OuterRef("pk")).values("count")
    pending = (
        Signature.objects.filter(COUNTED, demand=OuterRef("pk"), folded=False)
        .order_by()
        .values("demand")
        .annotate(n=Count("pk"))
        .values("n")
    )
    networks = (
        NetworkCoSignature.objects.filter(demand=OuterRef("pk"), network__live=True)
        .order_by()
        .values("demand")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return demands.annotate(
        signature_count=Coalesce(Subquery(stored), Value(0))
        + Coalesce(Subquery(pending), Value(0)),
        network_count=Coalesce(Subquery(networks), Value(0)),
    )


def counts_set(demands) -> list:
    """`demands`, pages already read (as a list cached without counts, which change far more
    often than pages), each given `signature_count` as `with_counts` reads it: one query."""
    demands = list(demands)
    if not demands:
        return demands
    counts = dict(
        with_counts(Page.objects.filter(pk__in=[demand.pk for demand in demands]))
        .order_by()
        .values_list("pk", "signature_count")
    )
    for demand in demands:
        demand.signature_count = counts.get(demand.pk, 0)
    return demands


def demands_unsigned(demands, *, canonical_email: str):
    """`demands` with no signature (confirmed or not) of `canonical_email`, with counts."""
    signed = Signature.objects.filter(demand=OuterRef("pk"), email_canonical=canonical_email)
    return with_counts(demands.exclude(Exists(signed))).prefetch_related("milestone_promises")


def milestone_progress(*, count: int, milestones: list[int]) -> dict:
    """The next milestone above `count` and how far along the way to it the count is."""
    previous = 0
    for milestone in milestones:
        if count < milestone:
            percent = int(100 * (count - previous) / (milestone - previous))
            return {"next": milestone, "previous": previous, "percent": percent}
        previous = milestone
    return {"next": None, "previous": previous, "percent": 100}


def _breakdown(rows, labels: dict) -> list[dict]:
    total = sum(count for _key, count in rows) or 1
    return [
        {"key": key, "label": labels.get(key, "Not given"), "count": count,
         "percent": round(100 * count / total)}
        for key, count in sorted(rows, key=lambda row: -row[1])
    ]  # fmt: skip


def demand_breakdowns(*, demand: Page) -> dict:
    counted = Signature.objects.filter(COUNTED, demand=demand)
    by_kind = counted.values_list("kind").annotate(n=Count("pk")).order_by()
    by_region = counted.values_list("region").annotate(n=Count("pk")).order_by()
    by_network = (
        counted.values_list("affiliation_id", "affiliation__title")
        .annotate(n=Count("pk"))
        .order_by()
    )
    region_rows = list(by_region)
    nation_of = {slug: nation for nation, slug, _name in REGIONS}
    nations: dict[str, int] = {}
    for region, count in region_rows:
        nation = nation_of.get(region, "")
        nations[nation] = nations.get(nation, 0) + count
    network_rows = list(by_network)
    return {
        "by_kind": _breakdown(list(by_kind), dict(Role.choices)),
        "by_nation": _breakdown(list(nations.items()), dict(NATIONS)),
        "by_region": _breakdown(region_rows, {slug: name for _n, slug, name in REGIONS}),
        "by_network": _breakdown(
            [(pk, count) for pk, _title, count in network_rows],
            {pk: title for pk, title, _count in network_rows if pk},
        ),
    }


def demand_chart(*, demand: Page, days: int = CHART_DAYS) -> dict:
    """Signatures confirmed per day over the last `days` days, scaled for an SVG bar chart."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = dict(
        Signature.objects.filter(COUNTED, demand=demand, confirmed_at__date__gte=start)
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    peak = max(rows.values(), default=0)
    height = 100
    bars = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        count = rows.get(day, 0)
        bar = round(height * count / peak) if peak else 0
        bars.append({"day": day, "count": count, "x": offset * 10, "height": bar,
                     "y": height - bar})  # fmt: skip
    return {"bars": bars, "peak": peak, "width": days * 10, "height": height,
            "start": start, "end": today}  # fmt: skip


def demand_coalition(*, demand: Page):
    return (
        NetworkCoSignature.objects.filter(demand=demand, network__live=True)
        .select_related("network", "network__logo", "version")
        .order_by("created_at")
    )


def coalition_members(coalition: list) -> dict:
    """How many members the co-signing networks say they speak for, added up over only those
    that gave a figure, and how many did: never a total for the whole coalition."""
    given = [cosignature.members for cosignature in coalition if cosignature.members]
    return {"members": sum(given), "given": len(given), "networks": len(coalition)}


def coalition_outdated(coalition: list, *, version: DemandVersion | None) -> list:
    """The co-signatures in `coalition` agreed to a wording older than `version`."""
    if version is None:
        return []
    return [
        cosignature
        for cosignature in coalition
        if cosignature.version is None or cosignature.version.number < version.number
    ]


def demand_summary(*, demand: Page) -> dict:
    """What a demand page shows besides its count: aggregates over every signature, so cached
    (for the content version, which co-signing and publishing change) for SUMMARY_SECONDS."""
    coalition = list(demand_coalition(demand=demand))
    version = demand_version_current(demand=demand)
    return {
        "breakdowns": demand_breakdowns(demand=demand),
        "chart": demand_chart(demand=demand),
        "coalition": coalition,
        "coalition_members": coalition_members(coalition),
        "coalition_outdated": [c.pk for c in coalition_outdated(coalition, version=version)],
        "version": version,
        "proposers": list(demand.proposing_networks.filter(live=True).order_by("title")),
        "demand_topics": list(demand.topics.all()),
        "demand_targets": list(demand.targets.all()),
        "recent_names": list(signature_names(demand=demand)[:10]),
    }


def demand_overview(*, demand: Page) -> dict:
    """The demand page's context besides its count, which `demand_progress` gives live."""
    summary = cached(
        f"demand-summary:{demand.pk}",
        lambda: demand_summary(demand=demand),
        timeout=SUMMARY_SECONDS,
    )
    return {**summary, "how_we_count_url": HOW_WE_COUNT_URL}


def demand_progress(*, count: int, milestones: list[int], promises: dict | None = None) -> dict:
    """The live bar's context: `promises` maps a milestone to what is promised at it."""
    progress = milestone_progress(count=count, milestones=milestones)
    return {
        "count": count,
        "progress": progress,
        "next_promise": (promises or {}).get(progress["next"], ""),
        "milestone_list": milestones,
        "how_we_count_url": HOW_WE_COUNT_URL,
    }


def demand_milestones(*, demand: Page) -> list[dict]:
    """Every milestone of `demand`, smallest first, with what is promised at it and when it was
    reached: as recorded, so a milestone passed stays reached after signatures are withdrawn."""
    reached = dict(
        MilestoneReached.objects.filter(demand=demand).values_list("count", "reached_at")
    )
    promises = demand.milestone_promise_texts
    return [
        {"count": count, "promise": promises.get(count, ""), "reached_at": reached.get(count)}
        for count in sorted(set(demand.milestone_list).union(reached))
    ]


def demand_counts_payload(*, demand: Page) -> dict:
    count = demand_count(demand=demand)
    breakdowns = demand_breakdowns(demand=demand)
    return {
        "demand": demand.pk,
        "title": demand.title,
        "status": demand.status,
        "signatures": count,
        "networks": NetworkCoSignature.objects.filter(demand=demand, network__live=True).count(),
        "next_milestone": milestone_progress(count=count, milestones=demand.milestone_list)["next"],
        "by_kind": {row["key"]: row["count"] for row in breakdowns["by_kind"]},
        "by_nation": {row["key"] or "unknown": row["count"] for row in breakdowns["by_nation"]},
        "how_we_count": HOW_WE_COUNT_URL,
    }


def signature_names(*, demand: Page):
    """Signers who chose to show their name, newest first. Never carries an email."""
    return (
        Signature.objects.filter(COUNTED, demand=demand, show_name=True)
        .order_by("-confirmed_at", "-pk")
        .values("name", "kind", "region", "confirmed_at")
    )


def signature_choices(*, signature: Signature) -> dict:
    """A signature's stored choices, as the confirmation form (SignatureChoicesForm) takes them."""
    return {
        "name": signature.name,
        "postcode": signature.postcode_outward,
        "kind": signature.kind,
        "affiliation": signature.affiliation,
        "show_name": signature.show_name,
        "keep_updated": signature.keep_updated,
    }


def member_signature(*, demand: Page, user) -> Signature | None:
    """The signed-in member's own signature on `demand`, by account or by their email."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Signature.objects.filter(demand=demand)
        .filter(Q(user=user) | Q(email_canonical=email_canonical(user.email)))
        .first()
    )


def networks_administered(*, user):
    if user is None or not user.is_authenticated:
        return NetworkPage.objects.none()
    return NetworkPage.objects.live().filter(
        memberships__user=user, memberships__role=MembershipRole.ADMIN
    )


def platform_table(*, platform) -> dict:
    """Which network co-signed which demand of a platform, as rows of (demand, ticked) cells:
    each cell names its demand, for the phone layout where a row is a card of its own."""
    demands = list(
        with_counts(platform.get_demands().live().order_by("path")).prefetch_related(
            "milestone_promises"
        )
    )
    pairs = set(
        NetworkCoSignature.objects.filter(demand__in=demands, network__live=True).values_list(
            "network_id", "demand_id"
        )
    )
    network_ids = {network_id for network_id, _demand_id in pairs}
    networks = NetworkPage.objects.filter(pk__in=network_ids).order_by("title")
    rows = [
        {"network": network,
         "cells": [(demand, (network.pk, demand.pk) in pairs) for demand in demands]}
        for network in networks
    ]  # fmt: skip
    return {"demands": demands, "rows": rows}


def signers_for_network_export(*, network: NetworkPage):
    """Confirmed signers who named `network` and asked to be kept updated: nobody else."""
    return (
        Signature.objects.filter(COUNTED, affiliation=network, keep_updated=True)
        .select_related("demand")
        .order_by("demand__title", "confirmed_at")
    )


def demand_version_current(*, demand: Page) -> DemandVersion | None:
    """The demand's wording as last published, or None before it is first published."""
    return DemandVersion.objects.filter(demand=demand).order_by("-number").first()


def platform_version_current(*, platform: Page) -> PlatformVersion | None:
    return PlatformVersion.objects.filter(platform=platform).order_by("-number").first()


def cosignatures_outdated(*, demand: Page, version: DemandVersion):
    """The co-signatures of live networks that name a wording older than `version` (or none:
    signed before versions were recorded)."""
    return NetworkCoSignature.objects.filter(demand=demand, network__live=True).filter(
        Q(version__isnull=True) | Q(version__number__lt=version.number)
    )


def _history_page(versions, *, page_number, owner: dict):
    """A page of `versions` (newest first), each given `previous`, the version before it (one
    query for the page, however many versions)."""
    page_obj = Paginator(versions, HISTORY_PER_PAGE).get_page(page_number)
    listed = list(page_obj.object_list)
    wanted = [version.number - 1 for version in listed]
    before = {v.number: v for v in versions.model.objects.filter(**owner, number__in=wanted)}
    for version in listed:
        version.previous = before.get(version.number - 1)
    page_obj.object_list = listed
    return page_obj


def demand_history(*, demand: Page, page_number=None):
    """A page of the demand's versions, newest first, each with the word-by-word difference
    of its ask and of its case's text from the version before."""
    page_obj = _history_page(
        DemandVersion.objects.filter(demand=demand).order_by("-number"),
        page_number=page_number,
        owner={"demand": demand},
    )
    for version in page_obj.object_list:
        version.case_text = case_text(version.case)
        if version.previous is not None:
            version.ask_diff = words_diff(version.previous.ask, version.ask)
            version.case_diff = words_diff(case_text(version.previous.case), version.case_text)
            version.case_changed = diff_changed(version.case_diff)
    return page_obj


def platform_history(*, platform: Page, page_number=None):
    """A page of the platform's versions, newest first, each with the demands it added,
    removed, or holds at a new version, against the version before."""
    page_obj = _history_page(
        PlatformVersion.objects.filter(platform=platform).order_by("-number"),
        page_number=page_number,
        owner={"platform": platform},
    )
    for version in page_obj.object_list:
        old = {row["demand"]: row for row in version.previous.demands} if version.previous else {}
        new = {row["demand"]: row for row in version.demands}
        version.added = [row for pk, row in new.items() if version.previous and pk not in old]
        version.removed = [row for pk, row in old.items() if pk not in new]
        version.changed = [
            {**row, "before": old[pk]["version"]}
            for pk, row in new.items()
            if pk in old and old[pk]["version"] != row["version"]
        ]
    return page_obj
