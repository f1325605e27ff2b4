"""The records of demands that are not pages: signatures, co-signatures, stored tallies, and
the choices they and the pages share. Below the pages: services, selectors and forms import this
module, the page module imports them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from hub.optin import OptInRecord
from hub.regions import REGIONS
from hub.roles import Role


class DemandStatus(models.TextChoices):
    OPEN = "open", "Open for signatures"
    CLOSED = "closed", "Closed"
    RESPONDED = "responded", "Responded"
    WON = "won", "Won"


REGION_CHOICES = [(slug, name) for _nation, slug, name in REGIONS]


class DemandTally(models.Model):
    """The stored count of a demand's folded signatures.

    Kept off the page row so that a published revision never overwrites it, and so that counting
    never locks the page. Invariant: `count` equals the demand's confirmed, not-held signatures
    marked `folded`; the nightly recount checks and restores it.
    """

    demand = models.OneToOneField(
        "campaigns.DemandPage", on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    count = models.PositiveIntegerField(default=0)
    folded_at = models.DateTimeField(null=True, blank=True)
    recounted_at = models.DateTimeField(null=True, blank=True)
    last_drift = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.demand}: {self.count}"


class Mandate(models.TextChoices):
    COMMITTEE = "committee", "Its committee"
    MEMBERS_MEETING = "members-meeting", "A members' meeting"
    MEMBERS_VOTE = "members-vote", "A vote of its members"
    OFFICERS = "officers", "Its officers"


class DemandVersion(models.Model):
    """A demand's wording as published. Each published change to its ask or case is the next
    version; a network's co-signature names the version it agreed to."""

    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    ask = models.CharField(max_length=200)
    # The case's StreamField data as published, kept whole so a difference can be shown even
    # after later revisions are pruned.
    case = models.JSONField(default=list, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    # How this wording was agreed, in words for the public history: "First published",
    # "Amendment 3 carried by the networks' vote".
    agreed_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="one_version_number")
        ]
        ordering = ["demand", "number"]

    def __str__(self):
        return f"{self.demand}, version {self.number}"


class PlatformVersion(models.Model):
    """A platform's list of demands as published: adding or removing a demand, or a new version
    of one, makes the next version."""

    platform = models.ForeignKey(
        "campaigns.PlatformPage", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # [{"demand": page id, "title": ..., "version": DemandVersion.number}, ...] in page order.
    demands = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "number"], name="one_platform_version_number"
            )
        ]
        ordering = ["platform", "number"]

    def __str__(self):
        return f"{self.platform}, version {self.number}"


class NetworkCoSignature(models.Model):
    """A network co-signing a demand, by one of its admins, with the mandate it decided by."""

    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="cosignatures"
    )
    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="cosignatures"
    )
    statement = models.TextField(max_length=1000, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The wording agreed to; older than the demand's latest version until the network confirms
    # the new wording (or withdraws).
    version = models.ForeignKey(
        DemandVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="cosignatures"
    )
    mandate = models.CharField("decided by", max_length=20, choices=Mandate.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    members = models.PositiveIntegerField(
        "members it speaks for", null=True, blank=True, help_text="Optional."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "demand"], name="one_cosignature_per_network"
            )
        ]
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.network} co-signs {self.demand}"


class Signature(OptInRecord):
    """A member's signature on a demand; it counts once confirmed and not held."""

    # Its admin listing would otherwise put every signature in Wagtail's reference index: two
    # more queries per signing, and a row per signer that says nothing an editor needs.
    wagtail_reference_index_ignore = True

    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="signatures"
    )
    postcode_outward = models.CharField(max_length=4, blank=True)
    region = models.CharField(max_length=40, choices=REGION_CHOICES, blank=True)
    kind = models.CharField("I am", max_length=20, choices=Role.choices)
    affiliation = models.ForeignKey(
        "networks.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliated_signatures",
    )
    show_name = models.BooleanField(default=False)
    keep_updated = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
    )
    held = models.BooleanField(
        default=False, help_text="Past a rate limit: not counted until a moderator clears it."
    )
    folded = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "email_canonical"], name="one_signature_per_email"
            )
        ]
        indexes = [
            # Counted but not yet folded: the live part of every displayed count.
            models.Index(
                fields=["demand"],
                name="signature_unfolded",
                condition=Q(confirmed_at__isnull=False, held=False, folded=False),
            ),
            models.Index(
                fields=["demand", "-confirmed_at"],
                name="signature_named",
                condition=Q(confirmed_at__isnull=False, held=False, show_name=True),
            ),
            models.Index(fields=["held", "created_at"], name="signature_held"),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} on {self.demand}"

    @property
    def email_domain(self) -> str:
        return self.email_canonical.rpartition("@")[2]


class MilestonePromise(Orderable):
    """What the coalition promises to do when a demand's count reaches a milestone: "at 10,000
    we deliver to NHS England". Its count is one of the demand's milestones."""

    demand = ParentalKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="milestone_promises"
    )
    count = models.PositiveIntegerField("at", help_text="The signature count: 10000.")
    promise = models.CharField(
        "we promise to", max_length=200, help_text="In a few words: deliver it to NHS England."
    )
    target = models.ForeignKey(
        "targets.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the target the promise is about.",
    )

    panels = [FieldPanel("count"), FieldPanel("promise"), FieldPanel("target")]

    def __str__(self):
        return f"At {self.count}: {self.promise}"

    def clean(self):
        # Zero signatures is where every demand starts: nothing to reach or to promise.
        if self.count is not None and self.count < 1:
            raise ValidationError({"count": "A milestone is a count of at least one signature."})


class MilestoneReached(models.Model):
    """That a demand's count reached one of its milestones: recorded once, by whichever
    confirmation got there first, and never taken back when signatures are withdrawn."""

    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="milestones_reached"
    )
    count = models.PositiveIntegerField()
    reached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "count"], name="one_milestone_reached")
        ]
        ordering = ["demand", "count"]

    def __str__(self):
        return f"{self.demand} reached {self.count}"
