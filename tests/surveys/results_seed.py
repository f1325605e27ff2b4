"""Closed surveys with published results and many answers, for the results tests (made with
surveys.factories, in bulk)."""

import datetime

from django.utils import timezone

from surveys.factories import SurveyPageFactory, SurveyQuestionFactory
from surveys.models import Answer, Response
from surveys.questions import QuestionKind

SECRET = "my manager at the clinic is called Zebedee Quartz"


def closed_survey(**kwargs):
    now = timezone.now()
    defaults = {
        "opens_at": now - datetime.timedelta(days=30),
        "closes_at": now - datetime.timedelta(days=1),
        "publish_results": True,
        "min_cell_size": 10,
    }
    return SurveyPageFactory(**(defaults | kwargs))


def questions(survey):
    """A single choice question, a role question, a region question and free text."""
    return {
        "paid": SurveyQuestionFactory(
            page=survey, prompt="Are you paid for CPD?", choices="Yes\nNo\nNot sure"
        ),
        "role": SurveyQuestionFactory(
            page=survey, prompt="I am", kind=QuestionKind.ROLE, choices=""
        ),
        "region": SurveyQuestionFactory(
            page=survey, prompt="Where do you work?", kind=QuestionKind.REGION, choices=""
        ),
        "story": SurveyQuestionFactory(
            page=survey, prompt="Tell us more", kind=QuestionKind.TEXT, choices=""
        ),
    }


def respond(survey, count, *, answers, role="", region="", text=""):
    """`count` responses, each with `answers` ({question: value or [values]}), their role and
    region on the response (and answered, when the survey asks them), and free text."""
    made = Response.objects.bulk_create(
        [Response(survey=survey, role=role, region=region) for _ in range(count)]
    )
    rows = []
    for response in made:
        for question, value in answers.items():
            if question.kind == QuestionKind.TEXT:
                rows.append(Answer(response=response, question=question, text=value))
                continue
            for one in value if isinstance(value, list) else [value]:
                rows.append(Answer(response=response, question=question, value=one))
    Answer.objects.bulk_create(rows)
    return made


def typical(survey, qs, *, scale=1):
    """Workers in London and service users in Wales, and three carers (a small group)."""
    respond(
        survey,
        14 * scale,
        answers={
            qs["paid"]: "yes",
            qs["role"]: "worker",
            qs["region"]: "london",
            qs["story"]: SECRET,
        },
        role="worker",
        region="london",
    )
    respond(
        survey,
        11 * scale,
        answers={qs["paid"]: "no", qs["role"]: "service-user", qs["region"]: "wales"},
        role="service-user",
        region="wales",
    )
    respond(
        survey,
        3,
        answers={
            qs["paid"]: "not-sure",
            qs["role"]: "carer",
            qs["region"]: "wales",
            qs["story"]: SECRET,
        },
        role="carer",
        region="wales",
    )
