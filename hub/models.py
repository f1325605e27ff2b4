from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock, HomeStreamBlock, SocialLinkBlock
from .forms import TopLevelPageForm
from .pagecache import AnonymousCachedPageMixin
from .regions import NATIONS
from .routing import route_by_url_path


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member of the hub; people sign in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


class CustomImage(AbstractImage):
    credit = models.CharField(max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Topic(index.Indexed, models.Model):
    """The coalition's shared taxonomy, reused by networks, positions, events and demands."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=500)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})


class Region(models.Model):
    """A nation of the UK or a region of England; the rows come from `hub.regions.REGIONS`."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    nation = models.CharField(max_length=20, choices=NATIONS)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    name = models.CharField(max_length=80, default="Free Association")
    strapline = models.CharField(
        max_length=160, default="The organising hub of mental-health networks"
    )
    contact_email = models.EmailField(blank=True)
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("strapline"),
        FieldPanel("contact_email"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = "site settings"


class HomePage(AnonymousCachedPageMixin, Page):
    heading = models.CharField(max_length=120, blank=True)
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(
        HomeStreamBlock(),
        blank=True,
        help_text="The front door: the featured demand, the next events, the networks and the "
        "latest positions, in the order you put them.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("heading"), FieldPanel("intro")], heading="Hero"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "hub.ContentPage",
        "networks.NetworkIndexPage",
        "events.EventIndexPage",
        "campaigns.DemandIndexPage",
        "surveys.SurveyIndexPage",
    ]
    max_count = 1
    page_description = "The front page of the hub. There is only one."

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        return route_by_url_path(self, request, path_components)


class ContentPage(Page):
    """A plain page: about, how we count, privacy."""

    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(BaseStreamBlock(), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["hub.HomePage", "hub.ContentPage"]
    subpage_types = ["hub.ContentPage"]
    page_description = "A plain page of text, such as About or Privacy."
    base_form_class = TopLevelPageForm

    class Meta:
        verbose_name = "content page"


class OutboxMessage(models.Model):
    """An email as rendered in the request, kept in PostgreSQL until it is sent (hub.outbox).

    Written in the transaction of the change it tells about, so a rolled-back change sends
    nothing and a broker that is down loses nothing. It holds addresses: sent and failed rows
    are deleted after a while.
    """

    to = models.JSONField()
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=320, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Small text files (a calendar entry), each {"filename", "content", "mimetype"}: kept in the
    # row like the rest, so a message waiting for the broker waits whole.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    # Not to be sent before this (the backoff after a failed attempt); the database's clock.
    next_attempt_at = models.DateTimeField(db_default=Now())
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outgoing email"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_unsent",
            ),
            models.Index(fields=["sent_at"], name="outbox_sent"),
        ]

    def __str__(self):
        return self.subject


class Announcement(models.Model):
    """That a one-off email to many people has been written to the outbox: a delivery to a
    target, a response, a milestone reached, a pledge that binds or lapses. Its unique key is
    what makes each of them go out once, however many workers, sweeps or retries try."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(db_default=Now())
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.key
