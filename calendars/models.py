"""Networks' own calendars, imported into the hub: a feed per calendar address, and a link from
each event (or occurrence of a recurring one) in it to the EventPage made for it."""

from django.db import models

from networks.models import NetworkPage


class SyncStatus(models.TextChoices):
    NEVER = "never", "Not imported yet"
    IMPORTED = "imported", "Imported"
    NOT_MODIFIED = "not-modified", "No change since the last import"
    FAILED = "failed", "Failed"


class CalendarFeed(models.Model):
    """A network's iCalendar address, fetched on a schedule (calendars.tasks)."""

    network = models.ForeignKey(
        NetworkPage, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    url = models.URLField(
        "calendar address",
        max_length=1000,
        help_text="The address of the calendar's iCalendar (.ics) feed, starting https://. "
        "Google and Outlook call it the public or secret address in iCal format.",
    )
    publish = models.BooleanField(
        "publish imported events straight away",
        default=False,
        help_text="Otherwise new events are saved as drafts for you to check and publish. "
        "Each event's location goes into its venue: add the town and region so that people "
        "can find it by place.",
    )
    active = models.BooleanField(
        "keep importing", default=True, help_text="Switch off to stop fetching this calendar."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the calendar's server said last time, sent back so that it can answer 304.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_synced_at = models.DateTimeField("last import", null=True, blank=True, editable=False)
    last_status = models.CharField(
        max_length=20, choices=SyncStatus.choices, default=SyncStatus.NEVER, editable=False
    )
    created_count = models.PositiveIntegerField("new", default=0, editable=False)
    updated_count = models.PositiveIntegerField("updated", default=0, editable=False)
    cancelled_count = models.PositiveIntegerField("cancelled", default=0, editable=False)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "url"], name="one_feed_per_network_url")
        ]
        indexes = [models.Index(fields=["active", "last_synced_at"])]
        ordering = ["network", "url"]
        verbose_name = "imported calendar"

    def __str__(self):
        return f"{self.network} calendar ({self.url})"


class ImportedEvent(models.Model):
    """One event of a feed (one occurrence, for a recurring one) and the page made for it.

    `imported` holds each field's value as last imported: a page whose value differs from it
    was changed by an editor on the hub, and that field is never overwritten again."""

    feed = models.ForeignKey(CalendarFeed, on_delete=models.CASCADE, related_name="imported")
    uid = models.CharField(max_length=500)
    # The occurrence's RECURRENCE-ID, in UTC (or its date, all day); empty for a single event.
    occurrence = models.CharField(max_length=40, blank=True)
    # Left empty when an editor deletes the page: the import does not bring it back.
    event = models.ForeignKey(
        "events.EventPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="calendar_imports",
    )
    imported = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "uid", "occurrence"], name="one_import_per_feed_occurrence"
            )
        ]

    def __str__(self):
        return f"{self.uid} {self.occurrence}".strip()
