"""Form widgets and fields for long lists of options, such as every network on the hub."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import format_html, format_html_join


class LongSelect(forms.Select):
    """A select whose options are written in Python: Django renders a template per option, which
    for every network (hundreds of options) costs more than all the rest of a page."""

    def render(self, name, value, attrs=None, renderer=None):
        # Widget's context, not Select's: Select's builds a dict per option, also too slow here.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], _attrs(widget), self._options(value)
        )

    def _options(self, value):
        """Django's options, without groups; as Select does, only the first match is selected."""
        wanted = {str(v) for v in self.format_value(value)}
        rows = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else option_value
            selected = str(option_value) in wanted
            if selected:
                wanted = set()
            rows.append((option_value, " selected" if selected else "", label))
        return format_html_join("", '<option value="{}"{}>{}</option>', rows)


def _attrs(widget) -> str:
    # As django/forms/widgets/attrs.html writes them: True is a bare name, False is left out.
    return format_html_join(
        "",
        "{}{}",
        (
            (f" {name}", "" if value is True else format_html('="{}"', value))
            for name, value in widget["attrs"].items()
            if value is not False
        ),
    )


class PageTitleChoiceIterator(ModelChoiceIterator):
    """Options from (value, title) rows, without building a page object per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        for value, title in self.queryset.values_list(key, "title"):
            yield (ModelChoiceIteratorValue(value, None), title)


class PageChoiceField(forms.ModelChoiceField):
    """Choose one page (a network, say) from a long list, by its title."""

    iterator = PageTitleChoiceIterator
    widget = LongSelect

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            # SQLite cannot bind an integer past 64 bits, and Django's guard against that skips
            # a page subclass's key (a one-to-one link to Page): such a value is never a page.
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Choose several records by id. On SQLite an id past 64 bits cannot even be looked up;
    it is never one of the choices, and the form says so."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError("Choose from the list.", code="invalid_choice") from None
