"""The working days each delivery's answer is overdue, counted daily by beat for the demand
pages' timelines (and at once when a delivery or its due date is recorded)."""

import datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from hub.cache import content_changed

from . import workdays
from .models import Delivery

# Not yet answered, with an answer due.
AWAITED = Q(response__isnull=True, response_due__isnull=False)


def days_overdue(response_due: datetime.date | None, *, today: datetime.date) -> int:
    return workdays.working_days_between(response_due, today) if response_due else 0


def days_overdue_count(*, today: datetime.date | None = None) -> int:
    """Set every delivery's working days overdue as of `today`: two UPDATEs, whatever the
    number of deliveries (one CASE branch per distinct due date awaited). The number of
    deliveries changed; the public pages change with them."""
    today = today or timezone.localdate()
    awaited = Delivery.objects.filter(AWAITED, response_due__lt=today)
    dues = sorted(set(awaited.values_list("response_due", flat=True)))
    changed = 0
    if dues:
        days = Case(
            *[When(response_due=due, then=Value(days_overdue(due, today=today))) for due in dues],
            default=Value(0),
            output_field=IntegerField(),
        )
        changed += awaited.exclude(days_overdue=days).update(days_overdue=days)
    changed += (
        Delivery.objects.filter(days_overdue__gt=0)
        .exclude(AWAITED & Q(response_due__lt=today))
        .update(days_overdue=0)
    )
    if changed:
        content_changed()
    return changed
