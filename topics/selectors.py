"""Reads for the topic pages. Query counts here do not grow with the number of topics or of
the pages tagged with them."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from campaigns.models import DemandPage, DemandStatus
from campaigns.selectors import counts_set
from digests.models import MemberPreferences
from events.models import EventPage
from hub.cache import cached
from hub.models import Topic
from networks.models import PositionPage, positions_with_networks
from pledges.listings import open_pledges
from surveys.listings import open_surveys, public_surveys, published_results

# Each list on a topic's page is a taste; its link leads to the full, filtered listing.
LIST_SIZE = 5


def _count_on_topic(pages):
    on_topic = pages.filter(topics=OuterRef("pk")).order_by().values("live").annotate(n=Count("pk"))
    return Coalesce(Subquery(on_topic.values("n")), Value(0))


def topics_with_counts():
    """Every topic, with how many published positions, upcoming events (not cancelled) and
    demands it has."""
    return Topic.objects.annotate(
        position_count=_count_on_topic(PositionPage.objects.live().public()),
        event_count=_count_on_topic(EventPage.objects.live().public().upcoming().going_ahead()),
        demand_count=_count_on_topic(DemandPage.objects.live().public()),
    )


def topics_for_member(*, user):
    """Topics, each with `followed` (whether `user` follows it) when `user` is signed in."""
    topics = Topic.objects.all()
    if not user.is_authenticated:
        return topics
    follows = MemberPreferences.topics.through.objects.filter(
        topic=OuterRef("pk"), memberpreferences__user=user
    )
    return topics.annotate(followed=Exists(follows))


def _published_on_topic(topic_id: int) -> dict:
    topic = Topic(pk=topic_id)
    # Open demands first: those are the ones a visitor can still sign.
    open_first = Case(
        When(status=DemandStatus.OPEN, then=0), default=1, output_field=IntegerField()
    )
    return {
        "positions": positions_with_networks(
            PositionPage.objects.for_listing().matching(topic=topic)[:LIST_SIZE]
        ),
        "demands": list(
            DemandPage.objects.live()
            .public()
            .filter(topics=topic)
            .prefetch_related("milestone_promises")
            .order_by(open_first, "-first_published_at", "-pk")[:LIST_SIZE]
        ),
    }


def topic_overview(*, topic: Topic) -> dict:
    """The topic's latest positions, its demands (open ones first), upcoming events, open
    pledges, open surveys and published survey results.

    Positions and demands change only when pages do, so they are cached for the content
    version; demands', pledges' and surveys' counts, upcoming events and open surveys change
    without a publish, so they are read on every request.
    """
    published = cached(f"topic-published:{topic.pk}", lambda: _published_on_topic(topic.pk))
    surveys = public_surveys().filter(topics=topic)
    return {
        **published,
        "demands": counts_set(published["demands"]),
        "events": list(
            EventPage.objects.for_listing().upcoming().going_ahead().with_topic(topic)[:LIST_SIZE]
        ),
        "pledges": list(open_pledges().filter(topics=topic)[:LIST_SIZE]),
        "open_surveys": list(open_surveys(surveys)[:LIST_SIZE]),
        "survey_results": list(published_results(surveys)[:LIST_SIZE]),
    }
