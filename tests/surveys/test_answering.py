"""Answering a survey on its page: each kind of question stored as results count it, consent
and required answers, the honeypot, the rate limit, once per session or per member."""

import datetime
import re

import pytest
from django.utils import timezone

from hub.factories import UserFactory
from networks.factories import NetworkPageFactory
from surveys import services
from surveys.answering import ANSWER_LIMITS
from surveys.factories import SurveyPageFactory, SurveyQuestionFactory
from surveys.forms import field_name
from surveys.models import Answer, Response
from surveys.questions import QuestionKind

from .conftest import answers_for, closed, full_answers

pytestmark = pytest.mark.django_db


def stored(response):
    return sorted(
        (answer.question.kind, answer.value, answer.number, answer.text)
        for answer in response.answers.select_related("question")
    )


def test_the_open_page_shows_who_holds_the_answers_consent_and_the_questions(
    client, survey_with_questions
):
    survey = survey_with_questions
    survey.retention_days = 90
    survey.save()
    page = client.get(survey.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The Free Association hub" in html
    assert "90 days after the survey closes" in html
    assert "only the counted answers are kept" in html
    assert survey.consent in html
    assert 'name="consent"' in html and "(required)" in html
    single, multiple, number, text = (
        field_name(survey.by_kind[kind]) for kind in ("single", "multiple", "number", "text")
    )
    assert f'type="radio" name="{single}"' in html
    assert f'type="checkbox" name="{multiple}"' in html
    assert f'type="number" name="{number}"' in html
    assert f'<textarea name="{text}"' in html
    # Choices are grouped with their question as the legend; the hint describes the input.
    assert html.count("<fieldset") == 5
    assert f'aria-describedby="id_{number}_helptext"' in html
    assert f'id="id_{number}_helptext"' in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert "Send my answers" in html


def test_each_kind_of_answer_is_stored_as_it_is_counted(client, survey_with_questions):
    survey = survey_with_questions
    response = client.post(survey.url, full_answers(survey))
    assert response.status_code == 200, response.content.decode()
    assert "Thank you for answering" in response.content.decode()
    stored_response = Response.objects.get(survey=survey)
    assert stored_response.user is None
    assert (stored_response.role, stored_response.region) == ("worker", "wales")
    assert stored(stored_response) == sorted(
        [
            ("single", "yes", None, ""),
            ("multiple", "caseload", None, ""),
            ("multiple", "targets", None, ""),
            ("agreement", "disagree", None, ""),
            ("number", "5-9", 6, ""),
            ("region", "wales", None, ""),
            ("role", "worker", None, ""),
            ("text", "", None, "Supervision was cut last year."),
        ]
    )


def test_unanswered_optional_questions_and_empty_text_store_nothing(client, survey_with_questions):
    survey = survey_with_questions
    response = client.post(survey.url, answers_for(survey, single="no", text="   "))
    assert response.status_code == 200
    stored_response = Response.objects.get()
    assert stored(stored_response) == [("single", "no", None, "")]
    assert (stored_response.role, stored_response.region) == ("", "")


def test_consent_is_required(client, survey_with_questions):
    survey = survey_with_questions
    data = full_answers(survey)
    del data["consent"]
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert "Tick the box to agree" in response.content.decode()
    assert not Response.objects.exists()


def test_a_required_question_must_be_answered(client, survey_index):
    survey = SurveyPageFactory(parent=survey_index)
    question = SurveyQuestionFactory(page=survey, required=True, kind=QuestionKind.MULTIPLE)
    html = client.get(survey.url).content.decode()
    assert "(required)" in html
    response = client.post(survey.url, {"consent": "on"})
    assert response.status_code == 400
    assert "Choose at least one answer." in response.content.decode()
    assert not Response.objects.exists()
    response = client.post(survey.url, {"consent": "on", field_name(question): ["yes"]})
    assert response.status_code == 200
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "kind,value,message",
    [
        ("single", "maybe", "Choose one of the answers shown."),
        ("multiple", ["caseload", "pay"], "Choose among the answers shown."),
        ("region", "atlantis", "Choose one of the answers shown."),
        ("number", "99999999999999999999", "That number is too large"),
        ("number", "-3", "Enter a number of 0 or more."),
        ("number", "six", "Enter a whole number, in figures."),
        ("text", "x" * 5001, "at most 5000 characters"),
        ("text", "bell\x07", "characters we cannot keep"),
    ],
)
def test_bad_answers_are_refused_with_a_400_and_the_form_s_errors(
    client, survey_with_questions, kind, value, message
):
    survey = survey_with_questions
    response = client.post(survey.url, full_answers(survey, **{kind: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Response.objects.exists()


def test_a_number_outside_every_band_is_a_clear_error(client, survey_index):
    survey = SurveyPageFactory(parent=survey_index)
    question = SurveyQuestionFactory(page=survey, kind=QuestionKind.NUMBER, choices="1-5\n6-10")
    response = client.post(survey.url, {"consent": "on", field_name(question): "11"})
    assert response.status_code == 400
    assert "Enter a number from 1 to 10." in response.content.decode()
    assert not Response.objects.exists()


def test_a_question_of_another_survey_is_refused(client, survey_with_questions):
    survey = survey_with_questions
    other = SurveyQuestionFactory(page=SurveyPageFactory(parent=survey.get_parent()))
    data = {**full_answers(survey), field_name(other): "yes"}
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert "a question this survey does not ask" in response.content.decode()
    assert not Response.objects.exists()


def test_a_honeypot_is_thanked_and_nothing_is_stored(client, survey_with_questions):
    survey = survey_with_questions
    response = client.post(survey.url, {**full_answers(survey), "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Thank you for answering" in response.content.decode()
    assert not Response.objects.exists()


def test_a_browser_answers_an_anonymous_survey_once(client, survey_with_questions):
    survey = survey_with_questions
    assert client.post(survey.url, full_answers(survey)).status_code == 200
    again = client.get(survey.url)
    assert again.status_code == 200
    assert "You have already answered this survey" in again.content.decode()
    assert "Send my answers" not in again.content.decode()
    assert client.post(survey.url, full_answers(survey)).status_code == 409
    assert Response.objects.count() == 1
    # The session remembers it, not the response.
    assert list(client.session["surveys_answered"]) == [survey.pk]
    other = SurveyPageFactory(parent=survey.get_parent())
    assert "Send my answers" in client.get(other.url).content.decode()


def test_no_ip_or_session_is_kept_with_an_anonymous_response(client, survey_with_questions):
    survey = survey_with_questions
    client.post(survey.url, full_answers(survey), REMOTE_ADDR="203.0.113.9")
    values = Response.objects.values().get()
    assert values["user_id"] is None
    assert not any("203.0.113.9" in str(value) for value in values.values())


def test_many_answers_from_one_address_are_rate_limited(client, survey_with_questions):
    survey = survey_with_questions
    _, limit, _ = ANSWER_LIMITS[0]
    for n in range(limit):
        client.cookies.clear()  # a new session each time, as a script would
        response = client.post(survey.url, full_answers(survey), REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200, n
    client.cookies.clear()
    response = client.post(survey.url, full_answers(survey), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many answers from your connection" in response.content.decode()
    assert Response.objects.count() == limit
    # Another address, and the same address on another survey, are not held.
    assert (
        client.post(survey.url, full_answers(survey), REMOTE_ADDR="203.0.113.8").status_code == 200
    )
    other = SurveyPageFactory(parent=survey.get_parent())
    SurveyQuestionFactory(page=other)
    client.cookies.clear()
    assert client.post(other.url, {"consent": "on"}, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_before_it_opens_the_page_says_when(client, survey_with_questions):
    survey = survey_with_questions
    survey.opens_at = timezone.now() + datetime.timedelta(days=3)
    survey.save()
    page = client.get(survey.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "This survey opens on" in html
        and "<form" not in html.split("<main")[-1].split("</main>")[0]
    )
    assert client.post(survey.url, full_answers(survey)).status_code == 409
    assert not Response.objects.exists()


def test_once_closed_the_page_says_so_and_links_to_published_results(client, survey_with_questions):
    survey = closed(survey_with_questions)
    page = client.get(survey.url)
    assert "This survey closed on" in page.content.decode()
    assert "results have not been published" in page.content.decode()
    assert client.post(survey.url, full_answers(survey)).status_code == 409
    assert not Response.objects.exists()
    survey.publish_results = True
    survey.save()
    html = client.get(survey.url).content.decode()
    assert f'href="{survey.url}results/"' in html


def test_closing_between_the_form_and_the_store_is_refused(survey_with_questions):
    survey = closed(survey_with_questions)
    with pytest.raises(services.SurveyNotOpenError):
        services.response_submit(survey=survey, cleaned={})
    assert not Response.objects.exists()


# Surveys that need an account


@pytest.fixture
def account_survey(survey_with_questions):
    survey_with_questions.needs_account = True
    survey_with_questions.save()
    return survey_with_questions


def test_an_account_survey_sends_visitors_to_sign_in_first(client, account_survey):
    for response in (client.get(account_survey.url), client.post(account_survey.url, {})):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert f"next={account_survey.url}" in response.url.replace("%2F", "/")
    assert not Response.objects.exists()


def test_a_member_answers_once_and_can_change_their_answers_until_it_closes(client, account_survey):
    survey = account_survey
    member = UserFactory()
    client.force_login(member)
    assert client.post(survey.url, full_answers(survey)).status_code == 200
    first = Response.objects.get()
    assert first.user == member

    html = client.get(survey.url).content.decode()
    assert "Update your answers" in html
    # Their answers are filled in.
    number = field_name(survey.by_kind["number"])
    assert f'name="{number}" value="6"' in html
    assert f'value="wales" id="id_{field_name(survey.by_kind["region"])}_10" checked' in html

    response = client.post(survey.url, full_answers(survey, role="carer", number="12", text=""))
    assert response.status_code == 200
    assert "Your answers are updated" in response.content.decode()
    assert Response.objects.count() == 1
    changed = Response.objects.get()
    assert (changed.pk, changed.role) == (first.pk, "carer")
    assert changed.updated_at > changed.submitted_at
    assert Answer.objects.filter(
        response=changed, question=survey.by_kind["number"]
    ).get().value == ("10-plus")
    assert not Answer.objects.filter(question=survey.by_kind["text"]).exists()

    # Another member answers on their own.
    client.force_login(UserFactory())
    assert client.post(survey.url, full_answers(survey)).status_code == 200
    assert Response.objects.count() == 2


def test_after_it_closes_a_member_sees_when_they_answered_read_only(client, account_survey):
    member = UserFactory()
    client.force_login(member)
    client.post(account_survey.url, full_answers(account_survey))
    survey = closed(account_survey)
    html = client.get(survey.url).content.decode()
    assert "You answered on" in html and "You can no longer change them" in html
    assert "Update your answers" not in html
    response = client.post(survey.url, full_answers(survey, role="carer"))
    assert response.status_code == 409
    assert Response.objects.get().role == "worker"


def test_account_responses_are_not_held_by_the_session_or_the_rate_limit(client, account_survey):
    client.force_login(UserFactory())
    _, limit, _ = ANSWER_LIMITS[0]
    for _ in range(limit + 1):
        assert client.post(account_survey.url, full_answers(account_survey)).status_code == 200
    assert Response.objects.count() == 1


# /surveys/


def test_the_index_lists_open_surveys_and_published_results_from_the_hub_and_networks(
    client, survey_index
):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    hub_open = SurveyPageFactory(parent=survey_index, title="Hub open", closes_at=now + 9 * day)
    network = NetworkPageFactory(title="Harbour workers")
    network_open = SurveyPageFactory(parent=network, title="Harbour open", closes_at=now + day)
    published = SurveyPageFactory(
        parent=network, title="Harbour results", opens_at=now - 9 * day, closes_at=now - day,
        publish_results=True,
    )  # fmt: skip
    SurveyPageFactory(parent=survey_index, title="Closed unpublished", closes_at=now - day,
                      opens_at=now - 9 * day)  # fmt: skip
    SurveyPageFactory(parent=survey_index, title="Not open yet", opens_at=now + day)
    draft = SurveyPageFactory(parent=survey_index, title="A draft")
    draft.unpublish()

    html = client.get(survey_index.url).content.decode()
    listed = re.findall(r'card__title"><a href="[^"]*">([^<]*)<', html)
    assert listed == ["Harbour open", "Hub open", "Harbour results"]
    assert "Harbour workers" in html
    assert f'href="{published.url}results/"' in html
    assert f'href="{network_open.url}"' in html and f'href="{hub_open.url}"' in html


def test_the_index_says_when_there_is_nothing_to_list(client, survey_index):
    response = client.get(survey_index.url)
    assert response.status_code == 200
    assert "No surveys open" in response.content.decode()


def test_the_index_shows_twelve_a_page_in_flat_queries(
    client, survey_index, django_assert_max_num_queries
):
    networks = [NetworkPageFactory() for _ in range(3)]
    for n in range(13):
        SurveyPageFactory(parent=networks[n % 3] if n % 2 else survey_index)
    client.get(survey_index.url)  # warm the site's caches
    with django_assert_max_num_queries(12) as few:
        first = client.get(survey_index.url)
    budget = len(few.captured_queries)  # read now: the next request resets the log
    html = first.content.decode()
    assert html.count('class="card survey-card"') == 12
    assert "Page 1 of 2" in html
    for _ in range(24):
        SurveyPageFactory(parent=networks[0])
    client.get(survey_index.url)
    with django_assert_max_num_queries(budget):
        client.get(survey_index.url)
    last = client.get(survey_index.url, {"page": "4"})
    assert last.content.decode().count('class="card survey-card"') == 1
    assert client.get(survey_index.url, {"page": "nonsense"}).status_code == 200


def test_head_is_answered_and_other_methods_refused(client, survey_with_questions):
    assert client.head(survey_with_questions.url).status_code == 200
    assert client.put(survey_with_questions.url).status_code == 405
