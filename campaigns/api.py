from django import forms
from django.db.models import Prefetch, Q
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.views import BaseAPIViewSet

from hub.api import PublicPagesAPIViewSet, count, slugs
from networks.api import TopicAndNetworkFilterForm

from . import selectors
from .models import DemandPage, DemandStatus, DemandVersion, NetworkCoSignature

# The targets app sits above this one: its model is reached through the demand's relation.
Target = DemandPage._meta.get_field("targets").related_model


class DemandFilterForm(TopicAndNetworkFilterForm):
    network_help = "Demands this network proposed or co-signed."

    status = forms.ChoiceField(choices=[("", "Any"), *DemandStatus.choices], required=False)
    target = forms.ModelChoiceField(
        queryset=Target.objects.all(), to_field_name="slug",
        required=False, help_text="Demands addressed to this target.",
    )  # fmt: skip


class TargetsField(serializers.Field):
    """Each target the demand is addressed to, with the address of its public page."""

    def to_representation(self, targets):
        request = self.context["request"]
        return [
            {"name": target.name, "slug": target.slug,
             "url": request.build_absolute_uri(target.get_absolute_url())}
            for target in targets.all()
        ]  # fmt: skip


class CurrentVersionField(serializers.Field):
    """The number of the demand's current version (its prefetched versions), or None."""

    def to_representation(self, versions):
        numbers = [version.number for version in versions.all()]
        return max(numbers) if numbers else None


class VersionsField(serializers.Field):
    def to_representation(self, versions):
        return [
            {"number": version.number, "ask": version.ask,
             "published_at": version.published_at.isoformat(), "agreed_by": version.agreed_by}
            for version in versions.all()
        ]  # fmt: skip


class CoSignaturesField(serializers.Field):
    """Each co-signing network with the version it signed and the mandate it gave: never who
    signed for it."""

    def to_representation(self, cosignatures):
        return [
            {"network": cosignature.network.slug,
             "version": cosignature.version.number if cosignature.version else None,
             "mandate": cosignature.mandate or None,
             "decided_on": cosignature.decided_on.isoformat() if cosignature.decided_on else None,
             "members": cosignature.members}
            for cosignature in cosignatures.all()
        ]  # fmt: skip


class DeliveriesField(serializers.Field):
    """Each delivery to a target (targets sit above campaigns: read through the prefetched
    reverse relation), with where its answer stands: never who recorded it."""

    def to_representation(self, deliveries):
        rows = []
        for delivery in deliveries.all():
            response = getattr(delivery, "response", None)
            due = delivery.response_due
            rows.append({
                "target": {"name": delivery.target.name, "slug": delivery.target.slug},
                "delivered_on": delivery.delivered_on.isoformat(), "method": delivery.method,
                "signature_count": delivery.signature_count,
                "response_due": due.isoformat() if due else None,
                "days_overdue": delivery.days_overdue, "responded": response is not None,
                "received_on": response.received_on.isoformat() if response else None,
            })  # fmt: skip
        return rows


class DemandsAPIViewSet(PublicPagesAPIViewSet):
    """Demands with their live signature and co-signing network counts: numbers only, never
    a signer, whether or not they chose to show their name."""

    name = "demands"
    model = DemandPage
    filter_form_class = DemandFilterForm
    body_fields = [
        *PublicPagesAPIViewSet.body_fields,
        "ask",
        APIField("targets", serializer=TargetsField(read_only=True)),
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
        APIField("version", serializer=CurrentVersionField(source="versions", read_only=True)),
        APIField("versions", serializer=VersionsField(read_only=True)),
        APIField("cosignatures", serializer=CoSignaturesField(read_only=True)),
        APIField("deliveries", serializer=DeliveriesField(read_only=True)),
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
        cosignatures = NetworkCoSignature.objects.filter(network__live=True).select_related(
            "network", "version"
        )
        demands = (
            super()
            .get_queryset()
            .prefetch_related(
                "topics",
                "targets",
                "proposing_networks",
                "milestone_promises",
                Prefetch("versions", queryset=DemandVersion.objects.order_by("number")),
                Prefetch("cosignatures", queryset=cosignatures.order_by("created_at")),
                "deliveries__target",
                "deliveries__response",
            )
        )
        return selectors.with_counts(demands).order_by("path")

    def filter_by(self, queryset, form):
        filters = form.cleaned_data
        if filters["status"]:
            queryset = queryset.filter(status=filters["status"])
        if filters["topic"]:
            queryset = queryset.filter(topics=filters["topic"])
        if filters["target"]:
            queryset = queryset.filter(targets=filters["target"])
        if network := filters["network"]:
            cosigned = network.cosignatures.values("demand_id")
            queryset = queryset.filter(
                Q(proposing_networks=network) | Q(pk__in=cosigned)
            ).distinct()
        return queryset
