"""Pledges: "I will <action> if <N> other <people of a kind> will too, by <deadline>". A network
or a member proposes one, moderators review it before it is public, people pledge with double
opt-in, and it binds when enough have confirmed by the deadline (or lapses when they have not).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hub.optin import OptInRecord


class PledgeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    OPEN = "open", "Open"
    REJECTED = "rejected", "Not accepted"
    BOUND = "bound", "Enough people pledged: it binds"
    LAPSED = "lapsed", "Not enough people by the deadline"


class PledgeAudience(models.TextChoices):
    ANYONE = "anyone", "people"
    WORKER = "worker", "workers in the service"
    SERVICE_USER = "service-user", "people who use services"
    CARER = "carer", "carers"


class Pledge(models.Model):
    """A conditional promise: it binds every confirmed pledger once `threshold` have pledged."""

    slug = models.SlugField(max_length=80, unique=True)
    action = models.CharField(
        "I will", max_length=200, help_text="What each person will do: refuse unpaid overtime."
    )
    threshold = models.PositiveIntegerField(
        "if this many", help_text="How many people must pledge before it binds."
    )
    audience = models.CharField(
        "other", max_length=20, choices=PledgeAudience.choices, default=PledgeAudience.ANYONE
    )
    deadline = models.DateField("will too, by")
    details = models.TextField(
        max_length=3000, blank=True, help_text="Why, and what it means in practice."
    )
    next_steps = models.TextField(
        "what to do when it binds",
        max_length=3000,
        blank=True,
        help_text="Sent to every pledger when enough people have pledged.",
    )
    allow_contact = models.BooleanField(
        "let pledgers write to each other",
        default=False,
        help_text="Through the hub, once it binds: no one's address is shown to anyone.",
    )
    network = models.ForeignKey(
        "networks.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledges",
        help_text="The network proposing it, if a network is.",
    )
    topics = models.ManyToManyField("hub.Topic", blank=True, related_name="pledges")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        max_length=1000, blank=True, help_text="Sent to the person who proposed it."
    )
    # Set once, by whichever confirmation or beat run changes the status (a conditional update).
    bound_at = models.DateTimeField(null=True, blank=True, editable=False)
    lapsed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"I will {self.action}"

    def get_absolute_url(self):
        return f"/pledges/{self.slug}/"


class Pledger(OptInRecord):
    """One person's pledge; it counts once its owner confirms it from the emailed link."""

    wagtail_reference_index_ignore = True

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="pledgers")
    kind = models.CharField(
        "I am",
        max_length=20,
        choices=[(value, label) for value, label in PledgeAudience.choices if value != "anyone"]
        + [("other", "Other")],
        blank=True,
    )
    show_name = models.BooleanField(
        default=False, help_text="Otherwise you are counted but not named."
    )
    contactable = models.BooleanField(
        default=False, help_text="Others who pledged may write to you through the hub."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "email_canonical"], name="one_pledger_per_email"
            )
        ]
        indexes = [
            models.Index(
                fields=["pledge"], name="pledger_confirmed", condition=Q(confirmed_at__isnull=False)
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} on {self.pledge}"
