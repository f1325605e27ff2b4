"""The bodies demands are addressed to, and the record of each demand's delivery to one of them
and the answer it gave. Moderators keep them; each target has a public page."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index


class TargetKind(models.TextChoices):
    GOVERNMENT = "government", "Government or a minister"
    NHS_BODY = "nhs-body", "NHS body"
    TRUST = "trust", "NHS trust or provider"
    PROFESSIONAL_BODY = "professional-body", "Professional body"
    REGULATOR = "regulator", "Regulator"
    OTHER = "other", "Other"


class Target(index.Indexed, models.Model):
    """A body that must answer a demand: NHS England, the DHSC, a professional body, a trust."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, help_text="Its address: /targets/<slug>/.")
    kind = models.CharField(max_length=20, choices=TargetKind.choices, default=TargetKind.OTHER)
    description = models.TextField(max_length=1000, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("website"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("targets:detail", kwargs={"slug": self.slug})


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in-person", "Handed in person"
    EMAIL = "email", "By email"
    POST = "post", "By post"
    MEETING = "meeting", "At a meeting"
    OTHER = "other", "Other"


class Delivery(models.Model):
    """A demand delivered to one of its targets, and the answer it owes by `response_due`."""

    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="deliveries"
    )
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField(default=timezone.localdate)
    method = models.CharField(
        max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL
    )
    signature_count = models.PositiveIntegerField(
        "signatures delivered", help_text="The count as it was handed over."
    )
    networks = models.ManyToManyField(
        "networks.NetworkPage",
        blank=True,
        related_name="deliveries",
        help_text="The networks that delivered it, or whose co-signatures went with it.",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the letter or petition as delivered.",
    )
    note = models.TextField(max_length=2000, blank=True, help_text="Shown on the demand's page.")
    # By default 20 working days after delivery (targets.workdays); moderators may change it.
    response_due = models.DateField("response expected by", null=True, blank=True)
    # Working days past `response_due` with no response: set daily by beat, 0 when not overdue.
    days_overdue = models.PositiveIntegerField(default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["response_due"], name="delivery_response_due")]

    def __str__(self):
        return f"{self.demand} to {self.target}, {self.delivered_on:%-d %B %Y}"


class TargetResponse(models.Model):
    """What a target answered to a delivery: text, a document, or both."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="response")
    received_on = models.DateField(default=timezone.localdate)
    text = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "response"

    def __str__(self):
        return f"{self.delivery.target}'s response on {self.received_on:%-d %B %Y}"
