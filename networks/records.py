"""The network records that are not pages: memberships, applications and invitations.

Below the page models (networks.models), whose routes call the services that write these.
"""

import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def name_key(name: str) -> str:
    """A network name as compared for clashes: case, spaces and punctuation do not count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # Combining marks stay: in many scripts they are part of the letters, not decoration.
    return "".join(ch for ch in folded if ch.isalnum() or unicodedata.category(ch).startswith("M"))


STRAPLINE_MAX_LENGTH = 120


class NetworkKind(models.TextChoices):
    SERVICE_USER = "service-user", "Service-user network"
    THERAPISTS = "therapists", "Counsellors' or psychotherapists' alliance"
    UNION = "union", "Trade union"
    PROFESSIONAL = "professional", "Professional network"
    PEER_SUPPORT = "peer-support", "Peer-support group"
    CAMPAIGN = "campaign", "Campaign group"
    THIRD_SECTOR = "third-sector", "Third-sector organisation"
    OTHER = "other", "Other"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"


class Membership(models.Model):
    """A person's role in a network. Admins manage people and act for the network."""

    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(max_length=10, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_membership_per_network")
        ]
        ordering = ["network", "role", "user"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.network}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class NetworkApplication(models.Model):
    """A network's request to join, waiting for hub moderators; approval makes its page."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_applications"
    )
    name = models.CharField(max_length=120)
    name_key = models.CharField(max_length=255, editable=False)
    kind = models.CharField(max_length=20, choices=NetworkKind.choices)
    strapline = models.CharField(max_length=STRAPLINE_MAX_LENGTH, blank=True)
    description = models.TextField(max_length=3000)
    # Kept out of the image library (and of the public media folders) until approval makes
    # it the page's logo.
    logo = models.ImageField(upload_to="network-applications/", blank=True)
    website = models.URLField(blank=True)
    public_contact_email = models.EmailField(blank=True)
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="+")
    topics = models.ManyToManyField("hub.Topic", blank=True, related_name="+")
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    how_to_join = models.TextField(max_length=1500, blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    rejection_reason = models.TextField(max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    network = models.OneToOneField(
        "networks.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=models.Q(status="pending"),
                name="one_pending_application_per_name",
            )
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """An admin's invitation to join a network; the emailed link is signed and expires."""

    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MembershipRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} to {self.network}"
