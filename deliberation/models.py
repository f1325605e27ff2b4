"""How the networks change the platform's text together: amendments that networks propose,
support and discuss, and decisions on them in which each network has one vote.

Above campaigns (the demands and their versions) and below digests, which tells people about
them. Everything here is done by a network, through one of its admins: the user is recorded
for the audit trail, the network is what the public record shows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AmendmentStatus(models.TextChoices):
    OPEN = "open", "Open for support"
    DECIDING = "deciding", "Being decided"
    CARRIED = "carried", "Carried"
    NOT_CARRIED = "not-carried", "Not carried"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Amendment(models.Model):
    """A network's proposal to change a demand's wording, against the version it read."""

    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="amendments"
    )
    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="amendments"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.ForeignKey(
        "campaigns.DemandVersion",
        on_delete=models.PROTECT,
        related_name="amendments",
        help_text="The version this amendment changes.",
    )
    # The new wording; an empty field leaves that part as it is.
    ask = models.CharField("new wording of the ask", max_length=200, blank=True)
    case = models.TextField(
        "new wording of the case",
        max_length=10000,
        blank=True,
        help_text="Plain paragraphs separated by a blank line; replaces the whole case.",
    )
    reason = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=12, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(ask="", case=""), name="amendment_changes_something"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"Amendment {self.pk} to {self.demand}"


class AmendmentSupport(models.Model):
    """A network (other than the proposer) backing an amendment."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="amendment_supports"
    )
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["amendment", "network"], name="one_support_per_network")
        ]
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.network} supports {self.amendment}"


class AmendmentComment(models.Model):
    """A comment on an amendment, made as a network."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="comments")
    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="amendment_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.network} on {self.amendment}"


class DecisionKind(models.TextChoices):
    AMENDMENT = "amendment", "Adopt an amendment"
    ADOPTION = "adoption", "Adopt a new demand into the platform"


class Threshold(models.TextChoices):
    MAJORITY = "majority", "Simple majority: more for than against"
    TWO_THIRDS = "two-thirds", "Two thirds of the votes for and against"
    CONSENSUS = "consensus", "Consensus: no network blocks"


class DecisionOutcome(models.TextChoices):
    CARRIED = "carried", "Carried"
    NOT_CARRIED = "not-carried", "Not carried"
    NO_QUORUM = "no-quorum", "Not enough networks voted"


class Decision(models.Model):
    """A vote of the networks, opened by a hub moderator, closed by beat at its deadline."""

    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    # The demand concerned: the amended one, or the one to adopt.
    demand = models.ForeignKey(
        "campaigns.DemandPage", on_delete=models.CASCADE, related_name="decisions"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    quorum = models.PositiveSmallIntegerField(
        "quorum (%)",
        default=50,
        help_text="The share of the co-signing networks that must vote, in per cent.",
    )
    threshold = models.CharField(
        max_length=12, choices=Threshold.choices, default=Threshold.MAJORITY
    )
    # Set once, when the deadline has passed and the votes are counted.
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices, blank=True)
    eligible = models.PositiveIntegerField(
        null=True, blank=True, help_text="Networks entitled to vote when it closed."
    )
    # The count as it closed: {"networks": [ids of the eligible networks whose votes counted]},
    # so the record stands when networks later withdraw their co-signatures.
    tally = models.JSONField(default=dict, blank=True, editable=False)
    result_version = models.ForeignKey(
        "campaigns.DemandVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version a carried decision published.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quorum__lte=100), name="decision_quorum_is_a_share"),
            models.CheckConstraint(
                condition=Q(kind="adoption") | Q(amendment__isnull=False),
                name="amendment_decision_names_its_amendment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"], name="decision_open", condition=Q(closed_at__isnull=True)
            )
        ]
        ordering = ["-opened_at"]

    def __str__(self):
        return f"Decision {self.pk}: {self.get_kind_display().lower()} ({self.demand})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.deadline


class VoteChoice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"
    BLOCK = "block", "Block"


class Vote(models.Model):
    """A network's one vote in a decision; it may change until the deadline."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="votes"
    )
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "network"], name="one_vote_per_network")
        ]
        ordering = ["network__title"]

    def __str__(self):
        return f"{self.network}: {self.get_choice_display()}"
