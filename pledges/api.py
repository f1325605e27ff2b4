"""Public pledges in the read-only API: what was pledged, the threshold and the confirmed count.
Never a pledger: no name, email or kind, whether or not they chose to show their name."""

from django import forms
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicRecordsAPIViewSet, RelatedPageField, count, slugs
from networks.api import TopicAndNetworkFilterForm

from .listings import PUBLIC_STATUSES, public_pledges
from .models import Pledge, PledgeStatus


class PledgeFilterForm(TopicAndNetworkFilterForm):
    network_help = "Pledges this network proposed."

    status = forms.ChoiceField(
        choices=[("", "Any"), *[(s.value, s.label) for s in PledgeStatus if s in PUBLIC_STATUSES]],
        required=False,
    )


class NetworkField(RelatedPageField):
    """The proposing network, while its page is live; a pledge keeps its place without one."""

    def to_representation(self, value):
        return super().to_representation(value) if value is not None and value.live else None


class PageURLField(serializers.Field):
    """The pledge's page, as an absolute address."""

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


class PledgesAPIViewSet(PublicRecordsAPIViewSet):
    """Open, bound and lapsed pledges, each with its count of confirmed pledgers."""

    name = "pledges"
    model = Pledge
    filter_form_class = PledgeFilterForm
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "slug",
        "action",
        "threshold",
        "audience",
        "deadline",
        "status",
        APIField("pledged_count", serializer=count()),
        APIField("network", serializer=NetworkField(read_only=True)),
        APIField("topics", serializer=slugs()),
        APIField("url", serializer=PageURLField(source="*", read_only=True)),
        "bound_at",
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "slug",
        "action",
        "threshold",
        "status",
        "pledged_count",
        "deadline",
        "url",
    ]

    def get_queryset(self):
        return (
            public_pledges()
            .select_related("network")
            .prefetch_related("topics")
            .order_by("deadline", "pk")
        )

    def filter_by(self, queryset, form):
        filters = form.cleaned_data
        if filters["status"]:
            queryset = queryset.filter(status=filters["status"])
        if filters["topic"]:
            queryset = queryset.filter(topics=filters["topic"])
        if filters["network"]:
            queryset = queryset.filter(network=filters["network"])
        return queryset
