from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, count, slugs

from .forms import DirectoryFilterForm
from .models import NetworkPage


class NetworksAPIViewSet(PublicPagesAPIViewSet):
    """Approved networks with how many positions and upcoming events each has; no contacts."""

    name = "networks"
    model = NetworkPage
    filter_form_class = DirectoryFilterForm
    body_fields = [
        *PublicPagesAPIViewSet.body_fields,
        "kind",
        "website",
        "founded_year",
        APIField("regions", serializer=slugs()),
        APIField("topics", serializer=slugs()),
        APIField("position_count", serializer=count()),
        APIField("upcoming_event_count", serializer=count()),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "html_url",
        "kind",
        "position_count",
        "upcoming_event_count",
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_counts()
            .prefetch_related("regions", "topics")
            .order_by("title", "pk")
        )

    def filter_by(self, queryset, form):
        return queryset.matching(**form.cleaned_data)
