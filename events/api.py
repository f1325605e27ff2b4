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
    """Events with the finder's filters and places taken (confirmed or held) in person and
    online. Where they are as the public sees it (events.locations): never a private venue or
    address, nor the online joining link, which only confirmed attendees get; and nothing about
    who replied. Cancelled events stay, marked, as they do in calendar feeds: a copy of the list
    learns of the cancellation.

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
        APIField("venue", serializer=serializers.CharField(source="public_venue")),
        "address_private",
        "town",
        "cost",
        APIField("free", serializer=serializers.BooleanField(source="is_free", read_only=True)),
        "booking",
        "in_person_capacity",
        "online_capacity",
        APIField("region", serializer=slug()),
        APIField("organising_network", serializer=RelatedPageField(read_only=True)),
        APIField("topics", serializer=slugs()),
        APIField("access_features", serializer=AccessFeatureField()),
        "closed_group",
        "content_notes",
        "access_contact_name",
        "accessibility",
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

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only)
        # These are also what ?order= takes: ordered by venue, a private one would show where
        # it stands in the alphabet.
        return [name for name in fields if name != "venue"] if db_fields_only else fields

    def get_queryset(self):
        return self.model.objects.for_listing()

    def filter_by(self, queryset, form):
        return form.filter_events(queryset)
