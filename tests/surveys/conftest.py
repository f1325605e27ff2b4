"""Shared survey fixtures: a survey asking one question of each counted kind and one of free
text, with helpers to answer it the way the survey's page does."""

import datetime

import pytest
from django.utils import timezone

from networks.factories import NetworkPageFactory
from surveys.factories import (
    BankQuestionFactory,
    SurveyIndexPageFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.forms import field_name
from surveys.questions import QuestionKind

# (kind, choices, the prompt); in the order the survey asks them.
QUESTIONS = [
    (QuestionKind.SINGLE, "Yes\nNo\nNot sure", "Are you paid for the hours you work?"),
    (QuestionKind.MULTIPLE, "Caseload\nTargets\nSupervision", "What makes your work harder?"),
    (QuestionKind.AGREEMENT, "", "My service is safe."),
    (QuestionKind.NUMBER, "0-4\n5-9\n10+", "Unpaid hours in a typical week"),
    (QuestionKind.REGION, "", "Where do you work?"),
    (QuestionKind.ROLE, "", "I am"),
    (QuestionKind.TEXT, "", "Anything else you want to tell us?"),
]


@pytest.fixture
def survey_index(db):
    """/surveys/, under the site's home page."""
    return SurveyIndexPageFactory()


def add_questions(survey, *, required=False):
    """One question of each kind (QUESTIONS), asked of `survey`; the questions by kind."""
    return {
        kind: SurveyQuestionFactory(
            page=survey,
            kind=kind,
            choices=choices,
            prompt=prompt,
            help_text="Think of the last month." if kind == QuestionKind.NUMBER else "",
            required=required and kind != QuestionKind.TEXT,
            sort_order=n,
        )
        for n, (kind, choices, prompt) in enumerate(QUESTIONS)
    }


@pytest.fixture
def survey_with_questions(survey_index):
    """An open anonymous hub survey under /surveys/ asking one question of each kind
    (`survey.by_kind[kind]` is its question of that kind); none is required."""
    survey = SurveyPageFactory(parent=survey_index, title="Working in talking therapies")
    survey.by_kind = add_questions(survey)
    return survey


@pytest.fixture
def network_survey(db):
    """An open survey under a network's page, asking one question of each kind."""
    survey = SurveyPageFactory(parent=NetworkPageFactory(title="Harbour workers"))
    survey.by_kind = add_questions(survey)
    return survey


@pytest.fixture
def bank_questions(db):
    """Two bank questions: a role question and an agreement scale."""
    return [
        BankQuestionFactory(slug="role", kind=QuestionKind.ROLE, prompt="I am"),
        BankQuestionFactory(slug="safe", kind=QuestionKind.AGREEMENT, prompt="My service is safe."),
    ]


def answers_for(survey, **by_kind) -> dict:
    """A POST for `survey`'s page: consent given, the honeypot empty, and the answers given as
    `single="yes"`, `multiple=["caseload", "targets"]`, `number=6`… by question kind."""
    data = {"consent": "on", "website": ""}
    for kind, value in by_kind.items():
        data[field_name(survey.by_kind[kind])] = value
    return data


def full_answers(survey, **overrides) -> dict:
    """Every question of `survey_with_questions` answered."""
    answers = {
        "single": "yes",
        "multiple": ["caseload", "targets"],
        "agreement": "disagree",
        "number": "6",
        "region": "wales",
        "role": "worker",
        "text": "Supervision was cut last year.",
        **overrides,
    }
    return answers_for(survey, **answers)


def closed(survey, *, days_ago=1):
    survey.opens_at = timezone.now() - datetime.timedelta(days=30)
    survey.closes_at = timezone.now() - datetime.timedelta(days=days_ago)
    survey.save()
    return survey
