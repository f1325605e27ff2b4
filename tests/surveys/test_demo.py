"""The demo's surveys: a closed one with published results by a network (about 650 responses,
a few small cells, picked quotes), a second network's sharing bank questions, an open
anonymous one from the hub, and results pooled across the two networks under /surveys/."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.models import Topic
from networks.factories import NetworkPageFactory
from surveys.demo import seed_surveys
from surveys.models import (
    Answer,
    BankQuestion,
    PooledResultsPage,
    PublishedQuote,
    Response,
    SurveyIndexPage,
    SurveyPage,
)
from surveys.questions import QuestionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    for title in ("Union of Talking Therapy Workers", "Northern Counsellors' Alliance"):
        NetworkPageFactory(title=title)
    Topic.objects.get_or_create(slug="workforce-pay-and-conditions", defaults={"name": "Work"})
    with CaptureQueriesContext(connection) as queries:
        summary = seed_surveys()
    return summary, [query["sql"] for query in queries.captured_queries]


def test_the_demo_seeds_its_surveys_in_bulk_and_again_adds_nothing(seeded):
    summary, queries = seeded
    assert summary == {"surveys": 3, "survey responses": Response.objects.count()}
    # In bulk: a few inserts for the ~900 responses and their thousands of answers.
    bulk = ('INSERT INTO "surveys_response"', 'INSERT INTO "surveys_answer"')
    inserts = [sql for sql in queries if sql.startswith(bulk)]
    assert Answer.objects.count() > 3000 and len(inserts) <= 12
    counts = (BankQuestion.objects.count(), Response.objects.count(), Answer.objects.count())
    assert seed_surveys() == summary
    assert (BankQuestion.objects.count(), Response.objects.count(), Answer.objects.count()) == (
        counts
    )
    assert PooledResultsPage.objects.count() == 1 and SurveyIndexPage.objects.count() == 1


def test_a_networks_closed_survey_has_published_results_small_cells_and_quotes(seeded):
    now = timezone.now()
    survey = SurveyPage.objects.get(slug="talking-therapy-workers-survey-2026")
    assert survey.network.title == "Union of Talking Therapy Workers"
    assert survey.live and survey.publish_results and not survey.is_open()
    assert 600 <= survey.responses.count() <= 700
    assert (survey.retire_at - now).days > 5 * 365, "retention is far off"
    cells = survey.responses.values("role", "region").annotate(n=Count("pk"))
    assert any(0 < cell["n"] < survey.min_cell_size for cell in cells)
    assert any(cell["n"] >= survey.min_cell_size for cell in cells)
    quotes = list(PublishedQuote.objects.filter(survey=survey).select_related("answer"))
    assert len(quotes) >= 3 and all(q.answer.text == q.text for q in quotes)
    # Each response's role and region are its answers to those questions.
    for kind, field in ((QuestionKind.ROLE, "role"), (QuestionKind.REGION, "region")):
        answers = dict(
            Answer.objects.filter(response__survey=survey, question__kind=kind).values_list(
                "response_id", "value"
            )
        )
        assert answers == dict(survey.responses.values_list("pk", field))
    bands = Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.NUMBER)
    assert all(a.value == a.question.band_of(a.number) for a in bands.select_related("question"))


def test_a_second_network_shares_bank_questions_and_pools_with_it(seeded):
    first = SurveyPage.objects.get(slug="talking-therapy-workers-survey-2026")
    second = SurveyPage.objects.get(slug="counsellors-working-hours")
    assert second.network_id not in (None, first.network_id)
    assert second.publish_results and not second.is_open()
    shared = set(first.questions.values_list("bank_question", flat=True)) & set(
        second.questions.values_list("bank_question", flat=True)
    )
    assert len(shared - {None}) >= 3
    pooled = PooledResultsPage.objects.get()
    assert pooled.title == "Pooled: unpaid work across two networks"
    assert pooled.get_parent().specific_class is SurveyIndexPage
    assert pooled.url_path.endswith("/surveys/unpaid-work-across-two-networks/")
    assert {p.survey_id for p in pooled.pooled_surveys.all()} == {first.pk, second.pk}
    assert (first.share_in_pools, second.share_in_pools) == (True, False)


def test_the_hub_has_an_open_anonymous_survey_under_surveys(seeded):
    survey = SurveyPage.objects.get(slug="waiting-for-therapy")
    assert survey.network_id is None and survey.is_open() and not survey.needs_account
    assert survey.url_path.endswith("/surveys/waiting-for-therapy/")
    assert not survey.responses.filter(user__isnull=False).exists()
    assert not survey.publish_results
