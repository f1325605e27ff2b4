"""Counts from the database, in a fixed number of queries whatever the number of responses or
questions: one grouped count of answers and one of the people who answered, each split by the
role and region on their response, which every table is summed from."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Count, Q

from hub.regions import REGIONS
from hub.roles import Role

from .questions import QuestionKind
from .results import NOT_SAID, Counts, QuestionResult, effective_min_size, question_result

ROLE_GROUPS = [*Role.choices, NOT_SAID]
REGION_GROUPS = [*[(slug, name) for _, slug, name in REGIONS], NOT_SAID]


@dataclass
class SurveyResults:
    min_size: int
    responses: int
    questions: list[QuestionResult] = field(default_factory=list)
    # Every question as (id, prompt, counted), in the survey's order: quotes go under theirs.
    order: list[tuple[int, str, bool]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """False when fewer than N people answered the survey: nothing is published."""
        return self.responses >= self.min_size

    def question(self, question_id: int) -> QuestionResult | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def _known_values(known: dict[int, list[str]]) -> Q:
    # Only answers under a category the question still has are counted, so every table adds
    # up: a value from before an edit of the choices would be a count nobody can see.
    return reduce(
        or_, (Q(question_id=pk, value__in=values) for pk, values in known.items()), Q(pk=None)
    )


def in_groups(groups):
    """A response's value as one of `groups`, or as "did not say"."""
    known = {value for value, _ in groups}
    return lambda value: value if value in known else NOT_SAID[0]


def tally(known: dict[int, list[str]], *, extra_filter: Q, key, breakdowns) -> dict:
    """Counts of the answers to the questions in `known` (question id: the values counted),
    as {key(row): Counts}. `breakdowns` are (name, field of Response, its value to a group)."""
    answers = apps.get_model("surveys", "Answer").objects.filter(_known_values(known), extra_filter)
    fields = [f"response__{through}" for _, through, _ in breakdowns]
    counted = answers.values("question_id", "value", *fields).annotate(n=Count("pk"))
    people = answers.values("question_id", *fields).annotate(n=Count("response_id", distinct=True))
    counts = defaultdict(lambda: Counts(counts=defaultdict(int), answered=0))
    for row in counted:
        entry = counts[key(row)]
        entry.counts[row["value"]] += row["n"]
        for name, through, to_group in breakdowns:
            by_group = entry.by_group.setdefault(name, defaultdict(int))
            by_group[to_group(row[f"response__{through}"]), row["value"]] += row["n"]
    for row in people:
        entry = counts[key(row)]
        entry.answered += row["n"]
        for name, through, to_group in breakdowns:
            answered = entry.answered_by_group.setdefault(name, defaultdict(int))
            answered[to_group(row[f"response__{through}"])] += row["n"]
    return counts


def survey_results(survey) -> SurveyResults:
    """Every counted question's suppressed tables, in four queries."""
    asked = list(survey.questions.all())
    questions = [q for q in asked if q.is_counted]
    results = SurveyResults(
        min_size=effective_min_size(survey.min_cell_size),
        responses=survey.responses.count(),
        order=[(q.pk, q.prompt, q.is_counted) for q in asked],
    )
    if not results.shown or not questions:
        return results
    kinds = {q.kind for q in questions}
    breakdowns = []
    if QuestionKind.ROLE in kinds:
        breakdowns.append(("role", "By role", ROLE_GROUPS))
    if QuestionKind.REGION in kinds:
        breakdowns.append(("region", "By region", REGION_GROUPS))
    counts = tally(
        {q.pk: [value for value, _ in q.categories()] for q in questions},
        extra_filter=Q(response__survey=survey),
        key=lambda row: row["question_id"],
        breakdowns=[(name, name, in_groups(groups)) for name, _, groups in breakdowns],
    )
    for q in questions:
        results.questions.append(
            question_result(
                question_id=q.pk,
                prompt=q.prompt,
                kind=q.kind,
                categories=q.categories(),
                counts=counts.get(q.pk, Counts(counts={}, answered=0)),
                # A question is not broken down by itself (its table would be its diagonal).
                breakdowns=[
                    (name, label, groups)
                    for name, label, groups in breakdowns
                    if q.kind != {"role": QuestionKind.ROLE, "region": QuestionKind.REGION}[name]
                ],
                min_size=results.min_size,
            )
        )
    return results
