"""The deliveries section of a network's page (the networks.sections hook)."""

from django.db.models import Q
from django.template.loader import render_to_string

from campaigns.models import DemandPage, NetworkCoSignature
from hub.cache import cached

from .models import Delivery


def network_deliveries(*, network_id: int) -> list[Delivery]:
    """Deliveries of the live, public demands the network proposed or co-signed, and those it
    took part in, newest first, with their targets and responses: one query."""
    demands = DemandPage.objects.live().public()
    proposed = DemandPage.proposing_networks.through.objects.filter(networkpage_id=network_id)
    cosigned = NetworkCoSignature.objects.filter(network_id=network_id)
    return list(
        Delivery.objects.filter(
            Q(demand_id__in=proposed.values("demandpage_id"))
            | Q(demand_id__in=cosigned.values("demand_id"))
            | Q(
                pk__in=Delivery.networks.through.objects.filter(networkpage_id=network_id).values(
                    "delivery_id"
                )
            ),
            demand__in=demands.values("pk"),
        )  # fmt: skip
        .select_related("target", "demand", "response")
        .order_by("-delivered_on", "-pk")
    )


def network_deliveries_section(request, page) -> str | None:
    """Cached for the content version: deliveries and responses are recorded by moderators, and
    the days overdue, set daily, show within the cache's timeout."""
    deliveries = cached(
        f"network-deliveries:{page.pk}", lambda: network_deliveries(network_id=page.pk)
    )
    if not deliveries:
        return None
    return render_to_string(
        "targets/includes/network_deliveries.html", {"deliveries": deliveries}, request
    )
