import io

import pytest
from django.core.management import call_command

from campaigns import selectors, services
from campaigns.models import DemandPage, NetworkCoSignature, PlatformPage, Signature

from .conftest import live_networks


@pytest.mark.django_db
def test_seed_demo_builds_the_platform_and_runs_again_without_change(client):
    networks = live_networks(3)
    call_command("seed_demo", stdout=io.StringIO())
    platform = PlatformPage.objects.get(title="Platform for an IAPT inquiry")
    demands = DemandPage.objects.child_of(platform).live()
    assert demands.count() >= 6
    assert Signature.objects.filter(confirmed_at__isnull=False).count() >= 3000
    cosignatures = NetworkCoSignature.objects.count()
    assert cosignatures >= len(networks)
    counts = {d.pk: selectors.demand_count(demand=d) for d in demands}
    assert all(count > 0 for count in counts.values())
    assert all(services.tally_recount(demand_id=pk) == 0 for pk in counts), "already folded"

    call_command("seed_demo", stdout=io.StringIO())
    assert NetworkCoSignature.objects.count() == cosignatures
    assert {d.pk: selectors.demand_count(demand=d) for d in demands} == counts

    for url in ["/demands/", platform.url, *[d.url for d in demands]]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_how_we_count_explains_signature_counting(client):
    call_command("seed_demo", stdout=io.StringIO())
    html = client.get("/how-we-count/").content.decode()
    assert "Signatures on demands" in html
    assert "stored count" in html and "held" in html
