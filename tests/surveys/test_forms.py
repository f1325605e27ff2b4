"""The answer form built from a survey's questions: a field of the right kind per question, in
order, then consent and the honeypot; answers by question id; a member's answers as initial."""

import pytest
from django import forms
from django.http import QueryDict

from surveys import services
from surveys.forms import SurveyForm, field_name, initial_from

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def form_for(survey, data=None):
    return SurveyForm(data, survey=survey, questions=survey.questions.all())


def test_a_field_of_the_right_kind_per_question_in_order(survey_with_questions):
    survey = survey_with_questions
    form = form_for(survey)
    names = [field_name(question) for question in survey.questions.order_by("sort_order")]
    assert list(form.fields) == [*names, "consent", "website"]
    widgets = {kind: type(form.fields[field_name(q)].widget) for kind, q in survey.by_kind.items()}
    assert widgets == {
        "single": forms.RadioSelect,
        "multiple": forms.CheckboxSelectMultiple,
        "agreement": forms.RadioSelect,
        "number": forms.NumberInput,
        "region": forms.RadioSelect,
        "role": forms.RadioSelect,
        "text": forms.Textarea,
    }
    region = form.fields[field_name(survey.by_kind["region"])]
    assert ("scotland", "Scotland") in region.choices
    assert form.fields["consent"].required


def test_answers_are_given_by_question_id(survey_with_questions):
    survey = survey_with_questions
    form = form_for(survey, full_answers(survey))
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers[survey.by_kind["number"].pk] == 6
    assert answers[survey.by_kind["multiple"].pk] == ["caseload", "targets"]
    assert not form.is_spam


def as_post(initial: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    for name, value in initial.items():
        if value is True:
            post[name] = "on"
        elif isinstance(value, list):
            post.setlist(name, value)
        else:
            post[name] = str(value)
    return post


def test_a_member_s_stored_answers_fill_the_form_in_as_they_gave_them(survey_with_questions):
    survey = survey_with_questions
    form = form_for(survey, full_answers(survey))
    assert form.is_valid()
    response = services.response_submit(survey=survey, cleaned=form.answers()).response
    again = form_for(survey, as_post(initial_from(response)))
    assert again.is_valid(), again.errors
    assert again.answers() == form.answers()
