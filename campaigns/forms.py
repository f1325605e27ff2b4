from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.forms import HoneypotForm
from hub.roles import Role
from hub.widgets import PageChoiceField
from networks.models import NetworkPage

from .postcodes import postcode_outward
from .records import Mandate


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
    kind = forms.ChoiceField(label="I am", choices=[("", "Choose one"), *Role.choices])
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


class NetworkChoiceForm(forms.Form):
    """A form a network admin sends for one of the networks they administer."""

    network = forms.ModelChoiceField(queryset=NetworkPage.objects.none(), empty_label=None)

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks


class MandateForm(NetworkChoiceForm):
    """How the network decided to sign: asked every time it agrees to a wording."""

    mandate = forms.ChoiceField(
        label="How your network decided", choices=[("", "Choose one"), *Mandate.choices]
    )
    decided_on = forms.DateField(
        label="When it decided", widget=forms.DateInput(attrs={"type": "date"})
    )
    members = forms.IntegerField(
        label="How many members it speaks for",
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text="Optional. Leave it empty unless you know: we add up only figures given.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on and decided_on > timezone.localdate():
            raise ValidationError("The date your network decided cannot be in the future.")
        return decided_on


class CoSignForm(MandateForm):
    statement = forms.CharField(
        label="Statement (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action = forms.ChoiceField(choices=[("sign", "Co-sign"), ("withdraw", "Withdraw")])

    field_order = ["network", "mandate", "decided_on", "members", "statement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Withdrawing needs no mandate: only co-signing does.
        if self.data.get("action") == "withdraw":
            for name in ("mandate", "decided_on"):
                self.fields[name].required = False
