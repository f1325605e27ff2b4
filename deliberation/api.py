"""Amendments and decisions in the read-only public API: what networks proposed and how the
networks voted. Networks only: no user, no one who cast a vote or wrote a comment."""

from django import forms
from django.db.models import Count, Prefetch, Q
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page

from hub.api import PublicRecordsAPIViewSet, RelatedPageField, count

from .models import (
    Amendment,
    AmendmentStatus,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Vote,
    VoteChoice,
)


def public_demand_ids():
    return Page.objects.live().public().values("pk")


class VersionNumberField(serializers.Field):
    def to_representation(self, value):
        return value.number if value is not None else None


class NetworksField(serializers.Field):
    """Related rows' networks as id, title and slug."""

    def to_representation(self, value):
        return [RelatedPageField().to_representation(row.network) for row in value.all()]


class AmendmentFilterForm(forms.Form):
    demand = forms.IntegerField(min_value=1, required=False, help_text="A demand's page id.")
    status = forms.ChoiceField(choices=[("", "Any"), *AmendmentStatus.choices], required=False)


class AmendmentsAPIViewSet(PublicRecordsAPIViewSet):
    """Amendments to published demands, with the networks that proposed and support them."""

    name = "amendments"
    model = Amendment
    filter_form_class = AmendmentFilterForm
    body_fields = [
        *BaseAPIViewSet.body_fields,
        APIField("demand", serializer=RelatedPageField(read_only=True)),
        APIField("network", serializer=RelatedPageField(read_only=True)),
        APIField("version", serializer=VersionNumberField(read_only=True)),
        "ask",
        "case",
        "reason",
        "status",
        "created_at",
        APIField("supports_count", serializer=count()),
        APIField("supporting_networks", serializer=NetworksField(source="supports")),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "demand",
        "network",
        "status",
        "supports_count",
        "created_at",
    ]

    def get_queryset(self):
        return (
            Amendment.objects.filter(demand__in=public_demand_ids())
            .select_related("demand", "network", "version")
            .prefetch_related(Prefetch("supports", queryset=_with_network("supports")))
            .annotate(supports_count=Count("supports", distinct=True))
            .order_by("-created_at", "-pk")
        )

    def filter_by(self, queryset, form):
        queryset = super().filter_by(queryset, form)
        if status := form.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        return queryset


def _with_network(relation: str):
    model = Amendment._meta.get_field(relation).related_model
    return model.objects.select_related("network").order_by("created_at")


class ResultField(serializers.Field):
    """A closed decision's count and who voted how; nothing while it is open, so that no
    network's vote is published before the deadline."""

    def to_representation(self, decision):
        if decision.closed_at is None:
            return None
        counted = set(decision.tally.get("networks", []))
        votes = [vote for vote in decision.votes.all() if vote.network_id in counted]
        counts = dict.fromkeys(VoteChoice.values, 0)
        for vote in votes:
            counts[vote.choice] += 1
        return {
            "eligible": decision.eligible or 0,
            "cast": len(votes),
            "counts": counts,
            "votes": [
                {"network": RelatedPageField().to_representation(vote.network),
                 "choice": vote.choice}
                for vote in votes
            ],
        }  # fmt: skip


class DecisionFilterForm(forms.Form):
    demand = forms.IntegerField(min_value=1, required=False, help_text="A demand's page id.")
    kind = forms.ChoiceField(choices=[("", "Any"), *DecisionKind.choices], required=False)
    outcome = forms.ChoiceField(
        choices=[("", "Any"), ("open", "Still open"), *DecisionOutcome.choices], required=False
    )


class DecisionsAPIViewSet(PublicRecordsAPIViewSet):
    """The networks' decisions: the rules each was decided by and, once closed, the result."""

    name = "decisions"
    model = Decision
    filter_form_class = DecisionFilterForm
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "kind",
        APIField("demand", serializer=RelatedPageField(read_only=True)),
        APIField("amendment", serializer=serializers.PrimaryKeyRelatedField(read_only=True)),
        "opened_at",
        "deadline",
        "quorum",
        "threshold",
        "closed_at",
        "outcome",
        APIField("result_version", serializer=VersionNumberField(read_only=True)),
        APIField("result", serializer=ResultField(source="*", read_only=True)),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "kind",
        "demand",
        "deadline",
        "outcome",
    ]

    def get_queryset(self):
        # An adoption's demand is a draft until carried; the decision on it is public all the same.
        shown = Q(demand__in=public_demand_ids()) | Q(kind=DecisionKind.ADOPTION)
        return (
            Decision.objects.filter(shown)
            .select_related("demand", "result_version")
            .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("network")))
            .order_by("-opened_at", "-pk")
        )

    def filter_by(self, queryset, form):
        queryset = super().filter_by(queryset, form)
        if kind := form.cleaned_data["kind"]:
            queryset = queryset.filter(kind=kind)
        if outcome := form.cleaned_data["outcome"]:
            if outcome == "open":
                queryset = queryset.filter(closed_at__isnull=True)
            else:
                queryset = queryset.filter(outcome=outcome)
        return queryset
