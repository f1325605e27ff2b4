from django import template
from django.db.models import prefetch_related_objects

from campaigns.selectors import milestone_progress
from campaigns.views import milestone_promises_param
from hub import pagecache

register = template.Library()


@register.simple_tag
def demand_progress(demand):
    """The demand's live count and milestone bar, with what is promised at the next milestone
    (campaigns.views.demand_progress_fragment): a query for the promises, unless prefetched."""
    prefetch_related_objects([demand], "milestone_promises")
    return pagecache.live_fragment(
        "demand-progress",
        demand=demand.pk,
        milestones=",".join(map(str, demand.milestone_list)),
        promises=milestone_promises_param(demand.milestone_promise_texts),
    )


@register.inclusion_tag("components/demand_card.html")
def demand_card(demand, heading_level="h3"):
    """A demand's card with its count and progress. The demand must carry `signature_count`
    (`selectors.with_counts` or `counts_set`), so a list of cards costs no query per card."""
    count = demand.signature_count
    return {
        "demand": demand,
        "count": count,
        "progress": milestone_progress(count=count, milestones=demand.milestone_list),
        "heading_level": heading_level,
    }


@register.filter
def thousands(number) -> str:
    """1200 as 1,200."""
    return f"{number:,}" if isinstance(number, int) else ""
