"""Importing a network's calendar into its events. A feed is synced with its row locked, so two
syncs of one feed never run at once (the second finds it locked and leaves it); each occurrence
is keyed by the feed's UID and RECURRENCE-ID, so nothing is made twice; an editor's change to a
field on the hub is kept; an event gone from the feed is cancelled, never deleted."""

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from events.models import LONDON, EventPage
from events.services import event_create

from . import fetching, parsing
from .fields import field_apply, field_values
from .models import CalendarFeed, ImportedEvent, SyncStatus

logger = logging.getLogger(__name__)

SLUG_BASE_MAX = 60
ERROR_MAX = 2000
UNEXPECTED = "The import stopped on an unexpected error, logged for the site's maintainers."


def feeds_due(*, now: dt.datetime | None = None):
    """Ids of the active feeds not synced within the interval, longest waiting first."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.CALENDAR_IMPORT_INTERVAL)
    return (
        CalendarFeed.objects.filter(active=True)
        .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lte=since))
        .order_by("last_synced_at", "pk")
        .values_list("pk", flat=True)
    )


def feed_sync(*, feed_id: int, only_if_due: bool = False, now: dt.datetime | None = None):
    """Fetch the feed and import it; the result (or the error) is kept on the feed. None when
    another sync of this feed is running (or the feed is gone)."""
    now = now or timezone.now()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
        if feed is None:
            return None
        if only_if_due and not feeds_due(now=now).filter(pk=feed.pk).exists():
            return feed
        try:
            fetched = fetching.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        except fetching.FetchError as error:
            _failed(feed, str(error), now=now)
            return feed
        if fetched.content is None:
            _finished(feed, SyncStatus.NOT_MODIFIED, Counter(), now=now)
            return feed
        try:
            with transaction.atomic():
                imported = feed_import(feed=feed, content=fetched.content, now=now)
        except Exception:
            # Whatever the file holds, the task goes on to the next feed; the editors are told.
            logger.exception("Calendar feed %s: the import failed", feed.pk)
            _failed(feed, UNEXPECTED, now=now)
            return feed
        if imported:
            # Kept only once the file is imported, so that a failed one is fetched again.
            feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
            feed.save(update_fields=["etag", "last_modified"])
        return feed


def feed_import(*, feed: CalendarFeed, content: bytes, now: dt.datetime | None = None) -> bool:
    """Import `content` (an iCalendar file) into the feed's network; False if it could not be
    read. Needs the feed's row locked (feed_sync), or a feed no sync can reach (the demo's)."""
    now = now or timezone.now()
    try:
        found = parsing.occurrences(content, now=now)
    except parsing.FeedError as error:
        _failed(feed, str(error), now=now)
        return False
    links = {(link.uid, link.occurrence): link for link in feed.imported.select_related("event")}
    counts, problems, seen = Counter(), [], set()
    for occurrence in found:
        key = (occurrence.uid, occurrence.occurrence)
        if key in seen:
            continue
        seen.add(key)
        try:
            with transaction.atomic():
                counts[_occurrence_import(feed, occurrence, links.get(key))] += 1
        except ValidationError as error:
            problems.append(f"“{occurrence.values['title']}”: {' '.join(error.messages)}")
    for key, link in links.items():
        if key in seen or link.event is None or link.imported.get("cancelled"):
            continue
        if link.event.start <= now:
            # What has happened stays as it was, whatever the calendar keeps of it.
            continue
        # Gone from the feed, and still to come: cancelled, so that people who planned to go
        # see it; the page stays.
        with transaction.atomic():
            counts[_link_update(feed, link, {**link.imported, "cancelled": True})] += 1
    _finished(feed, SyncStatus.IMPORTED, counts, now=now, problems=problems)
    return True


def _occurrence_import(feed: CalendarFeed, occurrence: parsing.Occurrence, link) -> str:
    if link is None:
        event = event_create(
            parent=feed.network,
            publish=feed.publish,
            organising_network=feed.network,
            slug=_free_slug(feed, occurrence),
            **_page_fields(occurrence.values),
        )
        ImportedEvent.objects.create(
            feed=feed,
            uid=occurrence.uid,
            occurrence=occurrence.occurrence,
            event=event,
            imported=occurrence.values,
        )
        return "created"
    if link.event_id is None or link.imported == occurrence.values:
        return "unchanged"
    return _link_update(feed, link, occurrence.values)


def _page_fields(values: dict) -> dict:
    page = EventPage()
    field_apply(page, values)
    return {name: getattr(page, name) for name in values}


def _free_slug(feed: CalendarFeed, occurrence: parsing.Occurrence) -> str:
    day = occurrence.start.astimezone(LONDON).date().isoformat()
    base = f"{slugify(occurrence.values['title'])[:SLUG_BASE_MAX].strip('-') or 'event'}-{day}"
    taken = set(
        feed.network.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _link_update(feed: CalendarFeed, link: ImportedEvent, values: dict) -> str:
    """Bring the page in line with `values`, field by field, leaving alone each field whose
    value an editor changed since it was last imported; a revision, published only if the page
    is live with nothing else waiting in draft (an import never publishes an editor's draft)."""
    event = link.event
    page = event.get_latest_revision_as_object()
    current = field_values(page, values)
    imported, changes = dict(link.imported), {}
    for name, value in values.items():
        if name in link.imported and current[name] != link.imported[name]:
            continue
        if current[name] != value:
            changes[name] = value
        imported[name] = value
    outcome = "unchanged"
    if changes:
        may_publish = (feed.publish or changes.keys() == {"cancelled"}) and (
            event.live and not event.has_unpublished_changes
        )
        field_apply(page, changes)
        revision = page.save_revision()
        if may_publish:
            revision.publish()
        outcome = "cancelled" if changes.get("cancelled") else "updated"
    link.imported = imported
    link.save(update_fields=["imported", "updated_at"])
    return outcome


def _finished(feed, status, counts, *, now, problems=()):
    feed.last_synced_at = now
    feed.last_status = status
    if status == SyncStatus.IMPORTED:
        feed.created_count = counts["created"]
        feed.updated_count = counts["updated"]
        feed.cancelled_count = counts["cancelled"]
        feed.unchanged_count = counts["unchanged"]
    feed.last_error = "\n".join(problems)[:ERROR_MAX]
    feed.consecutive_failures = 0
    feed.save()


def _failed(feed, message: str, *, now):
    logger.info("Calendar feed %s not imported: %s", feed.pk, message)
    feed.last_synced_at = now
    feed.last_status = SyncStatus.FAILED
    feed.last_error = message[:ERROR_MAX]
    feed.consecutive_failures += 1
    feed.save()
