"""A member finds the surveys they answered with their account on their home, and deletes their
answers there: asked first, then a POST with the CSRF token; nobody else's."""

import pytest
from django.test import Client
from django.urls import reverse

from hub.factories import UserFactory
from surveys.factories import (
    AnswerFactory,
    ResponseFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.models import Answer, PublishedQuote, Response
from surveys.questions import QuestionKind

pytestmark = pytest.mark.django_db

HOME = "/account/"


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def answered(user, *, title="Working hours survey"):
    survey = SurveyPageFactory(title=title, needs_account=True)
    text = SurveyQuestionFactory(page=survey, kind=QuestionKind.TEXT, choices="")
    counted = SurveyQuestionFactory(page=survey)
    response = ResponseFactory(survey=survey, user=user)
    AnswerFactory(response=response, question=counted, value="yes")
    quoted = AnswerFactory(response=response, question=text, text="Words worth quoting")
    PublishedQuote.objects.create(survey=survey, answer=quoted, text=quoted.text)
    return response


def test_the_home_lists_the_members_own_responses_with_a_way_to_delete_them():
    member = UserFactory()
    mine = answered(member)
    answered(UserFactory(), title="Someone else's survey")
    ResponseFactory(survey=SurveyPageFactory(title="An anonymous one"))
    page = signed_in(member).get(HOME).content.decode()
    assert "Surveys you answered" in page and "Working hours survey" in page
    assert mine.survey.url in page
    assert reverse("surveys:response_delete", args=[mine.pk]) in page
    assert "Someone else&#x27;s survey" not in page and "An anonymous one" not in page
    assert "not linked to you" in page


def test_a_member_with_no_responses_is_told_what_would_show():
    page = signed_in(UserFactory()).get(HOME).content.decode()
    assert "You have not answered a survey with your account" in page


def test_deleting_asks_first_then_deletes_the_response_and_its_answers_but_not_the_quote():
    member = UserFactory()
    response = answered(member)
    url = reverse("surveys:response_delete", args=[response.pk])
    client = signed_in(member, enforce_csrf_checks=True)
    ask = client.get(url)
    assert ask.status_code == 200
    html = ask.content.decode()
    assert "Working hours survey" in html and "cannot be undone" in html
    assert Response.objects.filter(pk=response.pk).exists(), "asking deletes nothing"

    assert client.post(url).status_code == 403, "a POST without the CSRF token is refused"
    token = client.cookies["csrftoken"].value
    done = client.post(url, {"csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done["Location"] == f"{HOME}#surveys"
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not Answer.objects.filter(response_id=response.pk).exists()
    quote = PublishedQuote.objects.get()
    assert quote.text == "Words worth quoting" and quote.answer is None
    assert "are deleted" in client.get(HOME).content.decode()


def test_another_members_response_is_not_found():
    response = answered(UserFactory())
    client = signed_in(UserFactory())
    url = reverse("surveys:response_delete", args=[response.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Response.objects.filter(pk=response.pk).exists()


def test_an_anonymous_response_belongs_to_nobody_to_delete():
    response = ResponseFactory()
    assert (
        signed_in(UserFactory())
        .post(reverse("surveys:response_delete", args=[response.pk]))
        .status_code
        == 404
    )


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = answered(UserFactory())
    url = reverse("surveys:response_delete", args=[response.pk])
    assert client.post(url).status_code == 302
    assert Response.objects.filter(pk=response.pk).exists()


def test_other_methods_are_refused():
    member = UserFactory()
    response = answered(member)
    url = reverse("surveys:response_delete", args=[response.pk])
    assert signed_in(member).put(url).status_code == 405
