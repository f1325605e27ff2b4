from django import forms
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, count, slugs
from hub.models import Topic

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


class TopicAndNetworkFilterForm(forms.Form):
    """Filters by topic and by a live, public network, for the endpoints of what networks
    propose (demands, pledges); a subclass says in `network_help` what the network did."""

    network_help = ""

    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False
    )
    network = forms.ModelChoiceField(
        queryset=NetworkPage.objects.none(), to_field_name="slug", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: `public()` reads the view restrictions when called.
        self.fields["network"].queryset = NetworkPage.objects.live().public()
        self.fields["network"].help_text = self.network_help
