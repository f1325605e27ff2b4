"""Pooled results: the bank questions several networks' surveys share, counted across them.

Only published, closed surveys count. The totals take every one of them; a network's own column
is shown only for a survey whose editor ticked `share_in_pools`. The surveys that did not share
are one "other networks" column when there are at least two of them; when exactly one did not,
its column would be the total less the shown ones, so no network columns are shown at all.
Columns are groups like a survey's roles: a small one is hidden, and every row and the margin
are additive lines (surveys.results).

Each survey's own results are published too, so a pooled total less the other surveys' own
figures would give a survey's count that its own page hides. So where a survey's own page hides
a count (below its N, or the whole question or survey), the pooled total of that category is
hidden too unless at least two such hidden counts add up to at least N (the own pages'
complementary cells are not followed: they hide more, which only widens what is unknown).

Each survey counts once per person who answered it; someone who answered two pooled surveys
is counted in both, which the note of method says.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from hub.cache import cached

from .results import Cell, Counts, QuestionResult, effective_min_size, question_result
from .tallies import tally

OTHER_NETWORKS = ("other", "Other networks")


@dataclass
class PooledSurveyNote:
    title: str
    url: str
    network: str
    opens_at: object
    closes_at: object
    responses: Cell
    shares: bool


@dataclass
class PooledResults:
    min_size: int
    surveys: list[PooledSurveyNote] = field(default_factory=list)
    # (bank question slug, its suppressed tables)
    questions: list[tuple[str, QuestionResult]] = field(default_factory=list)
    network_columns: bool = False
    other_column: bool = False

    @property
    def responses(self) -> int:
        return sum(note.responses.count for note in self.surveys)


def pooled_surveys(page, moment=None):
    """The page's surveys whose results are published and closed, in the editor's order."""
    moment = moment or timezone.now()
    return [
        pooled.survey
        for pooled in page.pooled_surveys.select_related("survey__network").order_by(
            "sort_order", "pk"
        )
        if pooled.survey.live
        and pooled.survey.publish_results
        and pooled.survey.closes_at <= moment
    ]


def _network_name(survey) -> str:
    return survey.network.title if survey.network_id else "Free Association hub"


def columns(surveys) -> tuple[list[tuple[str, str]], dict[int, str], bool]:
    """The network columns, each survey's column (None: counted only in the totals), and
    whether there is an "other networks" column."""
    sharing = [s for s in surveys if s.share_in_pools]
    others = [s for s in surveys if not s.share_in_pools]
    if len(others) == 1:
        return [], {}, False
    names = [_network_name(s) for s in sharing]
    groups = [
        (str(s.pk), name if names.count(name) == 1 else f"{name}: {s.title}")
        for s, name in zip(sharing, names, strict=True)
    ]
    of_survey = {s.pk: str(s.pk) for s in sharing}
    if others:
        groups.append(OTHER_NETWORKS)
        of_survey.update({s.pk: OTHER_NETWORKS[0] for s in others})
    return groups, of_survey, bool(others)


def build_pooled_results(page) -> PooledResults:
    surveys = pooled_surveys(page)
    min_size = effective_min_size(
        max([page.min_cell_size, *[s.min_cell_size for s in surveys]], default=0)
    )
    pooled = PooledResults(min_size=min_size)
    if not surveys:
        return pooled
    by_survey = dict(
        apps.get_model("surveys", "Response")
        .objects.filter(survey__in=surveys)
        .values_list("survey_id")
        .annotate(n=Count("pk"))
    )
    groups, of_survey, pooled.other_column = columns(surveys)
    pooled.network_columns = bool(groups)
    for survey in surveys:
        responses = Cell(by_survey.get(survey.pk, 0))
        responses.hidden = 0 < responses.count < min_size
        pooled.surveys.append(
            PooledSurveyNote(
                title=survey.title,
                url=survey.url,
                network=_network_name(survey),
                opens_at=survey.opens_at,
                closes_at=survey.closes_at,
                responses=responses,
                shares=survey.share_in_pools,
            )
        )
    chosen = list(page.bank_questions.all())
    asked = (
        apps.get_model("surveys", "SurveyQuestion")
        .objects.filter(page__in=surveys, bank_question__isnull=False)
        .select_related("bank_question")
    )
    if chosen:
        asked = asked.filter(bank_question__in=chosen)
    banks, asked_in = {}, defaultdict(set)
    bank_of = {}
    for question in asked:
        banks[question.bank_question_id] = question.bank_question
        asked_in[question.bank_question_id].add(question.page_id)
        bank_of[question.pk] = question.bank_question_id
    # Without a choice, a bank question is pooled when at least two of the surveys asked it.
    pooled_banks = [
        bank
        for pk, bank in sorted(banks.items(), key=lambda item: item[1].prompt)
        if bank.is_counted and (chosen or len(asked_in[pk]) >= 2)
    ]
    categories = {bank.pk: bank.categories() for bank in pooled_banks}
    known = {
        question_pk: [value for value, _ in categories[bank_pk]]
        for question_pk, bank_pk in bank_of.items()
        if bank_pk in categories
    }
    counts = tally(
        known,
        extra_filter=Q(response__survey__in=surveys),
        key=lambda row: bank_of[row["question_id"]],
        breakdowns=[
            ("network", "survey", lambda survey_id: of_survey.get(survey_id, "")),
            ("survey", "survey", lambda survey_id: survey_id),
        ],
    )
    for bank in pooled_banks:
        pooled.questions.append(
            (
                bank.slug,
                question_result(
                    question_id=bank.pk,
                    prompt=bank.prompt,
                    kind=bank.kind,
                    categories=categories[bank.pk],
                    counts=counts.get(bank.pk, Counts(counts={}, answered=0)),
                    breakdowns=[("network", "By network", groups)] if groups else [],
                    min_size=min_size,
                    hide=_hidden_elsewhere(
                        counts.get(bank.pk), categories[bank.pk], surveys, by_survey, min_size
                    ),
                ),
            )
        )
    return pooled


def _hidden_elsewhere(counts, categories, surveys, responses, min_size) -> frozenset[str]:
    """The categories whose pooled total would give away a count a survey's own page hides."""
    if counts is None:
        return frozenset()
    by_survey = counts.by_group.get("survey", {})
    answered = counts.answered_by_group.get("survey", {})
    hide = set()
    for value, _ in categories:
        hidden = []
        for survey in surveys:
            own = effective_min_size(survey.min_cell_size)
            count = by_survey.get((survey.pk, value), 0)
            whole = responses.get(survey.pk, 0) < own or 0 < answered.get(survey.pk, 0) < own
            if count and (whole or count < own):
                hidden.append(count)
        if hidden and (len(hidden) < 2 or sum(hidden) < min_size):
            hide.add(value)
    return frozenset(hide)


def pooled_results_for(page) -> PooledResults:
    return cached(f"pooled-results:{page.pk}", lambda: build_pooled_results(page))
