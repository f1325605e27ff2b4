import io

import pytest
from django.core.management import call_command

from campaigns.models import DemandPage, DemandVersion
from deliberation.demo import DEMAND_SLUG
from deliberation.models import Amendment, AmendmentStatus, Decision

pytestmark = pytest.mark.django_db


def test_the_demo_holds_two_versions_an_open_amendment_and_a_closed_decision(client):
    call_command("seed_demo", stdout=io.StringIO())
    demand = DemandPage.objects.get(slug=DEMAND_SLUG)
    versions = list(DemandVersion.objects.filter(demand=demand).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    carried = Amendment.objects.get(demand=demand, status=AmendmentStatus.CARRIED)
    assert versions[1].agreed_by.startswith(f"Amendment {carried.pk} carried by the networks")
    decision = Decision.objects.get(amendment=carried)
    assert decision.outcome == "carried" and decision.result_version == versions[1]
    pending = Amendment.objects.get(demand=demand, status=AmendmentStatus.OPEN)
    assert pending.version == versions[1]
    assert pending.supports.exclude(network=pending.network).exists()

    call_command("seed_demo", stdout=io.StringIO())
    assert Amendment.objects.count() == 2 and Decision.objects.count() == 1

    html = client.get(demand.url).content.decode()
    assert "The networks' vote: carried" in html
    assert f"Amendment {pending.pk}, proposed by" in html
    for url in ["/api/v2/amendments/", f"/api/v2/decisions/{decision.pk}/",
                f"/amendments/{pending.pk}/", f"/amendments/decisions/{decision.pk}/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
