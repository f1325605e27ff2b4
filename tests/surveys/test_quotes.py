"""Picking quotes (surveys.quote_admin): only those who may read a survey's raw responses see
its written answers and choose which to show; the results show only the chosen ones."""

import pytest
from django.urls import reverse

from surveys.factories import SurveyQuestionFactory
from surveys.models import PublishedQuote
from surveys.questions import QuestionKind
from tests.networks.conftest import approved_network, verified_user

from .results_seed import SECRET, closed_survey, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    network = approved_network("Alpha Nurses")
    survey = closed_survey(parent=network)
    paid = SurveyQuestionFactory(page=survey, choices="Yes\nNo")
    story = SurveyQuestionFactory(page=survey, kind=QuestionKind.TEXT, choices="")
    respond(survey, 12, answers={paid: "yes"})
    [response] = respond(survey, 1, answers={paid: "no", story: "Training is never paid."})
    respond(survey, 1, answers={paid: "no", story: SECRET})
    editor = network.editors_group.user_set.get()
    return {"network": network, "survey": survey, "story": story, "editor": editor}


def url(survey):
    return reverse("survey_quotes", kwargs={"page_id": survey.pk})


def test_the_network_s_editor_picks_a_quote_and_only_it_is_published(client, setup):
    survey, story = setup["survey"], setup["story"]
    client.force_login(setup["editor"])
    page = client.get(url(survey))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Training is never paid." in body and SECRET in body
    answer = story.answers.get(text="Training is never paid.")
    response = client.post(url(survey), {"action": "show", "answer": answer.pk})
    assert response.status_code == 302
    quote = PublishedQuote.objects.get()
    assert (quote.text, quote.question, quote.picked_by) == (
        "Training is never paid.",
        story,
        setup["editor"],
    )
    client.post(url(survey), {"action": "show", "answer": answer.pk})
    assert PublishedQuote.objects.count() == 1
    client.logout()
    results = client.get(f"{survey.url}results/").content.decode()
    assert "Training is never paid." in results and SECRET not in results
    client.force_login(setup["editor"])
    client.post(url(survey), {"action": "remove", "quote": quote.pk})
    assert not PublishedQuote.objects.exists()


def test_another_network_s_editor_is_refused(client, setup):
    other = approved_network("Beta Counsellors")
    client.force_login(other.editors_group.user_set.get())
    assert client.get(url(setup["survey"])).status_code == 403
    answer = setup["story"].answers.first()
    assert (
        client.post(url(setup["survey"]), {"action": "show", "answer": answer.pk}).status_code
        == 403
    )
    assert not PublishedQuote.objects.exists()


def test_a_member_who_is_not_an_editor_and_a_visitor_are_refused(client, setup):
    client.force_login(verified_user("someone@example.org"))
    assert client.get(url(setup["survey"])).status_code in (302, 403)
    client.logout()
    assert client.get(url(setup["survey"])).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"action": "publish", "answer": "1"},
        {"action": "show", "answer": "x"},
        {"action": "show", "answer": "99999999999"},
    ],
)
def test_a_bad_request_is_a_400(client, setup, data):
    client.force_login(setup["editor"])
    assert client.post(url(setup["survey"]), data).status_code == 400


def test_an_answer_to_another_survey_or_not_written_is_a_404(client, setup):
    client.force_login(setup["editor"])
    elsewhere = closed_survey(parent=setup["network"])
    own = SurveyQuestionFactory(page=elsewhere, kind=QuestionKind.TEXT, choices="")
    [response] = respond(elsewhere, 1, answers={own: "Elsewhere"})
    counted = setup["survey"].questions.get(kind=QuestionKind.SINGLE).answers.first()
    for answer in (own.answers.get(), counted):
        post = client.post(url(setup["survey"]), {"action": "show", "answer": answer.pk})
        assert post.status_code == 404
    assert client.get(reverse("survey_quotes", kwargs={"page_id": 999999})).status_code == 404


def test_the_survey_s_edit_page_has_a_pick_quotes_button(client, setup):
    client.force_login(setup["editor"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[setup["survey"].pk]))
    assert edit.status_code == 200
    assert url(setup["survey"]) in edit.content.decode()


def test_the_answers_list_takes_the_same_queries_however_many(
    client, setup, django_assert_max_num_queries
):
    client.force_login(setup["editor"])
    with django_assert_max_num_queries(60) as few:
        assert client.get(url(setup["survey"])).status_code == 200
    respond(setup["survey"], 20, answers={setup["story"]: "Another story"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(setup["survey"])).status_code == 200
