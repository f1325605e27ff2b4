"""No pledger's email or name (none of them chose to be named) on any page, digest or API
response that shows pledges."""

import pytest
from django.test import Client

from campaigns.factories import DemandPageFactory
from digests.factories import MemberPreferencesFactory
from hub.cache import content_changed
from hub.factories import TopicFactory
from networks.factories import NetworkPageFactory
from pledges.models import PledgeStatus
from tests.digests.test_selectors import run_digest
from tests.home.conftest import publish_home_sections

from .seed import SECRET, delivery, pledge, pledgers

pytestmark = pytest.mark.django_db


def test_no_pledger_appears_on_any_surface_that_shows_pledges(mailoutbox):
    network, topic = NetworkPageFactory(), TopicFactory()
    secrets = []
    for status in PledgeStatus:
        made = pledge(status=status, network=network, topics=[topic])
        secrets += pledgers(made, confirmed=2, unconfirmed=1)
    demand = DemandPageFactory()
    demand.proposing_networks.set([network])
    demand.save_revision().publish()
    delivery(demand=demand, networks=[network], responded=True)
    MemberPreferencesFactory(networks=[network], topics=[topic])
    publish_home_sections()
    content_changed()

    client = Client()
    texts = [client.get(url).content.decode() for url in
             ("/", topic.get_absolute_url(), network.url, "/api/v2/pledges/?fields=*",
              f"/api/v2/demands/{demand.pk}/")]  # fmt: skip
    for item in client.get("/api/v2/pledges/").json()["items"]:
        texts.append(client.get(f"/api/v2/pledges/{item['id']}/").content.decode())
    assert run_digest().sent == 1
    texts += [mailoutbox[-1].body, mailoutbox[-1].alternatives[0][0]]
    # Each surface showed pledges at all, so their absence of pledgers means something.
    assert all("refuse unpaid overtime" in text for text in texts[:4])
    assert "refuse unpaid overtime" in texts[-1]
    everything = "\n".join(texts)
    assert SECRET not in everything and SECRET.lower() not in everything
    for secret in secrets:
        assert secret not in everything
    assert "pledger-privacy.example" not in everything
