from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Every `{{ form }}` on the site renders through the component templates."""

    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"
