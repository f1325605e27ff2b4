"""Pledges, pledgers and deliveries made straight from the contract models, for the tests of
the places that show them (the pledges app's own services make them in real use)."""

import datetime as dt
import itertools

from django.utils import timezone

from hub.addresses import email_canonical
from pledges.models import Pledge, Pledger, PledgeStatus
from targets.models import Delivery, Target, TargetResponse

_numbers = itertools.count(1)
# Each seeded pledger's name and email carries this, so a test can look for any of them.
SECRET = "Zqxvprivate"


def pledge(*, status=PledgeStatus.OPEN, threshold=10, days=30, network=None, topics=(), **kw):
    number = next(_numbers)
    made = Pledge.objects.create(
        slug=f"pledge-{number}", action=kw.pop("action", f"refuse unpaid overtime {number}"),
        threshold=threshold, deadline=timezone.localdate() + dt.timedelta(days=days),
        network=network, status=status, reviewed_at=kw.pop("reviewed_at", timezone.now()),
        **kw,
    )  # fmt: skip
    made.topics.set(topics)
    return made


def pledgers(pledge, *, confirmed: int, unconfirmed: int = 0) -> list[str]:
    """Pledgers who chose not to be named; returns the names and emails that must stay private."""
    secrets = []
    rows = []
    for n in range(confirmed + unconfirmed):
        name = f"{SECRET} Person{pledge.pk}x{n}"
        email = f"{SECRET.lower()}.{pledge.pk}.{n}@pledger-privacy.example"
        secrets += [name, email]
        rows.append(
            Pledger(pledge=pledge, name=name, email=email, email_canonical=email_canonical(email),
                    show_name=False, confirmed_at=timezone.now() if n < confirmed else None)
        )  # fmt: skip
    Pledger.objects.bulk_create(rows)
    return secrets


def target(name=None) -> Target:
    number = next(_numbers)
    name = name or f"Target body {number}"
    return Target.objects.create(name=name, slug=f"target-{number}")


def delivery(*, demand, to=None, networks=(), responded=False, days_overdue=0) -> Delivery:
    made = Delivery.objects.create(
        demand=demand, target=to or target(), signature_count=1200,
        response_due=timezone.localdate() + dt.timedelta(days=10), days_overdue=days_overdue,
    )  # fmt: skip
    made.networks.set(networks)
    if responded:
        TargetResponse.objects.create(delivery=made, text="<p>We will look into it.</p>")
    return made
