from django import forms
from django.conf import settings
from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hub.blocks import BaseStreamBlock
from hub.regions import REGIONS
from hub.subpages import RouteSafeSlugMixin

from .milestones import milestones_parse


class DemandStatus(models.TextChoices):
    OPEN = "open", "Open for signatures"
    CLOSED = "closed", "Closed"
    RESPONDED = "responded", "Responded"
    WON = "won", "Won"


class SignerKind(models.TextChoices):
    WORKER = "worker", "A worker in the service"
    SERVICE_USER = "service-user", "A person who uses services"
    CARER = "carer", "A carer or family member"
    OTHER = "other", "Other"


REGION_CHOICES = [(slug, name) for _nation, slug, name in REGIONS]


class DemandIndexPage(Page):
    """All the coalition's demands, at /demands/."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["campaigns.PlatformPage", "campaigns.DemandPage"]
    max_count = 1
    page_description = "The list of the coalition's demands. There is only one."

    class Meta:
        verbose_name = "demand index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["platforms"] = PlatformPage.objects.child_of(self).live().specific()
        context["demands"] = DemandPage.objects.child_of(self).live().order_by("path")
        return context


class PlatformPage(RoutablePageMixin, Page):
    """A platform groups demands that networks co-sign together."""

    intro = models.TextField(max_length=500, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["campaigns.DemandIndexPage"]
    subpage_types = ["campaigns.DemandPage"]
    page_description = "A platform of demands, such as the platform for an IAPT inquiry."

    class Meta:
        verbose_name = "platform"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.platform_table(platform=self))
        context["cosign_networks"] = selectors.networks_administered(user=request.user)
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("cosign/")
    def cosign(self, request):
        from .views import platform_cosign

        return platform_cosign(request, platform=self)


class DemandPage(RouteSafeSlugMixin, RoutablePageMixin, Page):
    """One demand: the ask, the case for it, and who has co-signed it."""

    ask = models.CharField(max_length=200, help_text="The demand in one sentence.")
    addressed_to = models.CharField(
        max_length=200, help_text="Who must act: a minister, NHS England, a trust."
    )
    case = StreamField(BaseStreamBlock(), blank=True, help_text="The case for the demand.")
    status = models.CharField(
        max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN, db_index=True
    )
    response = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="The target's response, once there is one.",
    )
    deadline = models.DateField(null=True, blank=True)
    milestones = models.CharField(
        max_length=200,
        blank=True,
        default="100,1000,10000",
        validators=[validate_comma_separated_integer_list],
        help_text="Signature counts to aim for, separated by commas: 100,1000,10000.",
    )
    proposing_networks = ParentalManyToManyField(
        "networks.NetworkPage", blank=True, related_name="proposed_demands"
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="demands")

    search_fields = [
        *Page.search_fields,
        index.SearchField("ask"),
        index.SearchField("case"),
        index.FilterField("status"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("ask"),
        FieldPanel("addressed_to"),
        FieldPanel("case"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("response"), FieldPanel("deadline")],
            heading="Status",
        ),
        FieldPanel("milestones"),
        FieldPanel("proposing_networks", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["campaigns.DemandIndexPage", "campaigns.PlatformPage"]
    subpage_types = []
    page_description = "A demand that networks and members co-sign."

    class Meta:
        verbose_name = "demand"

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .forms import SignatureForm

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", SignatureForm())
        context.update(selectors.demand_overview(demand=self))
        context["cosign_networks"] = selectors.networks_administered(user=request.user)
        context["member_signature"] = selectors.member_signature(demand=self, user=request.user)
        return context

    @property
    def is_open(self) -> bool:
        return self.status == DemandStatus.OPEN and (
            self.deadline is None or self.deadline >= timezone.localdate()
        )

    @property
    def milestone_list(self) -> list[int]:
        return list(milestones_parse(self.milestones))

    @path("")
    def index(self, request):
        from .views import demand_sign

        return demand_sign(request, demand=self)

    @path("sign-as-member/")
    def sign_as_member(self, request):
        from .views import demand_sign_as_member

        return demand_sign_as_member(request, demand=self)

    @path("withdraw-as-member/")
    def withdraw_as_member(self, request):
        from .views import demand_withdraw_as_member

        return demand_withdraw_as_member(request, demand=self)

    @path("names/")
    def names(self, request):
        from .views import demand_names

        return demand_names(request, demand=self)

    @path("counts/")
    def counts(self, request):
        from .views import demand_counts

        return demand_counts(request, demand=self)

    @path("cosign/")
    def cosign(self, request):
        from .views import demand_cosign

        return demand_cosign(request, demand=self)


class DemandTally(models.Model):
    """The stored count of a demand's folded signatures.

    Kept off the page row so that a published revision never overwrites it, and so that counting
    never locks the page. Invariant: `count` equals the demand's confirmed, not-held signatures
    marked `folded`; the nightly recount checks and restores it.
    """

    demand = models.OneToOneField(
        DemandPage, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    count = models.PositiveIntegerField(default=0)
    folded_at = models.DateTimeField(null=True, blank=True)
    recounted_at = models.DateTimeField(null=True, blank=True)
    last_drift = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.demand}: {self.count}"


class NetworkCoSignature(models.Model):
    """A network co-signing a demand, by one of its admins."""

    network = models.ForeignKey(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="cosignatures"
    )
    demand = models.ForeignKey(DemandPage, on_delete=models.CASCADE, related_name="cosignatures")
    statement = models.TextField(max_length=1000, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "demand"], name="one_cosignature_per_network"
            )
        ]
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.network} co-signs {self.demand}"


class Signature(models.Model):
    """A member's signature on a demand; it counts once confirmed and not held."""

    # Its admin listing would otherwise put every signature in Wagtail's reference index: two
    # more queries per signing, and a row per signer that says nothing an editor needs.
    wagtail_reference_index_ignore = True

    demand = models.ForeignKey(DemandPage, on_delete=models.CASCADE, related_name="signatures")
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    email_canonical = models.CharField(max_length=254, editable=False)
    postcode_outward = models.CharField(max_length=4, blank=True)
    region = models.CharField(max_length=40, choices=REGION_CHOICES, blank=True)
    kind = models.CharField("I am", max_length=20, choices=SignerKind.choices)
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
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    held = models.BooleanField(
        default=False, help_text="Past a rate limit: not counted until a moderator clears it."
    )
    folded = models.BooleanField(default=False, editable=False)
    # The latest confirmation email, written to the outbox in the signing transaction: its age
    # is the resend-hourly rule, and it is withdrawn from the outbox when its link is replaced.
    confirmation_message = models.ForeignKey(
        "hub.OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    # Carried by the confirmation link and changed whenever a new submission replaces the
    # details, so only the latest email's link confirms.
    confirm_nonce = models.CharField(max_length=16, blank=True, editable=False)
    ip_hash = models.CharField(max_length=16, blank=True, editable=False)

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
