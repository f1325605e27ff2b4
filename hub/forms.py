from django import forms
from django.forms.renderers import TemplatesSetting


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
