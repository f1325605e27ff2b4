from django import forms
from django.core.exceptions import ValidationError

from hub.forms import HoneypotForm
from hub.widgets import PageChoiceField
from networks.models import NetworkPage

from .postcodes import postcode_outward
from .records import SignerKind


class SignatureChoicesForm(forms.Form):
    """What a signer chooses to publish and share: asked when signing, and asked again of the
    owner of the address when they confirm, since anyone may type an address into the sign form."""

    name = forms.CharField(max_length=100, strip=True)
    postcode = forms.CharField(
        max_length=10,
        required=False,
        help_text="Optional. We keep only the first half (such as SW1A), for the regional count.",
    )
    # No answer is chosen for the signer, so the breakdown by kind counts only what people chose.
    kind = forms.ChoiceField(label="I am", choices=[("", "Choose one"), *SignerKind.choices])
    affiliation = PageChoiceField(
        label="Your network",
        queryset=NetworkPage.objects.live().order_by("title"),
        required=False,
        empty_label="None",
    )
    show_name = forms.BooleanField(label="Show my name on the list of signers", required=False)
    keep_updated = forms.BooleanField(
        label="Let the network I named keep me updated",
        required=False,
        help_text="It gets your name, email address, postcode area and what you are.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise ValidationError("Enter your name.")
        if any(ord(char) < 32 for char in name):
            raise ValidationError("Your name contains characters we cannot show.")
        return name

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        if postcode:
            postcode_outward(postcode)
        return postcode

    def clean_keep_updated(self):
        keep_updated = self.cleaned_data["keep_updated"]
        if keep_updated and not self.cleaned_data.get("affiliation"):
            raise ValidationError("Choose your network to be kept updated by it.")
        return keep_updated


class SignatureForm(HoneypotForm, SignatureChoicesForm):
    email = forms.EmailField(
        max_length=254,
        help_text="To confirm your signature. Never shown; shared only with the network you "
        "name, if you ask it to keep you updated.",
    )

    field_order = ["name", "email", "postcode", "kind", "affiliation", "show_name"]


class CoSignForm(forms.Form):
    network = forms.ModelChoiceField(queryset=NetworkPage.objects.none())
    statement = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    action = forms.ChoiceField(choices=[("sign", "Co-sign"), ("withdraw", "Withdraw")])

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
