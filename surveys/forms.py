"""The form a survey is answered with, built from its questions: a field per question, named
after the question's id, then the consent box and the honeypot."""

import re

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from hub.forms import HoneypotForm

from .questions import QuestionKind, number_bands, typed_lines

# Answer.number is a PostgreSQL integer; the bands are whole numbers from 0.
NUMBER_MAX = 2_147_483_647
TEXT_MAX = 5000
FIELD_PREFIX = "q"
_QUESTION_KEY = re.compile(rf"^{FIELD_PREFIX}(\d+)$")

CHOSEN_ONE = (QuestionKind.SINGLE, QuestionKind.AGREEMENT, QuestionKind.REGION, QuestionKind.ROLE)


def field_name(question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


def _plain(value: str) -> str:
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise ValidationError("Your answer contains characters we cannot keep.")
    return value


class BandedNumberField(forms.IntegerField):
    """A whole number that must fall in one of its question's bands (it is counted by band)."""

    def __init__(self, *, question, **kwargs):
        self.question = question
        bands = number_bands(typed_lines(question.choices))
        low, high = bands[0][2], bands[-1][3]
        self.band_words = f"from {low} to {high}" if high is not None else f"of {low} or more"
        super().__init__(
            min_value=low,
            max_value=high if high is not None else NUMBER_MAX,
            error_messages={
                "required": "Enter a number.",
                "invalid": "Enter a whole number, in figures.",
                "min_value": f"Enter a number {self.band_words}.",
                "max_value": f"Enter a number {self.band_words}."
                if high is not None
                else "That number is too large: enter a smaller one.",
            },
            **kwargs,
        )

    def run_validators(self, value):
        super().run_validators(value)
        if value is not None and self.question.band_of(value) is None:
            raise ValidationError(
                f"{value} falls outside the answers this question counts: enter a number "
                f"{self.band_words}."
            )


def _question_field(question) -> forms.Field:
    common = {
        "label": question.prompt,
        "help_text": question.help_text,
        "required": question.required,
    }
    kind = question.kind
    if kind in CHOSEN_ONE:
        return forms.ChoiceField(
            choices=question.categories(),
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose an answer.",
                "invalid_choice": "Choose one of the answers shown.",
            },
            **common,
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=question.categories(),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one answer.",
                "invalid_choice": "Choose among the answers shown.",
            },
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return BandedNumberField(
            question=question, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    return forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write an answer."},
        **common,
    )


class SurveyForm(HoneypotForm):
    """A survey's questions, in order. `answers()` gives the cleaned answers by question id, the
    shape surveys.services.response_submit takes."""

    consent = forms.BooleanField(
        label="I have read the consent statement and agree to it",
        error_messages={"required": "Tick the box to agree, or your answers cannot be kept."},
    )

    def __init__(self, *args, survey, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions)
        consent, website = self.fields.pop("consent"), self.fields.pop("website")
        for question in self.questions:
            self.fields[field_name(question)] = _question_field(question)
        self.fields["consent"], self.fields["website"] = consent, website

    def clean(self):
        cleaned = super().clean()
        ours = {field_name(question) for question in self.questions}
        # A stale or forged form (another survey's question, one since removed) is refused
        # rather than half-kept: the person sees the form as it is now.
        if any(_QUESTION_KEY.match(key) and key not in ours for key in self.data):
            raise ValidationError(
                "Your answers include a question this survey does not ask (it may have "
                "changed since you opened it). Check your answers below and send them again.",
                code="unknown_question",
            )
        for question in self.questions:
            name = field_name(question)
            if question.kind == QuestionKind.TEXT and isinstance(cleaned.get(name), str):
                try:
                    cleaned[name] = _plain(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def answers(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions
        }

    def question_fields(self):
        """(question, bound field) in order, for the template."""
        return [(question, self[field_name(question)]) for question in self.questions]


def initial_from(response) -> dict:
    """A stored response as the form's initial values, to show a member what they answered."""
    initial: dict = {"consent": True}
    for answer in response.answers.all():
        name = f"{FIELD_PREFIX}{answer.question_id}"
        if answer.number is not None:
            initial[name] = answer.number
        elif answer.text:
            initial[name] = answer.text
        else:
            # Choice widgets take a list for one choice as for several.
            initial.setdefault(name, []).append(answer.value)
    return initial


class SurveyPageForm(WagtailAdminPageForm):
    """The page editor's form: a question chosen from the bank needs no wording of its own
    (SurveyQuestion.clean copies the bank's); one without a bank question needs its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = self.formsets["questions"]
        for form in [*questions.forms, questions.empty_form]:
            for name in ("prompt", "kind"):
                form.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        # The formsets are cleaned after the form: clean them now to read their answers.
        questions = self.formsets["questions"]
        questions.is_valid()
        for form in questions.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or data.get("bank_question"):
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            if not data.get("prompt") and "prompt" not in form.errors:
                form.add_error("prompt", "Write the question, or choose one from the bank.")
            if not data.get("kind") and "kind" not in form.errors:
                form.add_error("kind", "Choose what kind of question it is.")
        return cleaned
