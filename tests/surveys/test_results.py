"""A survey's results from the database (surveys.tallies) and its results page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from surveys.factories import SurveyQuestionFactory
from surveys.models import PublishedQuote
from surveys.questions import QuestionKind
from surveys.tallies import survey_results

from .results_seed import SECRET, closed_survey, questions, respond, typical

pytestmark = pytest.mark.django_db


def test_tallies_count_each_question_by_role_and_region():
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    results = survey_results(survey)
    assert results.responses == 28 and results.shown
    # Free text is not counted, and the role and region questions are not broken down by
    # themselves.
    assert [q.prompt for q in results.questions] == [
        "Are you paid for CPD?",
        "I am",
        "Where do you work?",
    ]
    paid = results.question(qs["paid"].pk)
    assert paid.answered.count == 28
    assert {v: c.count for v, c in paid.counts.items()} == {"yes": 14, "no": 11, "not-sure": 3}
    assert [b.name for b in paid.breakdowns] == ["role", "region"]
    by_role = paid.breakdowns[0]
    assert [g for g, _ in by_role.groups] == ["worker", "service-user", "carer"]
    assert by_role.cells["worker", "yes"].count == 14
    assert by_role.answered["carer"].hidden  # 3 carers
    assert paid.counts["not-sure"].hidden
    assert [b.name for b in results.question(qs["role"].pk).breakdowns] == ["region"]


def test_answers_under_a_category_no_longer_asked_are_not_counted():
    survey = closed_survey()
    question = SurveyQuestionFactory(page=survey, choices="Yes\nNo")
    respond(survey, 12, answers={question: "yes"})
    respond(survey, 2, answers={question: "maybe"})
    result = survey_results(survey).question(question.pk)
    assert result.answered.count == 12


@pytest.mark.parametrize(("people", "shown"), [(9, False), (10, True), (11, True)])
def test_fewer_than_n_people_publishes_nothing(client, people, shown):
    survey = closed_survey()
    question = SurveyQuestionFactory(page=survey)
    respond(survey, people, answers={question: "yes"})
    response = client.get(f"{survey.url}results/")
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Fewer than 10 people answered: results are not shown." in body) is not shown
    assert (f"{people} people answered" in body) is shown


def test_results_are_not_shown_until_the_survey_closes(client):
    survey = closed_survey(closes_at=timezone.now() + datetime.timedelta(days=2))
    question = SurveyQuestionFactory(page=survey)
    respond(survey, 20, answers={question: "yes"})
    response = client.get(f"{survey.url}results/")
    assert response.status_code == 404
    assert "Results appear when the survey closes on" in response.content.decode()
    assert client.get(f"{survey.url}results.csv").status_code == 404
    assert client.get(f"{survey.url}results/{question.pk}.svg").status_code == 404


def test_results_not_published_are_a_404_that_says_so(client):
    survey = closed_survey(publish_results=False)
    response = client.get(f"{survey.url}results/")
    assert response.status_code == 404
    assert "The results of this survey are not published." in response.content.decode()


def test_the_results_page_shows_charts_tables_hidden_cells_and_quotes_never_free_text(client):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    answer = qs["story"].answers.first()
    PublishedQuote.objects.create(
        survey=survey, question=qs["paid"], answer=answer, text="We are never paid for training."
    )
    response = client.get(f"{survey.url}results/")
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body and "Zebedee" not in body
    assert "We are never paid for training." in body
    assert 'role="img"' in body and f'aria-labelledby="chart-{qs["paid"].pk}"' in body
    assert f'id="chart-{qs["paid"].pk}"' in body
    assert '<th scope="row">Yes</th>' in body
    assert ">hidden<" in body
    assert "Hidden: fewer than 10 people, or a number that would let one be worked out." in body
    assert "Download the figures (CSV)" in body
    assert f"results/{qs['paid'].pk}.svg" in body and f"results/{qs['paid'].pk}.png" in body
    # No number below 10 in any table cell except 0.
    for number in re.findall(r"<td>(\d+)</td>", body):
        assert int(number) == 0 or int(number) >= 10
    # Nothing the content security policy would refuse.
    assert not re.search(r"\sstyle=", body.split("<main", 1)[1])
    assert "<script" not in body.split("<main", 1)[1].split("</main>")[0]


def test_a_multiple_choice_question_says_people_could_choose_several(client):
    survey = closed_survey()
    question = SurveyQuestionFactory(page=survey, kind=QuestionKind.MULTIPLE, choices="A\nB")
    respond(survey, 12, answers={question: ["a", "b"]})
    body = client.get(f"{survey.url}results/").content.decode()
    assert "could choose more than one answer" in body


def test_the_results_page_takes_the_same_queries_however_many_answers(
    client, django_assert_max_num_queries
):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    with django_assert_max_num_queries(30) as small:
        assert client.get(f"{survey.url}results/").status_code == 200
    more = SurveyQuestionFactory(page=survey, kind=QuestionKind.AGREEMENT, choices="")
    typical(survey, qs, scale=5)
    respond(survey, 30, answers={more: "agree"}, role="worker", region="london")
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"{survey.url}results/").status_code == 200


def test_the_results_are_cached_for_the_page_s_content(client, django_assert_max_num_queries):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    client.get(f"{survey.url}results/")
    with django_assert_max_num_queries(30) as again:
        client.get(f"{survey.url}results/")
    tables = [q["sql"] for q in again.captured_queries if "surveys_answer" in q["sql"]]
    assert tables == []


def test_a_quote_shows_under_the_written_answer_question_it_answers(client):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    PublishedQuote.objects.create(
        survey=survey,
        question=qs["story"],
        answer=qs["story"].answers.first(),
        text="Unpaid, always.",
    )
    body = client.get(f"{survey.url}results/").content.decode()
    section = body.split(">Tell us more</h2>", 1)[1].split("</section>", 1)[0]
    assert "Unpaid, always." in section and SECRET not in body
    # The question's other written answers are not there, nor the question without a quote.
    assert body.count("Tell us more") == 1


def test_the_page_s_breakdowns_show_each_group_s_figure_named(client):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    body = client.get(f"{survey.url}results/").content.decode()
    breakdown = body.partition("Are you paid for CPD? (by role)</caption>")[2]
    row = re.search(r'<tr><th scope="row">Yes</th>(.*?)</tr>', breakdown).group(1)
    cells = re.findall(r'<td><span class="results__group">([^<]*): </span>(.*?)</td>', row)
    # The carers' column is hidden (three carers), so the 14 workers are too: otherwise the
    # row's total less the others would give the carers' figure.
    assert [(group, figure.strip()) for group, figure in cells][:3] == [
        ("A worker in the service", '<span class="results__hidden">hidden</span>'),
        ("A person who uses services", "0"),
        ("A carer or family member", '<span class="results__hidden">hidden</span>'),
    ]
    assert cells[-1][0] == "All"
