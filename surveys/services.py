"""Writes that span a survey's models: storing a response and its answers.

The page's route (surveys.models) hands over to surveys.answering, which calls this module: so
it reaches the models through the survey's relations instead of importing them."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .questions import QuestionKind


class SurveyNotOpenError(ValidationError):
    def __init__(self):
        super().__init__("This survey is not open for answers.", code="not_open")


@dataclass(frozen=True)
class Submitted:
    response: object  # a surveys.models.Response
    created: bool


def _answer_rows(questions, cleaned: dict, *, answer_model) -> tuple[list, dict]:
    rows, copied = [], {"role": "", "region": ""}
    for question in questions:
        value = cleaned.get(question.pk)
        if value in (None, "", []):
            continue
        if question.kind == QuestionKind.MULTIPLE:
            rows += [answer_model(question=question, value=choice) for choice in value]
        elif question.kind == QuestionKind.NUMBER:
            band = question.band_of(value)
            if band is None:
                raise ValidationError(f"{value} falls in none of the question's bands.")
            rows.append(answer_model(question=question, number=value, value=band))
        elif question.kind == QuestionKind.TEXT:
            if value.strip():
                rows.append(answer_model(question=question, text=value))
        else:
            rows.append(answer_model(question=question, value=value))
            # The first role and region question of the survey give the breakdowns.
            field = {QuestionKind.ROLE: "role", QuestionKind.REGION: "region"}.get(question.kind)
            if field and not copied[field]:
                copied[field] = value
    return rows, copied


def response_submit(*, survey, cleaned: dict, user=None) -> Submitted:
    """Store one response to `survey` from `cleaned`, the answers by question id
    (surveys.forms.SurveyForm.answers()). With a `user` (a survey that needs an account) their
    one response is replaced, however many submissions arrive at once."""
    now = timezone.now()
    if not survey.is_open(now):
        raise SurveyNotOpenError()
    responses = survey.responses
    questions = list(survey.questions.all())
    rows, copied = _answer_rows(
        questions, cleaned, answer_model=responses.model.answers.rel.related_model
    )
    with transaction.atomic():
        response, created = None, True
        if user is not None:
            response = responses.select_for_update().filter(user=user).first()
        if response is None:
            try:
                with transaction.atomic():
                    response = responses.create(
                        user=user, submitted_at=now, updated_at=now, **copied
                    )
            except IntegrityError:
                if user is None:
                    raise
                # Another submission by the same member made it first: this one updates it.
                response = responses.select_for_update().get(user=user)
                created = False
        else:
            created = False
        if not created:
            response.answers.all().delete()
            response.role, response.region, response.updated_at = (
                copied["role"],
                copied["region"],
                now,
            )
            response.save(update_fields=["role", "region", "updated_at"])
        for row in rows:
            row.response = response
        response.answers.bulk_create(rows)
    return Submitted(response=response, created=created)
