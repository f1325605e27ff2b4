import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.factories import UserFactory
from surveys import retention, tasks
from surveys.factories import (
    AnswerFactory,
    ResponseFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.models import Answer, PublishedQuote, Response, RetentionAction, SurveyPage
from surveys.questions import QuestionKind

pytestmark = pytest.mark.django_db


def closed_survey(*, action=RetentionAction.ANONYMISE, days=30, closed=40, responses=3):
    """A survey that closed `closed` days ago and keeps answers `days`, with `responses`
    answers of each kind: a counted one, a number, and free text (each one's text is unique)."""
    closes = timezone.now() - dt.timedelta(days=closed)
    survey = SurveyPageFactory(
        opens_at=closes - dt.timedelta(days=20), closes_at=closes,
        retention_days=days, retention_action=action,
    )  # fmt: skip
    choice = SurveyQuestionFactory(page=survey)
    hours = SurveyQuestionFactory(page=survey, kind=QuestionKind.NUMBER, choices="0-4\n5+")
    text = SurveyQuestionFactory(page=survey, kind=QuestionKind.TEXT, choices="")
    for number in range(responses):
        response = ResponseFactory(
            survey=survey, user=UserFactory(), role="worker", region="london"
        )
        AnswerFactory(response=response, question=choice, value="yes")
        AnswerFactory(response=response, question=hours, value="5-plus", number=7)
        AnswerFactory(response=response, question=text, text=f"Free text {survey.pk}-{number}")
    return survey


def quote_from(survey):
    answer = Answer.objects.filter(response__survey=survey).exclude(text="").first()
    return PublishedQuote.objects.create(
        survey=survey, question=answer.question, answer=answer, text=answer.text
    )


def test_nothing_is_retired_one_second_before_and_everything_one_second_after():
    survey = closed_survey(action=RetentionAction.DELETE)
    assert retention.responses_retire_due(now=survey.retire_at - dt.timedelta(seconds=1)) == []
    assert Response.objects.filter(survey=survey).count() == 3
    assert retention.responses_retire_due(now=survey.retire_at + dt.timedelta(seconds=1)) == [
        survey.pk
    ]
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question__page=survey).exists()


def test_delete_keeps_the_picked_quotes_and_marks_the_survey():
    survey = closed_survey(action=RetentionAction.DELETE)
    quote = quote_from(survey)
    now = timezone.now()
    retention.responses_retire_due(now=now)
    quote.refresh_from_db()
    assert quote.answer is None and quote.text.startswith("Free text")
    assert SurveyPage.objects.get(pk=survey.pk).responses_retired_at == now


def test_anonymise_keeps_the_counted_answers_and_drops_accounts_and_free_text():
    survey = closed_survey()
    other = closed_survey(days=60)  # not due yet: untouched
    quote = quote_from(survey)
    now = timezone.now()
    assert retention.responses_retire_due(now=now) == [survey.pk]

    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 3
    assert not responses.filter(user__isnull=False).exists()
    assert set(responses.values_list("anonymised_at", flat=True)) == {now}
    # Times to the second are cut to the day.
    assert all(r.submitted_at == r.submitted_at.replace(hour=0, minute=0, second=0,
               microsecond=0) for r in responses)  # fmt: skip
    assert set(responses.values_list("role", "region")) == {("worker", "london")}
    kept = Answer.objects.filter(response__survey=survey)
    assert sorted(kept.values_list("value", "number", "text")) == [
        ("5-plus", 7, ""), ("5-plus", 7, ""), ("5-plus", 7, ""),
        ("yes", None, ""), ("yes", None, ""), ("yes", None, ""),
    ]  # fmt: skip
    quote.refresh_from_db()
    assert quote.answer is None and quote.text.startswith("Free text")
    assert Response.objects.filter(survey=other, user__isnull=False).count() == 3
    assert Answer.objects.filter(response__survey=other).exclude(text="").count() == 3


def test_a_second_run_changes_nothing():
    survey = closed_survey()
    first = timezone.now()
    retention.responses_retire_due(now=first)
    assert retention.responses_retire_due(now=first + dt.timedelta(days=1)) == []
    assert set(Response.objects.filter(survey=survey).values_list("anonymised_at", flat=True)) == {
        first
    }
    assert SurveyPage.objects.get(pk=survey.pk).responses_retired_at == first


def test_a_survey_already_claimed_is_not_retired_again():
    survey = closed_survey(action=RetentionAction.DELETE)
    SurveyPage.objects.filter(pk=survey.pk).update(responses_retired_at=timezone.now())
    # The list was read before the other run marked it: the claim under the lock refuses.
    assert not retention.survey_responses_retire(survey_id=survey.pk, now=timezone.now())
    assert Response.objects.filter(survey=survey).count() == 3


@pytest.mark.parametrize("action", list(RetentionAction))
def test_the_queries_do_not_grow_with_the_responses(action):
    small, large = (
        closed_survey(action=action, responses=2),
        closed_survey(action=action, responses=25),
    )
    counts = []
    for survey in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert retention.survey_responses_retire(survey_id=survey.pk, now=timezone.now())
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_the_beat_runs_the_task_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["retire-survey-responses"]
    module, name = entry["task"].rsplit(".", 1)
    assert module == "surveys.tasks"
    assert getattr(tasks, name).name == entry["task"]
    assert entry["schedule"].remaining_estimate(timezone.now()) <= dt.timedelta(days=1)
    survey = closed_survey()
    assert getattr(tasks, name).delay().get() == [survey.pk]
