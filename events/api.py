from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, RelatedPageField, count, slug, slugs

from .forms import EventFilterForm
from .models import EventPage


class AccessFeatureField(serializers.Field):
    def to_representation(self, value):
        return [
            {"slug": feature.slug, "name": feature.name, "kind": feature.kind}
            for feature in value.all()
        ]


class EventsAPIViewSet(PublicPagesAPIViewSet):
    """Events with the finder's filters and places taken. Never the online joining link, which
    only confirmed attendees get, and nothing about who replied. Cancelled events stay, marked,
    as they do in calendar feeds: a copy of the list learns of the cancellation.

    Not the access contact's email either: the organiser publishes it on the event page, where
    they can change or remove it; copies made through the API would keep it."""

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
        APIField("free", serializer=serializers.BooleanField(source="is_free", read_only=True)),
        "booking",
        "capacity",
        APIField("region", serializer=slug()),
        APIField("organising_network", serializer=RelatedPageField(read_only=True)),
        APIField("topics", serializer=slugs()),
        APIField("access_features", serializer=AccessFeatureField()),
        "closed_group",
        "content_notes",
        "access_contact_name",
        "accessibility",
        APIField("places_taken", serializer=count(source="confirmed_count")),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "html_url",
        "start",
        "end",
        "format",
        "places_taken",
    ]

    def get_queryset(self):
        return self.model.objects.for_listing()

    def filter_by(self, queryset, form):
        return form.filter_events(queryset)
