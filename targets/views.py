"""The public targets pages, and the demand page's timeline section (the `demand_page_sections`
hook)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from hub.cache import cached
from hub.pagecache import allow, filter_query

from . import selectors, timeline
from .models import Target

TARGETS_PER_PAGE = 24


@require_GET
def target_index(request):
    paginator = Paginator(selectors.targets_with_counts(), TARGETS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "breadcrumb_trail": [], "breadcrumb_current": "Targets"}
    response = TemplateResponse(request, "targets/target_index.html", context)
    return allow(response, query=filter_query(request, [], page=page_obj))


@require_GET
def target_detail(request, slug):
    target = get_object_or_404(Target, slug=slug)
    context = {
        "target": target,
        **selectors.target_overview(target=target),
        "breadcrumb_trail": [("Targets", reverse("targets:index"))],
        "breadcrumb_current": target.name,
    }
    return allow(TemplateResponse(request, "targets/target_detail.html", context))


def demand_timeline_section(request, page) -> str:
    """Shown to everyone alike, so it is cached for the content version (and with the page):
    recording a delivery, a response or a milestone reached, and the nightly count of days
    overdue, change it."""

    def render():
        items = timeline.demand_timeline(demand=page)
        delivered = any(item.kind == timeline.Step.DELIVERED for item in items)
        context = {"page": page, "items": items, "delivered": delivered, "Step": timeline.Step}
        return render_to_string("targets/demand_timeline.html", context, request=request)

    return cached(f"demand-timeline:{page.pk}", render)
