from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import get_resolver
from wagtail.admin.forms import WagtailAdminPageForm


class SiteFormRenderer(TemplatesSetting):
    """Every `{{ form }}` on the site renders through the component templates."""

    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"


class HoneypotForm(forms.Form):
    """A public form with a honeypot: hidden from people (render it in a visually hidden,
    aria-hidden box), filled in by naive bots; answer spam as if it were accepted."""

    website = forms.CharField(
        required=False,
        max_length=200,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def routed_slugs() -> set[str]:
    """The first path segments Django routes itself (config/urls.py): a page directly under the
    site's root with one of these slugs could never be reached."""
    slugs = set()
    for pattern in get_resolver().url_patterns:
        first = str(pattern.pattern).lstrip("^").split("/")[0]
        if first and "." not in first and "(" not in first:
            slugs.add(first)
    return slugs


class TopLevelPageForm(WagtailAdminPageForm):
    """Refuses a slug that the site's own routes would hide, for a page under the root."""

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        if slug in routed_slugs() and self.parent_page.is_site_root():
            self.add_error(
                "slug",
                f"“/{slug}/” is taken by the site itself, so this page could never be shown. "
                "Please choose another slug.",
            )
        return cleaned
