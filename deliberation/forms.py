"""The forms network admins fill on the public site, and the one moderators open a decision with
in the admin. Each takes the networks the user may act for, so a network that is not theirs is
an invalid choice (400), never a silent success."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from networks.models import NetworkPage

from .models import Amendment, Threshold, VoteChoice

# A decision needs time for networks to meet and decide; no deadline further than this.
DEADLINE_MIN = dt.timedelta(hours=1)
DEADLINE_MAX = dt.timedelta(days=180)


class NetworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, network):
        return network.title


class ActAsNetworkForm(forms.Form):
    """A form made as one of the user's networks; with one network the choice is made for them
    (a hidden field), with several they choose."""

    network = NetworkChoiceField(
        label="As which network",
        queryset=NetworkPage.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the network you act for.",
            "invalid_choice": "Choose one of the networks you are an admin of.",
        },
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        networks = list(networks)
        self.fields["network"].queryset = NetworkPage.objects.filter(
            pk__in=[network.pk for network in networks]
        ).order_by("title")
        if len(networks) == 1:
            self.fields["network"].widget = forms.HiddenInput()
            self.fields["network"].initial = networks[0].pk
            self.only_network = networks[0]
        else:
            self.only_network = None


def plain_paragraphs(text: str) -> str:
    """Paragraphs as one blank line between them, each line's trailing spaces dropped, so that
    a wording pasted from elsewhere compares with the current one."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


class AmendmentForm(ActAsNetworkForm):
    """The new wording, starting from the current one; a part left as it is changes nothing."""

    ask = forms.CharField(
        label="The ask",
        max_length=Amendment._meta.get_field("ask").max_length,
        required=False,
        help_text="The demand in one sentence.",
    )
    case = forms.CharField(
        label="The case for it",
        max_length=Amendment._meta.get_field("case").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain paragraphs, with a blank line between them. Your wording replaces the "
        "whole case.",
    )
    reason = forms.CharField(
        label="Why this change",
        max_length=Amendment._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say why your network proposes this change."},
    )

    field_order = ["network", "ask", "case", "reason"]

    def __init__(self, *args, current_ask: str, current_case: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_ask = current_ask.strip()
        self.current_case = plain_paragraphs(current_case)

    def clean(self):
        cleaned = super().clean()
        ask = cleaned.get("ask", "").strip()
        case = plain_paragraphs(cleaned.get("case", ""))
        # What is left as it stands is not part of the amendment.
        cleaned["ask"] = "" if ask == self.current_ask else ask
        cleaned["case"] = "" if case == self.current_case else case
        if "ask" in self.errors or "case" in self.errors:
            return cleaned
        if not cleaned["ask"] and not cleaned["case"]:
            raise ValidationError(
                "The wording is the same as now: change the ask or the case, or both."
            )
        return cleaned


class SupportForm(ActAsNetworkForm):
    action = forms.ChoiceField(
        choices=[("support", "Support"), ("withdraw", "Withdraw support")],
        error_messages={"invalid_choice": "Choose to support or to withdraw support."},
    )


class CommentForm(ActAsNetworkForm):
    body = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with your network's name.",
        error_messages={"required": "Write a comment before sending it."},
    )


class VoteForm(ActAsNetworkForm):
    choice = forms.ChoiceField(
        label="Your network's vote",
        widget=forms.RadioSelect,
        choices=VoteChoice.choices,
        error_messages={
            "required": "Choose for, against or abstain.",
            "invalid_choice": "Choose one of the answers shown.",
        },
    )

    def __init__(self, *args, consensus: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not consensus:
            # A block only exists where the decision needs consensus.
            self.fields["choice"].choices = [
                choice for choice in VoteChoice.choices if choice[0] != VoteChoice.BLOCK
            ]


class DecisionOpenForm(forms.Form):
    """What a moderator sets when opening a decision."""

    deadline = forms.DateTimeField(
        label="Voting closes",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Local time. Give the networks time to meet: at least an hour, at most 180 days.",
    )
    quorum = forms.IntegerField(
        label="Quorum (%)",
        min_value=0,
        max_value=100,
        initial=50,
        help_text="The share of the co-signing networks that must vote for the result to count.",
    )
    threshold = forms.ChoiceField(
        choices=Threshold.choices, initial=Threshold.MAJORITY, widget=forms.RadioSelect
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        now = timezone.now()
        if deadline < now + DEADLINE_MIN:
            raise ValidationError("Set a deadline at least an hour from now.")
        if deadline > now + DEADLINE_MAX:
            raise ValidationError("Set a deadline within 180 days.")
        return deadline
