import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from hub.blocks import BaseStreamBlock, SocialLinkBlock
from hub.pagecache import AnonymousCachedPageMixin, filter_query

# Slugs that the routes in networks/urls.py would shadow, under the directory and under a network.
RESERVED_SLUGS = frozenset({"apply", "positions", "invitations"})
RESERVED_CHILD_SLUGS = frozenset({"members", "leave"})
DIRECTORY_PAGE_SIZE = 12
LATEST_POSITIONS = 5
UPCOMING_EVENTS = 5


def name_key(name: str) -> str:
    """A network name as compared for clashes: case, spaces and punctuation do not count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # Combining marks stay: in many scripts they are part of the letters, not decoration.
    return "".join(ch for ch in folded if ch.isalnum() or unicodedata.category(ch).startswith("M"))


class NetworkKind(models.TextChoices):
    SERVICE_USER = "service-user", "Service-user network"
    THERAPISTS = "therapists", "Counsellors' or psychotherapists' alliance"
    UNION = "union", "Trade union"
    PROFESSIONAL = "professional", "Professional network"
    PEER_SUPPORT = "peer-support", "Peer-support group"
    CAMPAIGN = "campaign", "Campaign group"
    THIRD_SECTOR = "third-sector", "Third-sector organisation"
    OTHER = "other", "Other"


def _children_count(pages):
    """Counts each network's child pages in `pages`, as a subquery the directory can annotate."""
    children = (
        pages.filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(children), Value(0))


def _upcoming_event_count():
    """Counts each network's upcoming events, its own and those it agreed to co-organise."""
    # events.models imports this module, so EventPage can only be imported once both are loaded.
    from events.models import CoOrganiserInvitation, EventPage

    co_organised = (
        CoOrganiserInvitation.objects.accepted()
        .filter(network=OuterRef(OuterRef("pk")))
        .values("event_id")
    )
    events = (
        EventPage.objects.live()
        .public()
        .upcoming()
        .filter(Q(organising_network=OuterRef("pk")) | Q(pk__in=co_organised))
        .order_by()
        .values("live")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(events), Value(0))


class NetworkPageQuerySet(PageQuerySet):
    def with_counts(self):
        # One subquery per count keeps the directory's query count flat however many networks.
        return self.annotate(
            position_count=_children_count(PositionPage.objects.live()),
            upcoming_event_count=_upcoming_event_count(),
        )

    def matching(self, *, kind="", region=None, topic=None, query=""):
        """The directory's filters, as DirectoryFilterForm cleans them."""
        networks = self
        if kind:
            networks = networks.filter(kind=kind)
        if region is not None:
            networks = networks.filter(regions=region)
        if topic is not None:
            networks = networks.filter(topics=topic)
        if query:
            networks = networks.filter(Q(title__icontains=query) | Q(description__icontains=query))
        return networks

    def for_directory(self):
        return (
            self.live().public().with_counts().prefetch_related("regions").order_by("title", "pk")
        )


class NetworkIndexPage(AnonymousCachedPageMixin, Page):
    """The directory of networks at /networks/."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["networks.NetworkPage"]
    max_count = 1
    page_description = "The directory of member networks. There is only one."

    class Meta:
        verbose_name = "network directory"

    def get_context(self, request, *args, **kwargs):
        from .forms import DirectoryFilterForm

        context = super().get_context(request, *args, **kwargs)
        filters = DirectoryFilterForm(request.GET or None)
        networks = self.get_networks(**(filters.cleaned_data if filters.is_valid() else {}))
        page_obj = Paginator(networks, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(filters=filters, networks=page_obj, paginator=page_obj.paginator)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["filters"].errors:
            response.status_code = 400
        return response

    def page_cache_query(self, request, context):
        filters = context["filters"]
        used = filters.cleaned_data.items() if filters.is_valid() else ()
        # Free-text searches are rarely repeated and could fill the cache one entry each.
        names = [name for name, value in used if value and name != "query"]
        return filter_query(request, names, page=context["networks"])

    def get_networks(self, **filters):
        return NetworkPage.objects.child_of(self).for_directory().matching(**filters)


class NetworkPage(AnonymousCachedPageMixin, Page):
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
    # The name as compared for clashes; unique so that concurrent approvals cannot both win.
    name_key = models.CharField(max_length=255, unique=True, editable=False)

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
    subpage_types = ["networks.PositionPage", "events.EventPage"]
    page_description = (
        "A member network of the coalition, created when its application is approved."
    )

    objects = PageManager.from_queryset(NetworkPageQuerySet)()

    class Meta:
        verbose_name = "network"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_positions"] = self.get_positions()[:LATEST_POSITIONS]
        context["upcoming_events"] = self.get_upcoming_events()[:UPCOMING_EVENTS]
        context["regions"] = self.regions.all()
        context["topics"] = self.topics.all()
        if request.user.is_authenticated:
            context["membership"] = self.memberships.filter(user=request.user).first()
        return context

    def clean(self):
        super().clean()
        key = name_key(self.title)
        if not key:
            raise ValidationError({"title": "The name needs at least one letter or digit."})
        if NetworkPage.objects.exclude(pk=self.pk).filter(name_key=key).exists():
            raise ValidationError({"title": "Another network already has this name."})

    def save(self, *args, **kwargs):
        # The clash key follows the title, so a renamed network keeps its name reserved.
        self.name_key = name_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        return super().save(*args, **kwargs)

    def get_upcoming_events(self):
        from events.models import EventPage

        return EventPage.objects.for_listing().upcoming().for_network(self)

    def get_positions(self):
        return PositionPage.objects.child_of(self).for_listing()


class PositionPageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.live().public().prefetch_related("topics").order_by("-date", "-pk")


class PositionPage(Page):
    """A network's position statement on a question that matters to it."""

    summary = models.TextField(
        max_length=400, help_text="One or two sentences, shown in listings and feeds."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="positions")
    date = models.DateField(default=timezone.localdate, help_text="When the position was taken.")

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["networks.NetworkPage"]
    subpage_types = []
    page_description = "A position statement published by a network."

    objects = PageManager.from_queryset(PositionPageQuerySet)()

    class Meta:
        verbose_name = "position"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_CHILD_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the site: choose another."})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["network"] = self.get_parent().specific
        context["topics"] = self.topics.all()
        return context


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
    description = models.TextField(max_length=3000)
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
        NetworkPage,
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

    network = models.ForeignKey(NetworkPage, on_delete=models.CASCADE, related_name="invitations")
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
