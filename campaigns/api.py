from django import forms
from django.db.models import Q
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, count, slugs
from hub.models import Topic
from networks.models import NetworkPage

from . import selectors
from .models import DemandPage, DemandStatus


class DemandFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any"), *DemandStatus.choices], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False
    )
    network = forms.ModelChoiceField(
        queryset=NetworkPage.objects.none(), to_field_name="slug", required=False,
        help_text="Demands this network proposed or co-signed.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: `public()` reads the view restrictions when called.
        self.fields["network"].queryset = NetworkPage.objects.live().public()


class DemandsAPIViewSet(PublicPagesAPIViewSet):
    """Demands with their live signature and co-signing network counts: numbers only, never
    a signer, whether or not they chose to show their name."""

    name = "demands"
    model = DemandPage
    filter_form_class = DemandFilterForm
    body_fields = [
        *PublicPagesAPIViewSet.body_fields,
        "ask",
        "addressed_to",
        "status",
        "deadline",
        APIField(
            "milestones",
            serializer=serializers.ListField(
                child=serializers.IntegerField(), source="milestone_list", read_only=True
            ),
        ),
        APIField("topics", serializer=slugs()),
        APIField("proposing_networks", serializer=slugs()),
        APIField("signature_count", serializer=count()),
        APIField("network_count", serializer=count()),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "html_url",
        "status",
        "signature_count",
        "network_count",
    ]

    def get_queryset(self):
        demands = super().get_queryset().prefetch_related("topics", "proposing_networks")
        return selectors.with_counts(demands).order_by("path")

    def filter_by(self, queryset, form):
        filters = form.cleaned_data
        if filters["status"]:
            queryset = queryset.filter(status=filters["status"])
        if filters["topic"]:
            queryset = queryset.filter(topics=filters["topic"])
        if network := filters["network"]:
            cosigned = network.cosignatures.values("demand_id")
            queryset = queryset.filter(
                Q(proposing_networks=network) | Q(pk__in=cosigned)
            ).distinct()
        return queryset
