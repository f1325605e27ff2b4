"""Building digests: what changed in a period is read once per batch, then each member's digest
is picked from it in Python, so the queries per member do not grow with the size of the site."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q
from wagtail.models import Site

from campaigns.models import DemandPage, NetworkCoSignature, Signature
from deliberation.models import Amendment, Decision, DecisionKind
from events.models import CoOrganiserInvitation, CoOrganiserStatus, EventFormat, EventPage
from networks.models import Membership, MembershipRole, NetworkPage, PositionPage
from pledges.listings import with_pledged_counts
from pledges.models import Pledge, PledgeStatus
from surveys.listings import shown_count, with_response_counts
from surveys.models import SurveyPage, open_at, results_shown_at

from .models import DeliveryStatus, DigestDelivery, DigestFrequency, MemberPreferences

EVENT_WINDOW = timedelta(days=14)
# How far back a digest looks for a member never sent one, or missed for a long time.
LOOKBACK = {DigestFrequency.DAILY: timedelta(days=2), DigestFrequency.WEEKLY: timedelta(days=14)}


@dataclass
class Candidates:
    """Everything that might go into any digest of a run."""

    now: datetime
    floor: datetime
    positions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    new_demands: list[dict] = field(default_factory=list)
    demand_news: list[dict] = field(default_factory=list)
    # Decisions closed on demands (for those who follow them), and new amendments (for the
    # admins of the networks that co-sign the demand).
    decisions: list[dict] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)
    # Pledges opened (reviewed) in the period, and those that bound in it.
    new_pledges: list[dict] = field(default_factory=list)
    bound_pledges: list[dict] = field(default_factory=list)
    # Surveys that opened in the period, and those whose results were published in it.
    open_surveys: list[dict] = field(default_factory=list)
    survey_results: list[dict] = field(default_factory=list)

    def decided_demand_ids(self) -> set[int]:
        return {d["demand_id"] for d in self.decisions}

    def amendment_network_ids(self) -> set[int]:
        ids = set()
        for amendment in self.amendments:
            ids |= amendment["network_ids"]
        return ids

    def network_ids(self) -> set[int]:
        ids = {p["network_id"] for p in self.positions}
        for item in (
            self.events + self.new_demands + self.demand_news + self.pledges() + self.surveys()
        ):
            ids |= item["network_ids"]
        return ids

    def topic_ids(self) -> set[int]:
        ids = set()
        for item in (
            self.positions + self.new_demands + self.demand_news + self.pledges() + self.surveys()
        ):
            ids |= item["topic_ids"]
        for event in self.events:
            if event["online"]:
                ids |= event["topic_ids"]
        return ids

    def pledges(self) -> list[dict]:
        return self.new_pledges + self.bound_pledges

    def surveys(self) -> list[dict]:
        return self.open_surveys + self.survey_results

    def region_ids(self) -> set[int]:
        return {e["region_id"] for e in self.events if e["region_id"]}


def _links(through, owner: str, target: str, ids, **filters) -> dict[int, set[int]]:
    links: dict[int, set[int]] = {}
    rows = through.objects.filter(**{f"{owner}__in": ids}, **filters).values_list(owner, target)
    for owner_id, target_id in rows:
        links.setdefault(owner_id, set()).add(target_id)
    return links


def _url_maker():
    root = (
        Site.objects.filter(is_default_site=True)
        .values_list("root_page__url_path", flat=True)
        .first()
        or "/"
    )
    return lambda url_path: settings.BASE_URL + "/" + url_path[len(root) :]


def digest_candidates(*, frequency: str, now: datetime, demand_news: dict) -> Candidates:
    floor = now - LOOKBACK[frequency]
    url = _url_maker()
    found = Candidates(now=now, floor=floor)

    positions = list(
        PositionPage.objects.live()
        .public()
        .filter(first_published_at__gte=floor)
        .values("id", "title", "summary", "url_path", "path", "first_published_at")
    )
    topics = _links(
        PositionPage.topics.through, "positionpage_id", "topic_id", [p["id"] for p in positions]
    )
    networks = dict(
        NetworkPage.objects.filter(
            path__in={p["path"][: -PositionPage.steplen] for p in positions}
        ).values_list("path", "id")
    )
    titles = dict(NetworkPage.objects.filter(id__in=networks.values()).values_list("id", "title"))
    for p in positions:
        network_id = networks.get(p["path"][: -PositionPage.steplen])
        found.positions.append({
            "id": p["id"], "title": p["title"], "summary": p["summary"],
            "url": url(p["url_path"]), "published": p["first_published_at"],
            "network_id": network_id, "network_title": titles.get(network_id, ""),
            "topic_ids": topics.get(p["id"], set()),
        })  # fmt: skip

    events = list(
        EventPage.objects.live()
        .public()
        .filter(start__gte=now, start__lt=now + EVENT_WINDOW, cancelled=False)
        .order_by("start", "pk")
        .values(
            "id", "title", "url_path", "start", "format", "region_id", "region__name",
            "organising_network_id", "first_published_at",
        )
    )  # fmt: skip
    ids = [e["id"] for e in events]
    co_organisers = _links(
        CoOrganiserInvitation, "event_id", "network_id", ids, status=CoOrganiserStatus.ACCEPTED
    )
    topics = _links(EventPage.topics.through, "eventpage_id", "topic_id", ids)
    for e in events:
        network_ids = co_organisers.get(e["id"], set())
        if e["organising_network_id"]:
            network_ids = network_ids | {e["organising_network_id"]}
        found.events.append({
            "id": e["id"], "title": e["title"], "url": url(e["url_path"]), "start": e["start"],
            "online": e["format"] != EventFormat.IN_PERSON, "region_id": e["region_id"],
            "region_name": e["region__name"] or "", "published": e["first_published_at"],
            "network_ids": network_ids, "topic_ids": topics.get(e["id"], set()),
        })  # fmt: skip

    demands = list(
        DemandPage.objects.live()
        .public()
        .filter(first_published_at__gte=floor)
        .values("id", "title", "ask", "url_path", "first_published_at")
    )
    news_ids = [int(demand_id) for demand_id in demand_news]
    demands += list(
        DemandPage.objects.live()
        .public()
        .filter(id__in=news_ids)
        .exclude(first_published_at__gte=floor)
        .values("id", "title", "ask", "url_path", "first_published_at")
    )
    ids = [d["id"] for d in demands]
    topics = _links(DemandPage.topics.through, "demandpage_id", "topic_id", ids)
    proposers = _links(
        DemandPage.proposing_networks.through, "demandpage_id", "networkpage_id", ids
    )
    for d in demands:
        item = {
            "id": d["id"], "title": d["title"], "ask": d["ask"], "url": url(d["url_path"]),
            "published": d["first_published_at"], "topic_ids": topics.get(d["id"], set()),
            "network_ids": proposers.get(d["id"], set()),
        }  # fmt: skip
        if d["first_published_at"] >= floor:
            found.new_demands.append(item)
        if str(d["id"]) in demand_news:
            found.demand_news.append({**item, **demand_news[str(d["id"])]})
    _deliberation_candidates(found, url=url)
    _pledge_candidates(found)
    _survey_candidates(found, url=url)
    return found


def _survey_candidates(found: Candidates, *, url) -> None:
    """Surveys that opened, or were published open, in the period, and surveys whose results
    were published in it, in two queries: the surveys with their response counts, and their
    topics. Only titles, dates and counts as the results pages may show them."""
    now, floor = found.now, found.floor
    opened = open_at(now) & (Q(first_published_at__gte=floor) | Q(opens_at__gte=floor))
    # Results show from the later of the page's last publishing and the survey's close. The
    # page records when it was last published, not when its results were: a survey published
    # again with its results on is told again.
    results = results_shown_at(now) & (Q(last_published_at__gte=floor) | Q(closes_at__gte=floor))
    surveys = list(
        with_response_counts(SurveyPage.objects.live().public().filter(opened | results))
        .order_by("closes_at", "pk")
        .values("id", "title", "url_path", "opens_at", "closes_at", "first_published_at",
                "last_published_at", "publish_results", "min_cell_size", "network_id",
                "network__title", "network__live", "response_count")
    )  # fmt: skip
    topics = _links(
        SurveyPage.topics.through, "surveypage_id", "topic_id", [s["id"] for s in surveys]
    )
    # The route of SurveyPage.results, as reverse_subpage gives it, without an instance.
    results_route = SurveyPage.get_resolver().reverse("results")
    for s in surveys:
        network_id = s["network_id"] if s["network__live"] else None
        item = {
            "id": s["id"], "title": s["title"], "url": url(s["url_path"]),
            "closes": s["closes_at"], "network_ids": {network_id} if network_id else set(),
            "network_title": s["network__title"] if network_id else "",
            "topic_ids": topics.get(s["id"], set()),
        }  # fmt: skip
        # News when it is published open, or when it opens, whichever is later.
        opened_at = max(s["first_published_at"] or s["opens_at"], s["opens_at"])
        if s["opens_at"] <= now < s["closes_at"] and opened_at >= floor:
            found.open_surveys.append({**item, "published": opened_at})
        published = max(s["last_published_at"] or s["closes_at"], s["closes_at"])
        if s["publish_results"] and s["closes_at"] <= now and floor <= published < now:
            found.survey_results.append({
                **item, "published": published, "results_url": item["url"] + results_route,
                "responses": shown_count(
                    count=s["response_count"], min_cell_size=s["min_cell_size"]
                ),
            })  # fmt: skip


def _pledge_candidates(found: Candidates) -> None:
    """Pledges opened or bound in the period, in two queries: one for the pledges with their
    confirmed counts, one for their topics. A pledge with a network that is not live is told
    without the network's name."""
    pledges = list(
        with_pledged_counts(
            Pledge.objects.filter(
                Q(status=PledgeStatus.OPEN, reviewed_at__gte=found.floor,
                  reviewed_at__lt=found.now)
                | Q(status=PledgeStatus.BOUND, bound_at__gte=found.floor, bound_at__lt=found.now)
            )
        )
        .order_by("deadline", "pk")
        .values("id", "slug", "action", "threshold", "deadline", "status", "reviewed_at",
                "bound_at", "network_id", "network__title", "network__live", "pledged_count")
    )  # fmt: skip
    topics = _links(Pledge.topics.through, "pledge_id", "topic_id", [p["id"] for p in pledges])
    for p in pledges:
        network_id = p["network_id"] if p["network__live"] else None
        item = {
            "id": p["id"], "action": p["action"], "threshold": p["threshold"],
            "deadline": p["deadline"], "count": p["pledged_count"],
            "url": settings.BASE_URL + Pledge(slug=p["slug"]).get_absolute_url(),
            "network_ids": {network_id} if network_id else set(),
            "network_title": p["network__title"] if network_id else "",
            "topic_ids": topics.get(p["id"], set()),
        }  # fmt: skip
        if p["status"] == PledgeStatus.BOUND:
            found.bound_pledges.append({**item, "published": p["bound_at"]})
        else:
            found.new_pledges.append({**item, "published": p["reviewed_at"]})


def _deliberation_candidates(found: Candidates, *, url) -> None:
    public = DemandPage.objects.live().public().values("pk")
    decisions = (
        Decision.objects.filter(
            closed_at__gte=found.floor, closed_at__lt=found.now, demand__in=public
        )
        .order_by("closed_at", "pk")
        .values(
            "id", "kind", "amendment_id", "outcome", "closed_at", "demand_id", "demand__title",
            "demand__url_path", "result_version__number",
        )
    )  # fmt: skip
    outcomes = dict(Decision._meta.get_field("outcome").choices)
    for d in decisions:
        found.decisions.append({
            "id": d["id"], "adoption": d["kind"] == DecisionKind.ADOPTION,
            "amendment_id": d["amendment_id"], "outcome": str(outcomes.get(d["outcome"], "")),
            "carried": d["outcome"] == "carried", "closed": d["closed_at"],
            "demand_id": d["demand_id"], "title": d["demand__title"],
            "url": url(d["demand__url_path"]), "version": d["result_version__number"],
        })  # fmt: skip
    amendments = list(
        Amendment.objects.filter(
            created_at__gte=found.floor, created_at__lt=found.now, demand__in=public
        )
        .order_by("created_at", "pk")
        .values("id", "created_at", "demand_id", "demand__title", "demand__url_path",
                "network_id", "network__title")
    )  # fmt: skip
    cosigners = _links(
        NetworkCoSignature, "demand_id", "network_id", {a["demand_id"] for a in amendments}
    )
    for a in amendments:
        found.amendments.append({
            "id": a["id"], "created": a["created_at"], "demand_id": a["demand_id"],
            "title": a["demand__title"], "url": url(a["demand__url_path"]),
            "network_title": a["network__title"],
            # The proposing network's own admins know of it already.
            "network_ids": cosigners.get(a["demand_id"], set()) - {a["network_id"]},
        })  # fmt: skip


@dataclass
class Member:
    id: int  # of the preferences row
    user_id: int | None  # None for a subscriber without an account
    email: str
    name: str
    since: datetime | None
    networks: set[int]
    topics: set[int]
    regions: set[int]
    signed: set[int]
    demands: set[int] = field(default_factory=set)
    # The networks the member is an admin of.
    admin_of: set[int] = field(default_factory=set)


def digest_members(*, member_ids: list[int], news_demand_ids: list[int]) -> list[Member]:
    """The members (preferences ids) with what they follow, in a fixed number of queries."""
    prefs = list(
        MemberPreferences.objects.filter(pk__in=member_ids).values_list(
            "id", "user_id", "user__email", "user__first_name", "email"
        )
    )
    through = MemberPreferences
    networks = _links(
        through.networks.through, "memberpreferences_id", "networkpage_id", member_ids
    )
    topics = _links(through.topics.through, "memberpreferences_id", "topic_id", member_ids)
    regions = _links(through.regions.through, "memberpreferences_id", "region_id", member_ids)
    demands = _links(through.demands.through, "memberpreferences_id", "demandpage_id", member_ids)
    last_sent = dict(
        DigestDelivery.objects.filter(preferences_id__in=member_ids, status=DeliveryStatus.SENT)
        .values("preferences_id")
        .annotate(last=Max("sent_at"))
        .values_list("preferences_id", "last")
    )
    signed: dict[int, set[int]] = {}
    user_ids = [row[1] for row in prefs if row[1]]
    if news_demand_ids and user_ids:
        rows = Signature.objects.filter(
            user_id__in=user_ids, demand_id__in=news_demand_ids, confirmed_at__isnull=False
        ).values_list("user_id", "demand_id")
        for user_id, demand_id in rows:
            signed.setdefault(user_id, set()).add(demand_id)
    admin_of = (
        _links(Membership, "user_id", "network_id", user_ids, role=MembershipRole.ADMIN)
        if user_ids
        else {}
    )
    return [
        Member(
            id=pk, user_id=user_id, email=user_email or email, name=first_name or "",
            since=last_sent.get(pk), networks=networks.get(pk, set()),
            topics=topics.get(pk, set()), regions=regions.get(pk, set()),
            signed=signed.get(user_id, set()), demands=demands.get(pk, set()),
            admin_of=admin_of.get(user_id, set()),
        )
        for pk, user_id, user_email, first_name, email in prefs
    ]  # fmt: skip


def digest_for_member(*, member: Member, candidates: Candidates) -> dict | None:
    """The member's digest, or None when there is nothing new for them."""
    since = max(member.since or candidates.floor, candidates.floor)

    def followed(item) -> bool:
        return bool(item["network_ids"] & member.networks or item["topic_ids"] & member.topics)

    positions = [
        p for p in candidates.positions
        if p["published"] >= since
        and (p["network_id"] in member.networks or p["topic_ids"] & member.topics)
    ]  # fmt: skip
    # An event is news once: when it is published, or when it comes into the 14-day window.
    events = [
        e for e in candidates.events
        if (e["published"] >= since or e["start"] >= since + EVENT_WINDOW)
        and (
            e["network_ids"] & member.networks
            or e["region_id"] in member.regions
            or (e["online"] and e["topic_ids"] & member.topics)
        )
    ]  # fmt: skip
    new_demands = [d for d in candidates.new_demands if d["published"] >= since and followed(d)]
    demand_news = [d for d in candidates.demand_news if d["id"] in member.signed or followed(d)]
    decisions = [
        d for d in candidates.decisions if d["closed"] >= since and d["demand_id"] in member.demands
    ]  # fmt: skip
    amendments = [
        a for a in candidates.amendments
        if a["created"] >= since and a["network_ids"] & member.admin_of
    ]  # fmt: skip
    new_pledges = [p for p in candidates.new_pledges if p["published"] >= since and followed(p)]
    bound_pledges = [
        p for p in candidates.bound_pledges if p["published"] >= since and followed(p)
    ]  # fmt: skip
    open_surveys = [s for s in candidates.open_surveys if s["published"] >= since and followed(s)]
    survey_results = [
        s for s in candidates.survey_results if s["published"] >= since and followed(s)
    ]  # fmt: skip
    if not (
        positions or events or new_demands or demand_news or decisions or amendments
        or new_pledges or bound_pledges or open_surveys or survey_results
    ):  # fmt: skip
        return None
    return {
        "positions": positions,
        "events": events,
        "new_demands": new_demands,
        "demand_news": demand_news,
        "decisions": decisions,
        "amendments": amendments,
        "new_pledges": new_pledges,
        "bound_pledges": bound_pledges,
        "open_surveys": open_surveys,
        "survey_results": survey_results,
    }
