"""Surveys in the read-only API: open surveys, and surveys whose results are published, with
those results as the suppressed aggregates the CSV holds. Never a response, a free-text answer,
nor the answers the picked quotes came from."""

from django import forms
from django.utils import timezone
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, RelatedPageField, slugs
from hub.subpages import subpage_url
from networks.api import TopicAndNetworkFilterForm

from . import publishing
from .models import SurveyPage
from .results import as_data


class SurveyFilterForm(TopicAndNetworkFilterForm):
    network_help = "Surveys this network asks."

    open = forms.ChoiceField(
        choices=[("", "Any"), ("true", "Open now"), ("false", "Closed, with results")],
        required=False,
        help_text="true for the surveys taking answers now, false for those with results.",
    )


class NetworkField(RelatedPageField):
    def to_representation(self, value):
        return super().to_representation(value) if value is not None and value.live else None


class PageURLField(serializers.Field):
    def to_representation(self, value):
        request = self.context["request"]
        return request.build_absolute_uri(value.get_url(request=request))


class ResultsURLField(serializers.Field):
    def to_representation(self, value):
        if not publishing.results_visible(value):
            return None
        request = self.context["request"]
        return request.build_absolute_uri(subpage_url(value, "results", request=request))


class ResultsField(serializers.Field):
    """The published figures: how many answered (None below N) and each counted question's
    suppressed tables, hidden cells as None."""

    def to_representation(self, value):
        if not publishing.results_visible(value):
            return None
        results = publishing.results_for(value)
        return {
            "responses": results.responses if results.shown else None,
            "min_size": results.min_size,
            "questions": [as_data(q) for q in results.questions] if results.shown else [],
        }


class SurveysAPIViewSet(PublicPagesAPIViewSet):
    """Open surveys and surveys with published results."""

    name = "surveys"
    model = SurveyPage
    filter_form_class = SurveyFilterForm
    body_fields = [
        *PublicPagesAPIViewSet.body_fields,
        "opens_at",
        "closes_at",
        "needs_account",
        APIField("url", serializer=PageURLField(source="*", read_only=True)),
        APIField("network", serializer=NetworkField(read_only=True)),
        APIField("topics", serializer=slugs()),
        APIField("results_url", serializer=ResultsURLField(source="*", read_only=True)),
        APIField("results", serializer=ResultsField(source="*", read_only=True)),
    ]
    # The results take their own queries (cached): one survey at a time.
    detail_only_fields = ["results"]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "url",
        "network",
        "opens_at",
        "closes_at",
        "needs_account",
        "results_url",
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .shown_at(timezone.now())
            .select_related("network")
            .prefetch_related("topics")
            .order_by("-opens_at", "pk")
        )

    def filter_by(self, queryset, form):
        filters = form.cleaned_data
        now = timezone.now()
        if filters["topic"]:
            queryset = queryset.filter(topics=filters["topic"])
        if filters["network"]:
            queryset = queryset.filter(network=filters["network"])
        if filters["open"] == "true":
            queryset = queryset.filter(opens_at__lte=now, closes_at__gt=now)
        elif filters["open"] == "false":
            queryset = queryset.filter(closes_at__lte=now)
        return queryset
