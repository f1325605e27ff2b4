"""Concurrent pledges and confirmations on PostgreSQL: one pledger per address, and a pledge
binds (and is announced) exactly once."""

import pytest

from hub.models import Announcement, OutboxMessage
from pledges import services
from pledges.factories import PledgeFactory
from pledges.models import Pledge, Pledger, PledgeStatus
from tests.conftest import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_one_address_pledging_twenty_times_at_once_is_one_pledger():
    pledge = PledgeFactory()
    addresses = [
        "ada@example.org",
        "Ada@Example.org",
        "ada+pledges@example.org",
        " ada@example.org",
    ]

    run_in_threads(
        20,
        lambda n: services.pledger_create(
            pledge=pledge, name=f"Ada {n}", email=addresses[n % len(addresses)]
        ),
    )
    assert Pledger.objects.filter(pledge=pledge).count() == 1


def test_fifty_confirmations_at_once_bind_the_pledge_and_announce_it_once():
    pledge = PledgeFactory(threshold=30)
    pledgers = [
        services.pledger_create(pledge=pledge, name=f"P{n}", email=f"p{n}@example.org").pledger
        for n in range(50)
    ]
    for pledger in pledgers:
        pledger.refresh_from_db()

    run_in_threads(
        50,
        lambda n: services.pledger_confirm(
            pledger=pledgers[n], name=f"P{n}", kind="worker", show_name=False, contactable=False
        ),
    )
    pledge = Pledge.objects.get(pk=pledge.pk)
    assert pledge.status == PledgeStatus.BOUND
    assert Pledger.objects.filter(pledge=pledge, confirmed_at__isnull=False).count() == 50
    assert Announcement.objects.filter(key=f"pledge-bound:{pledge.pk}").count() == 1
    # Every one of the fifty gets the binding email exactly once: in the announcement, or on
    # their own if they confirmed after it was written.
    binding = OutboxMessage.objects.filter(subject__startswith="It binds")
    recipients = sorted(address for message in binding for address in message.to)
    assert recipients == sorted(f"p{n}@example.org" for n in range(50))
