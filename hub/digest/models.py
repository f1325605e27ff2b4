"""Member preferences, and the record of every digest run and delivery."""

from django.conf import settings
from django.db import models


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class MemberPreferences(models.Model):
    """What a member follows and how often they hear from the hub."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.OFF, db_index=True
    )
    networks = models.ManyToManyField("networks.NetworkPage", blank=True, related_name="followers")
    topics = models.ManyToManyField("hub.Topic", blank=True, related_name="followers")
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="followers")

    class Meta:
        verbose_name = "member preferences"
        verbose_name_plural = "member preferences"

    def __str__(self):
        return f"Preferences of {self.user}"


class DigestRun(models.Model):
    """One run of the digest for a period; beat may start it twice, the deliveries decide."""

    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices)
    period = models.CharField(max_length=20, help_text="e.g. 2026-11-23 or 2026-W48.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    batches_pending = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    skipped_empty = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Each demand's status, response and milestone when the run started, so the next run of the
    # same frequency can tell what changed; `demand_news` is that difference for this run.
    demand_state = models.JSONField(default=dict, editable=False)
    demand_news = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.get_frequency_display()} digest {self.period}"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Claimed, being sent"
    SENT = "sent", "Sent"
    EMPTY = "empty", "Nothing to send"
    FAILED = "failed", "Refused by the mail server"


class DigestDelivery(models.Model):
    """A member's digest for one period: claimed before sending, so it is sent at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    period = models.CharField(max_length=30, help_text="Frequency and period: daily:2026-11-23.")
    run = models.ForeignKey(DigestRun, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_period")
        ]
        indexes = [models.Index(fields=["user", "-sent_at"], name="digest_last_sent")]

    def __str__(self):
        return f"{self.period} for {self.user_id}: {self.status}"
