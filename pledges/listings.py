"""Reads for the pledges shown outside their own pages: the home page, topic and network pages
and the API. Each reads its pledges with their confirmed counts in one query, however many
pledges and pledgers there are; nothing about a pledger is read but the count."""

from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Pledge, PledgeStatus
from .selectors import PUBLIC_STATUSES, with_pledged_counts


def public_pledges() -> QuerySet:
    return with_pledged_counts(Pledge.objects.filter(status__in=PUBLIC_STATUSES))


def open_pledges() -> QuerySet:
    """Pledges people can still join, the most pressing first: the nearest deadline, then the
    fewest pledges still needed to bind."""
    return (
        with_pledged_counts(
            Pledge.objects.filter(status=PledgeStatus.OPEN, deadline__gte=timezone.localdate())
        )
        .annotate(still_needed=F("threshold") - F("pledged_count"))
        .order_by("deadline", "still_needed", "pk")
    )
