from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from hub.slugs import slug_free


class TargetForm(WagtailAdminModelForm):
    """A target's admin form: the slug is made from the name when left empty, and a name that
    differs from another target's only in case or spacing is refused (it would be the same body
    twice, each with half its record)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields[
            "slug"
        ].help_text = "Its address: /targets/<slug>/. Leave it empty to make it from the name."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = type(self.instance).objects.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"There is already a target called “{name}”.")
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        others = type(self.instance).objects.exclude(pk=self.instance.pk)
        if slug and others.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"Another target’s page is at /targets/{slug}/. Choose another slug, or leave "
                "it empty to make one from the name."
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = self._free_slug(cleaned["name"])
        return cleaned

    def _free_slug(self, name: str) -> str:
        others = type(self.instance).objects.exclude(pk=self.instance.pk)
        return slug_free(
            name,
            taken=lambda slug: others.filter(slug=slug).exists(),
            max_length=type(self.instance)._meta.get_field("slug").max_length,
            fallback="target",
        )
