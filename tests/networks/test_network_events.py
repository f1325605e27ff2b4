"""Networks show their upcoming events: their own and those they co-organise."""

import datetime as dt

import pytest
from django.utils import timezone

from events.factories import EventPageFactory
from events.models import CoOrganiserStatus
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks():
    index = NetworkIndexPageFactory()
    return NetworkPageFactory(parent=index, title="Alpha"), NetworkPageFactory(
        parent=index, title="Beta"
    )


def test_cards_and_network_pages_count_own_and_co_organised_upcoming_events(client, networks):
    alpha, beta = networks
    EventPageFactory(parent=alpha, organising_network=alpha, title="Alpha cafe")
    EventPageFactory(
        parent=alpha,
        organising_network=alpha,
        title="Alpha past debate",
        start=timezone.now() - dt.timedelta(days=3),
        end=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    shared = EventPageFactory(title="Coalition assembly")
    shared.co_organisers.set([alpha, beta])
    shared.save_revision().publish()
    shared.co_organiser_invitations.update(status=CoOrganiserStatus.ACCEPTED)

    directory = client.get("/networks/").content.decode()
    alpha_card = directory.split(">Alpha<")[1].split("</article>")[0]
    beta_card = directory.split(">Beta<")[1].split("</article>")[0]
    assert "2 upcoming events" in alpha_card
    assert "1 upcoming event" in beta_card

    page = client.get(alpha.url).content.decode()
    assert "Alpha cafe" in page
    assert "Coalition assembly" in page
    assert "Alpha past debate" not in page
    assert 'type="text/calendar"' in page
    assert (
        "No upcoming events." in client.get(NetworkPageFactory(title="Gamma").url).content.decode()
    )
