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


@pytest.mark.django_db
def test_the_demo_inquiry_has_two_versions_with_a_network_still_on_the_first(client):
    from campaigns.demo import INQUIRY_V2_AGREED_BY

    live_networks(3)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    inquiry = DemandPage.objects.get(slug="public-inquiry-into-iapt")
    assert list(inquiry.versions.values_list("number", "agreed_by")) == [
        (1, "First published"), (2, INQUIRY_V2_AGREED_BY),
    ]  # fmt: skip
    assert inquiry.ask == inquiry.versions.get(number=2).ask
    cosignatures = NetworkCoSignature.objects.filter(demand=inquiry)
    assert set(cosignatures.values_list("version__number", flat=True)) == {1, 2}
    assert not NetworkCoSignature.objects.filter(mandate="").exists()
    assert not NetworkCoSignature.objects.filter(version__isnull=True).exists()

    html = client.get(inquiry.url).content.decode()
    assert "Version 2, agreed on" in html and "signed version 1" in html
    assert "networks that gave a figure" in html
    history = client.get(f"{inquiry.url}history/").content.decode()
    assert "Added: </span>" in history and "Removed: </span>" in history
    platform = PlatformPage.objects.get(slug="iapt-inquiry")
    assert client.get(f"{platform.url}history/").status_code == 200
    assert "because people signed the ask" in client.get("/how-we-count/").content.decode()
