"""Member preferences, and the record of every digest run and delivery."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class MemberPreferences(models.Model):
    """What a member follows and how often they hear from the hub.

    A row belongs to an account (`user`) or, for someone who subscribed to the weekly digest
    with just an address, to `email`; such a row is sent nothing until `confirmed_at` is set.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    email = models.EmailField(
        max_length=254, blank=True, help_text="Only for a subscriber without an account."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.OFF, db_index=True
    )
    networks = models.ManyToManyField("networks.NetworkPage", blank=True, related_name="followers")
    topics = models.ManyToManyField("hub.Topic", blank=True, related_name="followers")
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="followers")
    # A followed demand's decided amendments come in the digest, and its outcomes by email.
    demands = models.ManyToManyField("campaigns.DemandPage", blank=True, related_name="followers")

    class Meta:
        verbose_name = "member preferences"
        verbose_name_plural = "member preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="")
                | (Q(user__isnull=True, digest_frequency=DigestFrequency.WEEKLY) & ~Q(email="")),
                name="preferences_of_a_user_or_a_weekly_email",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=Q(user__isnull=True), name="one_subscription_per_email"
            ),
        ]

    def __str__(self):
        return f"Preferences of {self.user or self.email}"

    @admin.display(description="topics")
    def topic_names(self) -> str:
        return ", ".join(topic.name for topic in self.topics.all())


class SubscriberManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(user__isnull=True)


class Subscriber(MemberPreferences):
    """Subscriptions without an account, alone: what moderators may list in the admin."""

    objects = SubscriberManager()

    class Meta:
        proxy = True
        verbose_name = "digest subscriber"


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

    preferences = models.ForeignKey(
        MemberPreferences, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    period = models.CharField(max_length=30, help_text="Frequency and period: daily:2026-11-23.")
    run = models.ForeignKey(DigestRun, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["preferences", "period"], name="one_digest_per_member_and_period"
            )
        ]
        indexes = [models.Index(fields=["preferences", "-sent_at"], name="digest_member_last_sent")]

    def __str__(self):
        return f"{self.period} for {self.preferences_id}: {self.status}"
