from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password

from hub.forms import HoneypotForm
from hub.models import Region, Topic
from networks.models import NetworkPage

from . import services
from .models import DigestFrequency

FREQUENCY_HELP = "News from the networks, topics and regions you follow. You can change this later."


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, asking how often the member wants the digest (off unless chosen)."""

    digest_frequency = forms.ChoiceField(
        label="Digest email",
        choices=DigestFrequency.choices,
        initial=DigestFrequency.OFF,
        widget=forms.RadioSelect,
        help_text=FREQUENCY_HELP,
        required=False,
    )

    def try_save(self, request):
        if self.account_already_exists:
            # allauth only mails the owner here, while a new account hashes its password, which
            # with the production hasher is most of a sign-up: without this hash the reply's
            # speed would tell who has an account.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def save(self, request):
        user = super().save(request)
        services.preferences_update(
            user=user, digest_frequency=self.cleaned_data["digest_frequency"] or DigestFrequency.OFF
        )
        return user


class DigestFrequencyForm(forms.Form):
    """How often the digest comes, alone: the small form on a member's home."""

    digest_frequency = forms.ChoiceField(
        label="Digest email",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=FREQUENCY_HELP,
    )


class PreferencesForm(DigestFrequencyForm):
    networks = forms.ModelMultipleChoiceField(
        queryset=NetworkPage.objects.live().order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class SubscribeForm(HoneypotForm):
    """The weekly digest for someone without an account: an address, topics and regions."""

    email = forms.EmailField(
        max_length=254, help_text="Only to send the digest. Never shown or shared."
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Positions, events online and demands on these topics.",
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Events in these regions.",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("topics") or cleaned.get("regions")):
            raise forms.ValidationError("Choose at least one topic or region to hear about.")
        return cleaned
