"""The list of access and safety features events choose from. Its own module, below the forms
(the finder filters on it) and the page models; `events.models` re-exports it."""

from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel

from .choices import AccessFeatureKind
from .icons import GENERIC_ICON, ICON_CHOICES, ICONS


class AccessFeature(models.Model):
    """One thing an event offers for access or safety, from a list editors can extend (a snippet):
    shown with its icon on event pages and cards, filtered on in the finder, exported to feeds."""

    name = models.CharField(max_length=80, unique=True, help_text="As shown on event pages.")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in finder links: keep it once in use."
    )
    kind = models.CharField(
        max_length=10, choices=AccessFeatureKind.choices, default=AccessFeatureKind.ACCESS
    )
    icon = models.CharField(
        max_length=40, blank=True, help_text="The icon shown beside the words, if any."
    )
    schema_org_feature = models.CharField(
        "schema.org accessibility feature",
        max_length=60,
        blank=True,
        help_text="The schema.org accessibilityFeature value this means, if there is one.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("icon", widget=forms.Select(choices=ICON_CHOICES)),
        FieldPanel("schema_org_feature"),
        FieldPanel("sort_order", help_text="Lower numbers come first within their kind."),
    ]

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        verbose_name = "access and safety feature"

    def __str__(self):
        return self.name

    @property
    def icon_name(self) -> str:
        """An icon the sprite has: one typed into the database by hand may not exist."""
        return self.icon if self.icon in ICONS else GENERIC_ICON
