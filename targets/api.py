"""Targets in the read-only public API: each body's name, its page, and what the published
demands addressed to it have sent it and had back. Bodies only: nobody who recorded anything."""

from django import forms
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicRecordsAPIViewSet, count

from . import selectors
from .models import Target, TargetKind

COUNTS = ["demand_count", "delivery_count", "answered_count", "overdue_count"]


class TargetFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any"), *TargetKind.choices], required=False)


class PublicPageURLField(serializers.Field):
    """The absolute address of the record's public page."""

    def to_representation(self, record):
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class TargetsAPIViewSet(PublicRecordsAPIViewSet):
    """Every target, with how many published demands name it and how many of their deliveries
    it has received, answered and left overdue (as the target pages count them)."""

    name = "targets"
    model = Target
    filter_form_class = TargetFilterForm
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "name",
        "slug",
        "kind",
        "description",
        "website",
        APIField("url", serializer=PublicPageURLField(source="*", read_only=True)),
        *(APIField(name, serializer=count()) for name in COUNTS),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "slug",
        "kind",
        "url",
        *COUNTS,
    ]

    def get_queryset(self):
        return selectors.targets_with_counts()

    def filter_by(self, queryset, form):
        if kind := form.cleaned_data["kind"]:
            queryset = queryset.filter(kind=kind)
        return queryset
