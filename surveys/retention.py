"""Retiring answers once a survey's retention period is over (SurveyPage.retire_at): the
responses are deleted, or anonymised (accounts unlinked, free text deleted, counted answers
kept), and the survey is marked so that it is not retired again.

A few queries per survey however many answered it. Each survey is claimed under its row lock,
skipping one another run holds, so two runs at once never retire the same survey together.
"""

from datetime import datetime

from django.db import transaction
from django.db.models.functions import TruncDay
from django.utils import timezone

from .models import Answer, PublishedQuote, Response, RetentionAction, SurveyPage
from .questions import QuestionKind


def surveys_due(*, now: datetime) -> list[int]:
    """Ids of the surveys whose retention period is over and whose answers are not retired."""
    pending = SurveyPage.objects.filter(responses_retired_at__isnull=True, closes_at__lte=now)
    # Only surveys closed within their retention period are pending, a handful: retire_at is
    # worked out here rather than in date arithmetic that each database spells its own way.
    return [
        pk
        for pk, closes_at, days in pending.values_list("pk", "closes_at", "retention_days")
        if SurveyPage(closes_at=closes_at, retention_days=days).retire_at <= now
    ]


def survey_responses_retire(*, survey_id: int, now: datetime) -> bool:
    """Delete or anonymise the survey's responses if they are due; False when they are not, or
    another run holds the survey."""
    with transaction.atomic():
        survey = (
            SurveyPage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=survey_id, responses_retired_at__isnull=True)
            .only("pk", "closes_at", "retention_days", "retention_action")
            .first()
        )
        if survey is None or survey.retire_at > now:
            return False
        responses = Response.objects.filter(survey_id=survey.pk)
        if survey.retention_action == RetentionAction.DELETE:
            # Picked quotes are copies that outlive the answers they came from.
            PublishedQuote.objects.filter(answer__response__survey_id=survey.pk).update(answer=None)
            Answer.objects.filter(response__survey_id=survey.pk).delete()
            responses.delete()
        else:
            _anonymise(survey_id=survey.pk, now=now)
        SurveyPage.objects.filter(pk=survey.pk).update(responses_retired_at=now)
    return True


def _anonymise(*, survey_id: int, now: datetime) -> None:
    answers = Answer.objects.filter(response__survey_id=survey_id)
    free_text = answers.filter(question__kind=QuestionKind.TEXT)
    PublishedQuote.objects.filter(answer__in=free_text).update(answer=None)
    free_text.delete()
    # Free text kept beside a counted answer goes too: only the counted value stays.
    answers.exclude(text="").update(text="")
    # A time to the second, with a role and a region, could point to one person; the day
    # cannot, and the results need no more.
    Response.objects.filter(survey_id=survey_id, anonymised_at__isnull=True).update(
        user=None,
        submitted_at=TruncDay("submitted_at"),
        updated_at=TruncDay("submitted_at"),
        anonymised_at=now,
    )


def responses_retire_due(*, now: datetime | None = None) -> list[int]:
    """Retire every survey due at `now`; the ids of those this run retired."""
    now = now or timezone.now()
    return [pk for pk in surveys_due(now=now) if survey_responses_retire(survey_id=pk, now=now)]
