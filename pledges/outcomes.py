"""A pledge's outcome: it binds (services.pledger_confirm) or lapses (here, by the beat), and
every confirmed pledger is told once; unconfirmed pledgers are purged."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.announcements import announce
from hub.cache import content_changed
from hub.models import Announcement

from .links import bound_key, lapsed_key, pledge_bound_email, pledge_lapsed_email
from .models import Pledge, Pledger, PledgeStatus

UNCONFIRMED_PURGE_AFTER = timedelta(days=7)


def pledge_announce(*, pledge_id: int) -> int | None:
    """Tell every confirmed pledger, once, that the pledge binds or that it does not.

    The pledge's row is locked for the announcement, as in `pledger_confirm`: whoever confirms
    meanwhile is either in it or gets an email of their own. Unconfirmed pledgers get nothing."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().filter(pk=pledge_id).first()
        if pledge is None or pledge.status not in (PledgeStatus.BOUND, PledgeStatus.LAPSED):
            return None
        pledgers = pledge.pledgers.filter(confirmed_at__isnull=False).order_by("pk")
        count = pledgers.count()
        if pledge.status == PledgeStatus.BOUND:
            key = bound_key(pledge.pk)
            messages = (pledge_bound_email(pledger=p, count=count) for p in pledgers.iterator())
        else:
            key = lapsed_key(pledge.pk)
            messages = (pledge_lapsed_email(pledger=p, count=count) for p in pledgers.iterator())
        return announce(key=key, messages=messages)


def pledges_lapse_due() -> list[int]:
    """Mark open pledges whose deadline has passed as lapsed: the ids this run lapsed."""
    lapsed = []
    due = Pledge.objects.filter(status=PledgeStatus.OPEN, deadline__lt=timezone.localdate())
    for pledge_id in due.values_list("pk", flat=True):
        if Pledge.objects.filter(pk=pledge_id, status=PledgeStatus.OPEN).update(
            status=PledgeStatus.LAPSED, lapsed_at=timezone.now()
        ):
            lapsed.append(pledge_id)
    if lapsed:
        content_changed()
    return lapsed


def pledges_unannounced() -> list[int]:
    """Bound or lapsed pledges with no announcement: the task that was to write it was lost."""
    keys = set(Announcement.objects.filter(key__startswith="pledge-").values_list("key", flat=True))
    decided = Pledge.objects.filter(status__in=[PledgeStatus.BOUND, PledgeStatus.LAPSED])
    return [
        pk
        for pk, status in decided.values_list("pk", "status")
        if (bound_key(pk) if status == PledgeStatus.BOUND else lapsed_key(pk)) not in keys
    ]


def pledgers_purge_unconfirmed() -> int:
    cutoff = timezone.now() - UNCONFIRMED_PURGE_AFTER
    deleted, _ = Pledger.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted
