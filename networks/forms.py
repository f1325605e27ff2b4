import re

from django import forms
from django.core.exceptions import ValidationError

from hub.models import Region, Topic
from hub.widgets import PageChoiceField

from .records import MembershipRole, NetworkApplication, NetworkKind, name_key

QUERY_MAX_LENGTH = 200
# A tag, a comment or an entity: whatever a browser would treat as markup.
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&[#a-zA-Z0-9]+;")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_plain_text(value: str) -> None:
    if MARKUP.search(value):
        raise ValidationError("Please use plain text: HTML is not allowed here.", code="markup")
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError("This contains invisible control characters.", code="control")


def topic_filter_field():
    return forms.ModelChoiceField(
        label="Topic",
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Any topic",
    )


class DirectoryFilterForm(forms.Form):
    query = forms.CharField(label="Search", required=False, max_length=QUERY_MAX_LENGTH, strip=True)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *NetworkKind.choices]
    )
    region = forms.ModelChoiceField(
        label="Region",
        required=False,
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label="Anywhere",
    )
    topic = topic_filter_field()


class PositionFilterForm(forms.Form):
    network = PageChoiceField(
        label="Network",
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label="All networks",
    )
    topic = topic_filter_field()

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        # The page hands in the networks to choose from: public() reads the view restrictions,
        # so it cannot run when the module is imported, and this module is below the pages.
        self.fields["network"].queryset = networks


class NetworkApplicationForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = NetworkApplication
        fields = [
            "name",
            "kind",
            "description",
            "website",
            "public_contact_email",
            "regions",
            "topics",
            "founded_year",
            "how_to_join",
        ]
        labels = {
            "name": "Network name",
            "description": "About the network",
            "public_contact_email": "Public contact email (optional)",
            "regions": "Where the network works",
            "how_to_join": "How people can join",
        }
        help_texts = {
            "description": "Who you are, who you bring together and what you do. Plain text.",
            "public_contact_email": "Shown on the network's page. Leave empty to show none.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "how_to_join": forms.Textarea(attrs={"rows": 4}),
            "regions": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("name", "description", "how_to_join"):
            self.fields[field].validators.append(validate_plain_text)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name_key(name):
            raise ValidationError("The name needs at least one letter or digit.", code="empty")
        return name


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sent to the applicant as written.",
        validators=[validate_plain_text],
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices)
