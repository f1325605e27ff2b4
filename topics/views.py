from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from hub.pagecache import allow

from . import selectors


@require_GET
def topic_index(request):
    context = {"topics": selectors.topics_with_counts()}
    return allow(TemplateResponse(request, "topics/topic_index.html", context))


@require_GET
def topic_detail(request, slug):
    topic = get_object_or_404(selectors.topics_for_member(user=request.user), slug=slug)
    context = {"topic": topic, **selectors.topic_overview(topic=topic)}
    return allow(TemplateResponse(request, "topics/topic_detail.html", context))
