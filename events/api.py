from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, RelatedPageField, count, slug, slugs

from .forms import EventFilterForm
from .models import EventPage


class EventsAPIViewSet(PublicPagesAPIViewSet):
    """Events with the finder's filters and places taken (confirmed or held) in person and
    online. Never the online joining link, which only confirmed attendees get, and nothing about
    who replied."""

    name = "events"
    model = EventPage
    filter_form_class = EventFilterForm
    body_fields = [
        *PublicPagesAPIViewSet.body_fields,
        "start",
        "end",
        "event_type",
        "format",
        "cancelled",
        "venue",
        "town",
        "cost",
        "booking",
        "in_person_capacity",
        "online_capacity",
        APIField("region", serializer=slug()),
        APIField("organising_network", serializer=RelatedPageField(read_only=True)),
        APIField("topics", serializer=slugs()),
        APIField("in_person_places_taken", serializer=count(source="in_person_taken")),
        APIField("online_places_taken", serializer=count(source="online_taken")),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "html_url",
        "start",
        "end",
        "format",
        "in_person_places_taken",
        "online_places_taken",
    ]

    def get_queryset(self):
        return self.model.objects.for_listing()

    def filter_by(self, queryset, form):
        return form.filter_events(queryset)
