"""The pledges section of a network's page (the networks.sections hook)."""

from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string

from hub.cache import cached
from hub.pagecache import PAGE_CACHE_SECONDS

from .listings import public_pledges
from .models import PledgeStatus

# Those people can still join first, then those that bound, then those that lapsed.
STATUS_ORDER = Case(
    When(status=PledgeStatus.OPEN, then=Value(0)),
    When(status=PledgeStatus.BOUND, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def network_pledges_section(request, page) -> str | None:
    """The network's public pledges, open ones first: nothing at all when it has none.

    Cached for the content version and no longer than an anonymous visitor's copy of the page
    stays fresh, so members see the counts no later than visitors do.
    """
    pledges = cached(
        f"network-pledges:{page.pk}",
        lambda: list(
            public_pledges().filter(network=page).order_by(STATUS_ORDER, "deadline", "pk")
        ),
        timeout=PAGE_CACHE_SECONDS,
    )
    if not pledges:
        return None
    return render_to_string(
        "pledges/includes/network_pledges.html", {"pledges": pledges, "network": page}, request
    )
