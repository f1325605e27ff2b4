import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.forms import HoneypotForm
from hub.models import Topic
from hub.widgets import PageChoiceField, RecordsChoiceField
from networks.models import NetworkPage

from .models import Pledge

THRESHOLD_MIN, THRESHOLD_MAX = 2, 100_000
DEADLINE_MAX = datetime.timedelta(days=366)
ACTION_MIN = 10
MESSAGE_MAX = 2000
KIND_CHOICES = [
    ("worker", "a worker in the service"),
    ("service-user", "a person who uses services"),
    ("carer", "a carer"),
    ("other", "other"),
]


def _plain(value: str, *, what: str) -> str:
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise ValidationError(f"{what} contains characters we cannot show.")
    return value


class PledgeProposalForm(forms.ModelForm):
    """“I will <action> if <N> other <audience> will too, by <deadline>”, and what follows."""

    threshold = forms.IntegerField(
        label="if this many",
        min_value=THRESHOLD_MIN,
        max_value=THRESHOLD_MAX,
        help_text=f"How many others must pledge before it binds: {THRESHOLD_MIN} to "
        f"{THRESHOLD_MAX:,}.",
        error_messages={
            "min_value": f"At least {THRESHOLD_MIN} people must pledge.",
            "max_value": f"At most {THRESHOLD_MAX:,}: a pledge should be reachable.",
        },
    )
    topics = RecordsChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    network = PageChoiceField(
        label="On behalf of",
        queryset=NetworkPage.objects.none(),
        required=False,
        empty_label="Myself, as a member",
        help_text="A network you administer, or yourself.",
    )

    class Meta:
        model = Pledge
        fields = [
            "action", "threshold", "audience", "deadline", "details", "next_steps",
            "allow_contact", "topics", "network",
        ]  # fmt: skip
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "details": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        if not networks.exists():
            del self.fields["network"]
        today = timezone.localdate()
        self.fields["deadline"].widget.attrs.update(
            min=(today + datetime.timedelta(days=1)).isoformat(),
            max=(today + DEADLINE_MAX).isoformat(),
        )

    def clean_action(self):
        action = _plain(self.cleaned_data["action"].strip(), what="What you will do")
        action = action.removeprefix("I will ").removeprefix("i will ").rstrip(".")
        if len(action) < ACTION_MIN:
            raise ValidationError(
                f"Say what you will do in at least {ACTION_MIN} characters, such as "
                "“refuse unpaid overtime for a month”."
            )
        return action

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        today = timezone.localdate()
        if deadline <= today:
            raise ValidationError("The deadline must be in the future.")
        if deadline > today + DEADLINE_MAX:
            raise ValidationError("The deadline must be within a year from today.")
        return deadline

    def clean_details(self):
        return _plain(self.cleaned_data["details"], what="The details")

    def clean_next_steps(self):
        return _plain(self.cleaned_data["next_steps"], what="What to do when it binds")


class PledgerChoicesForm(forms.Form):
    """What a pledger chooses to publish and share: asked when pledging, and again of the
    address's owner when they confirm, since anyone may type an address in."""

    name = forms.CharField(max_length=100, strip=True)
    # The model's labels name groups ("carers"), which read wrongly after "I am".
    kind = forms.ChoiceField(label="I am", choices=[("", "Choose one"), *KIND_CHOICES])
    show_name = forms.BooleanField(label="Show my name on the pledge's page", required=False)
    contactable = forms.BooleanField(
        label="Let the others who pledged write to me through the hub once it binds",
        required=False,
        help_text="Their messages come from the hub: your address is never shown to anyone.",
    )

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        if not pledge.allow_contact:
            del self.fields["contactable"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise ValidationError("Enter your name.")
        return _plain(name, what="Your name")

    def choices(self) -> dict:
        return {"contactable": False, **self.cleaned_data}


class PledgerForm(HoneypotForm, PledgerChoicesForm):
    email = forms.EmailField(
        max_length=254,
        help_text="To confirm your pledge, and to tell you if it binds. Never shown.",
    )

    field_order = ["name", "email", "kind", "show_name", "contactable"]

    def choices(self) -> dict:
        cleaned = super().choices()
        return {key: cleaned[key] for key in ("name", "kind", "show_name", "contactable")}


class RejectionForm(forms.Form):
    note = forms.CharField(
        label="Why it is not accepted",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Emailed to whoever proposed it.",
    )


class PledgeMessageForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Up to {MESSAGE_MAX:,} characters. It goes out with your name as you gave it, "
        "never your address.",
    )

    def clean_text(self):
        return _plain(self.cleaned_data["text"].strip(), what="Your message")
