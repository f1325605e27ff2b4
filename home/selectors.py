"""Reads for the home page's sections. None of their query counts grows with the number of
demands, events, networks or positions; what changes only when pages do is cached for the
content version."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from campaigns.models import DemandPage, DemandStatus
from events.forms import EventFilterForm
from events.models import EventIndexPage, EventPage
from hub.cache import cached
from networks.models import NetworkIndexPage, NetworkPage, PositionPage, positions_with_networks
from pledges.listings import open_pledges
from pledges.models import Pledge

LOGO_FILTER = "fill-96x96"


def _newest_open_demand() -> dict:
    today = timezone.localdate()
    demand = (
        DemandPage.objects.live()
        .public()
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today), status=DemandStatus.OPEN)
        .order_by("-first_published_at", "-pk")
        .first()
    )
    # In a dict, so that "no open demand" is cached too.
    return {"demand": demand}


def featured_demand(*, chosen: DemandPage | None) -> DemandPage | None:
    """The demand an editor chose, while it is published; otherwise the newest open one."""
    if chosen is not None and chosen.live:
        return chosen
    return cached("home:newest-open-demand", _newest_open_demand)["demand"]


def _listing_urls() -> dict:
    finder = EventIndexPage.objects.live().first()
    directory = NetworkIndexPage.objects.live().first()
    return {
        "finder": finder.url if finder else "",
        "directory": directory.url if directory else "",
        "apply": directory.url + directory.reverse_subpage("apply") if directory else "",
        "positions": directory.url + directory.reverse_subpage("positions") if directory else "",
    }


def listing_urls() -> dict:
    """Where each section's "see all" link leads: the finder, the directory and its routes."""
    return cached("home:listing-urls", _listing_urls)


def upcoming_events(*, count: int) -> list[EventPage]:
    # Read on every request: events stop being upcoming as time passes, not when pages change.
    return list(EventPage.objects.for_listing().upcoming().going_ahead()[:count])


def event_search_form() -> EventFilterForm:
    """The finder's own filter form, unbound, for the fields the home page's search shows."""
    return EventFilterForm(auto_id="home-events-%s")


def _initials(title: str) -> str:
    """Two letters for a network with no logo, from its name's capitalised words, so that
    "Psychotherapists for Social Responsibility" reads PS, not PF."""
    words = [word for word in title.replace("-", " ").split() if word[0].isalnum()]
    named = [word for word in words if word[0].isupper()] or words
    return "".join(word[0] for word in named[:2]).upper()


def _networks(count: int) -> dict:
    networks = NetworkPage.objects.live().public()
    logos = Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_FILTER))
    strip = networks.prefetch_related(logos).order_by("title", "pk")[:count]
    return {
        "count": networks.count(),
        "strip": [
            {
                "title": network.title,
                "url": network.url,
                "initials": _initials(network.title),
                "logo_url": network.logo.get_rendition(LOGO_FILTER).url if network.logo else "",
            }
            for network in strip
        ],
    }


def networks_overview(*, count: int) -> dict:
    """How many networks there are, and the first `count` of them for a strip of logos."""
    return cached(f"home:networks:{count}", lambda: _networks(count))


def latest_positions(*, count: int) -> list[PositionPage]:
    return cached(
        f"home:positions:{count}",
        lambda: positions_with_networks(PositionPage.objects.for_listing()[:count]),
    )


def pledges_to_join(*, count: int) -> list[Pledge]:
    # Read on every request, in one query: counts grow with each confirmation, not with publishing.
    return list(open_pledges()[:count])
