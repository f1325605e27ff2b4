from itertools import groupby

from django import forms


class CheckboxGroups(forms.CheckboxSelectMultiple):
    """Checkboxes in a fieldset for each group of choices, with the group's name as legend."""

    template_name = "events/widgets/checkbox_groups.html"


class CheckboxesByKind(CheckboxGroups):
    """Access and safety features' checkboxes grouped by kind, for the admin, where the
    field's choices carry the feature rows in the model's order (kind first)."""

    def optgroups(self, name, value, attrs=None):
        flat = self.choices
        self.choices = [
            (kind, list(options))
            for kind, options in groupby(flat, key=lambda choice: _kind(choice[0]))
        ]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = flat


def _kind(value) -> str:
    instance = getattr(value, "instance", None)
    return instance.get_kind_display() if instance is not None else ""
