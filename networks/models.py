from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hub.blocks import SocialLinkBlock


class NetworkKind(models.TextChoices):
    SERVICE_USER = "service-user", "Service-user network"
    THERAPISTS = "therapists", "Counsellors' or psychotherapists' alliance"
    UNION = "union", "Trade union"
    PROFESSIONAL = "professional", "Professional network"
    PEER_SUPPORT = "peer-support", "Peer-support group"
    CAMPAIGN = "campaign", "Campaign group"
    THIRD_SECTOR = "third-sector", "Third-sector organisation"
    OTHER = "other", "Other"


class NetworkIndexPage(Page):
    """The directory of networks at /networks/."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["networks.NetworkPage"]
    max_count = 1
    page_description = "The directory of member networks. There is only one."

    class Meta:
        verbose_name = "network directory"


class NetworkPage(Page):
    """One approved network; its editors manage this page and everything below it."""

    kind = models.CharField(max_length=20, choices=NetworkKind.choices, db_index=True)
    description = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(blank=True)
    public_contact_email = models.EmailField(
        blank=True, help_text="Shown on the network's page. Leave empty to show none."
    )
    regions = ParentalManyToManyField(
        "hub.Region", blank=True, related_name="networks", help_text="Where the network works."
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="networks")
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    how_to_join = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    editors_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="network_page",
        help_text="The Wagtail group holding permissions on this network's pages only.",
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_contact_email"), FieldPanel("social_links")],
            heading="Contact",
        ),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("founded_year"),
        FieldPanel("how_to_join"),
    ]

    parent_page_types = ["networks.NetworkIndexPage"]
    subpage_types = ["events.EventPage"]
    page_description = (
        "A member network of the coalition, created when its application is approved."
    )

    class Meta:
        verbose_name = "network"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"


class Membership(models.Model):
    """A person's role in a network. Admins manage people and act for the network."""

    network = models.ForeignKey(NetworkPage, on_delete=models.CASCADE, related_name="memberships")
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
