import datetime

import factory
from django.utils import timezone

from hub.addresses import email_canonical

from .models import Pledge, Pledger, PledgeStatus


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    action = factory.Sequence(lambda n: f"refuse unpaid overtime for a month ({n})")
    slug = factory.Sequence(lambda n: f"refuse-unpaid-overtime-{n}")
    threshold = 5
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    next_steps = "Tell your manager in writing on Monday."
    status = PledgeStatus.OPEN


class PledgerFactory(factory.django.DjangoModelFactory):
    """A confirmed pledger; pass confirmed_at=None for one who has not confirmed."""

    class Meta:
        model = Pledger

    pledge = factory.SubFactory(PledgeFactory)
    name = factory.Sequence(lambda n: f"Pledger {n}")
    email = factory.Sequence(lambda n: f"pledger{n}@example.org")
    email_canonical = factory.LazyAttribute(lambda o: email_canonical(o.email))
    kind = "worker"
    confirmed_at = factory.LazyFunction(timezone.now)
