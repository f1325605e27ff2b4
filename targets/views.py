"""The demand page's timeline section (the `demand_page_sections` hook)."""

from django.template.loader import render_to_string

from . import selectors


def demand_timeline_section(request, page) -> str:
    """Shown to everyone alike, so it is cached with the page: recording a delivery or a
    response, and the nightly count of days overdue, change the content version."""
    items = selectors.demand_timeline(demand=page)
    delivered = any(item.kind == selectors.Step.DELIVERED for item in items)
    context = {"page": page, "items": items, "delivered": delivered, "Step": selectors.Step}
    return render_to_string("targets/demand_timeline.html", context, request=request)
