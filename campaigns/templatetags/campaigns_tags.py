from django import template

from campaigns.selectors import milestone_progress

register = template.Library()


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
