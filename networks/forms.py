import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from hub.models import Region, Topic
from hub.widgets import PageChoiceField

from .records import MembershipRole, NetworkApplication, NetworkKind, name_key

QUERY_MAX_LENGTH = 200
LOGO_MAX_BYTES = 2 * 1024 * 1024
# What Wagtail's image library renders; Pillow has opened the file by the time this is read.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
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
        help_text="UK-wide networks are listed in every region.",
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
    logo = forms.ImageField(
        label="Logo",
        required=False,
        help_text=f"A PNG, JPEG, GIF or WebP image up to {filesizeformat(LOGO_MAX_BYTES)}, "
        "shown in a circle: a square one looks best.",
        error_messages={
            "invalid_image": "This file is not an image we can read: upload a PNG, JPEG, GIF "
            "or WebP.",
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = NetworkApplication
        fields = [
            "name",
            "kind",
            "strapline",
            "description",
            "logo",
            "website",
            "public_contact_email",
            "regions",
            "topics",
            "founded_year",
            "how_to_join",
        ]
        labels = {
            "name": "Network name",
            "strapline": "Strapline",
            "description": "About the network",
            "public_contact_email": "Public contact email",
            "regions": "Where the network works",
            "how_to_join": "How people can join",
        }
        help_texts = {
            "strapline": "One line under your name in the directory: what you do, for whom.",
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
        for field in ("name", "strapline", "description", "how_to_join"):
            self.fields[field].validators.append(validate_plain_text)
        for field in self.fields.values():
            if field.required:
                field.label = f"{field.label} (required)"

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                f"The logo is {filesizeformat(logo.size)}: it can be at most "
                f"{filesizeformat(LOGO_MAX_BYTES)}. Try a smaller image.",
                code="too_large",
            )
        extension = LOGO_FORMATS.get(logo.image.format)
        if extension is None:
            raise ValidationError(
                "Upload the logo as a PNG, JPEG, GIF or WebP image.", code="format"
            )
        # The stored name is ours: the uploaded one may say anything.
        logo.name = f"logo.{extension}"
        return logo

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
