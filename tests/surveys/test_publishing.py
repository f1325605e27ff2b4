"""A survey's downloads: the CSV of its published figures and each chart as SVG or PNG."""

import csv
import io

import pytest
from PIL import Image

from surveys.factories import SurveyQuestionFactory

from .results_seed import SECRET, closed_survey, questions, typical

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    return survey, qs


def test_the_csv_holds_the_suppressed_figures_only(client, published):
    survey, qs = published
    response = client.get(f"{survey.url}results.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{survey.slug}-results.csv"' in response["Content-Disposition"]
    body = response.content.decode()
    assert SECRET not in body and "Tell us more" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["question", "breakdown", "group", "category", "count"]
    figures = {tuple(row[:4]): row[4] for row in rows[1:]}
    paid = "Are you paid for CPD?"
    assert figures[paid, "all", "all", "Yes"] == "14"
    assert figures[paid, "all", "all", "No"] == "hidden"  # 11, hidden with the 3
    assert figures[paid, "all", "all", "Not sure"] == "hidden"
    assert figures[paid, "all", "all", "answered"] == "28"
    assert figures[paid, "role", "A carer or family member", "answered"] == "hidden"
    for count in figures.values():
        assert count == "hidden" or int(count) == 0 or int(count) >= 10


@pytest.mark.parametrize("image_format", ["svg", "png"])
def test_each_chart_downloads_with_the_same_figures(client, published, image_format):
    survey, qs = published
    response = client.get(f"{survey.url}results/{qs['paid'].pk}.{image_format}")
    assert response.status_code == 200
    if image_format == "svg":
        assert response["Content-Type"].startswith("image/svg+xml")
        body = response.content.decode()
        assert "Are you paid for CPD?" in body and ">14 (50%)<" in body and ">hidden<" in body
        assert ">11" not in body and ">3" not in body
    else:
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.width == 1200


@pytest.mark.parametrize(
    "suffix", ["{pk}.gif", "{pk}.SVG", "{text}.svg", "999999.svg", "{pk}.svg/extra/"]
)
def test_a_chart_that_is_not_there_is_a_404(client, published, suffix):
    survey, qs = published
    path = suffix.format(pk=qs["paid"].pk, text=qs["story"].pk)
    assert client.get(f"{survey.url}results/{path}").status_code == 404


def test_a_chart_of_another_survey_s_question_is_a_404(client, published):
    survey, _ = published
    other = SurveyQuestionFactory(page=closed_survey())
    assert client.get(f"{survey.url}results/{other.pk}.svg").status_code == 404


def test_no_chart_of_a_question_fewer_than_n_answered(client):
    survey = closed_survey()
    qs = questions(survey)
    typical(survey, qs)
    lonely = SurveyQuestionFactory(page=survey)
    from .results_seed import respond

    respond(survey, 4, answers={lonely: "yes"})
    assert client.get(f"{survey.url}results/{lonely.pk}.svg").status_code == 404


def test_downloads_refuse_other_methods(client, published):
    survey, qs = published
    assert client.post(f"{survey.url}results.csv").status_code == 405
