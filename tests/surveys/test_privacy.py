"""No raw response or free text is reachable from any public URL, feed or API, nor by anyone
surveys.access does not name: a visitor, another member, the responder themselves (only their
own survey's title), the admin's search."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from config.api import api_router
from digests.factories import MemberPreferencesFactory
from hub.factories import TopicFactory, UserFactory
from hub.moderators import MODERATORS_GROUP
from networks.factories import NetworkPageFactory
from surveys.access import may_read_raw, surveys_raw_readable
from surveys.factories import (
    AnswerFactory,
    ResponseFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.models import PublishedQuote, SurveyPage
from surveys.questions import QuestionKind
from tests.networks.conftest import approved_network

pytestmark = pytest.mark.django_db

# Searched for by its first word; a search shows that word back, so the rest is looked for.
SEARCHED, SECRET = "Xylophone", "Xylophone-secret burnout words"
REST = "secret burnout words"
PICKED = "Words an editor chose to publish"


@pytest.fixture
def site():
    topic = TopicFactory()
    network = NetworkPageFactory()
    closed = SurveyPageFactory(parent=network, publish_results=True, title="Closed survey")
    open_ = SurveyPageFactory(title="Open survey")
    responder = UserFactory()
    for survey in (closed, open_):
        survey.topics.set([topic])
        survey.save_revision().publish()
        text = SurveyQuestionFactory(page=survey, kind=QuestionKind.TEXT, choices="")
        counted = SurveyQuestionFactory(page=survey, kind=QuestionKind.ROLE, choices="")
        for n in range(12):
            response = ResponseFactory(
                survey=survey, role="worker", user=responder if n == 0 else None
            )
            AnswerFactory(response=response, question=counted, value="worker")
            AnswerFactory(response=response, question=text, text=f"{SECRET} {n}")
    picked = AnswerFactory(response=closed.responses.first(), question=text, text=PICKED)
    PublishedQuote.objects.create(survey=closed, answer=picked, text=PICKED)
    MemberPreferencesFactory(user=responder, topics=[topic])
    return {"surveys": [closed, open_], "topic": topic, "responder": responder}


def survey_urls(survey) -> list[str]:
    """The page, each route without an argument, and each question's chart in each format."""
    urls = [survey.url]
    for route in type(survey).get_subpage_urls():
        if "<" not in str(route.pattern):
            urls.append(survey.url + survey.reverse_subpage(route.name).lstrip("/"))
    for question, image in itertools.product(survey.questions.all(), ("svg", "png", "csv")):
        urls.append(
            survey.url
            + survey.reverse_subpage(
                "results_chart", kwargs={"question_id": question.pk, "image_format": image}
            )
        )
    return urls


def bodies(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response) if response.streaming else response.content
        found[url] = body.decode(errors="replace")
    return found


def test_no_public_url_shows_a_raw_answer_or_free_text(site):
    urls = [url for survey in site["surveys"] for url in survey_urls(survey)]
    urls += [
        site["topic"].get_absolute_url(), "/sitemap.xml", f"/search/?query={SEARCHED}",
        "/topics/", "/",
    ]  # fmt: skip
    for endpoint in api_router._endpoints:
        urls += [f"/api/v2/{endpoint}/?fields=*", f"/api/v2/{endpoint}/?search={SEARCHED}"]
    for client in (Client(raise_request_exception=False), signed_in(UserFactory())):
        for url, body in bodies(client, urls).items():
            assert REST not in body, url


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_responder_sees_their_survey_but_not_even_their_own_words_published(site):
    client = signed_in(site["responder"])
    home = client.get("/account/").content.decode()
    assert "Closed survey" in home and "Open survey" in home
    assert SECRET not in home


def test_the_admin_search_finds_no_answer_for_anyone(site):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (moderator, superuser):
        client = signed_in(user)
        for url in ["/admin/search/?q=Xylophone", "/admin/pages/search/?q=Xylophone",
                    "/admin/choose-page/search/?q=Xylophone"]:  # fmt: skip
            response = client.get(url)
            assert response.status_code < 500, url
            assert REST not in response.content.decode(), url


def test_who_may_read_raw_is_the_same_one_by_one_and_in_bulk():
    moderator_group = Group.objects.get(name=MODERATORS_GROUP)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    alpha = approved_network("Alpha", moderator=superuser)
    beta = approved_network("Beta", moderator=superuser)
    editors = {network.pk: network.editors_group.user_set.first() for network in (alpha, beta)}
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(moderator_group)
    inactive = UserFactory(is_active=False)
    inactive.groups.add(alpha.editors_group, moderator_group)
    surveys = [SurveyPageFactory(parent=alpha), SurveyPageFactory(parent=beta), SurveyPageFactory()]
    users = [*editors.values(), moderator, superuser, inactive, UserFactory()]
    for user in users:
        bulk = set(
            surveys_raw_readable(user, SurveyPage.objects.all()).values_list("pk", flat=True)
        )
        assert bulk == {s.pk for s in surveys if may_read_raw(user, s)}
    assert [may_read_raw(editors[alpha.pk], s) for s in surveys] == [True, False, False]
    assert [may_read_raw(moderator, s) for s in surveys] == [False, False, True]
    assert not any(may_read_raw(u, s) for u in (superuser, inactive) for s in surveys)
