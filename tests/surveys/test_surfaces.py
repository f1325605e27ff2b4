"""Open surveys and published results outside their own pages: topic pages and the digest.
Titles, links, dates and response counts only (a count below the survey's smallest number
shown is "fewer than N"), in queries that do not grow with the surveys."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.factories import MemberPreferencesFactory
from hub.cache import content_changed
from hub.factories import TopicFactory
from networks.factories import NetworkPageFactory
from surveys.factories import AnswerFactory, SurveyPageFactory
from surveys.models import Response
from tests.digests.test_selectors import one_digest, run_digest

pytestmark = pytest.mark.django_db

SECRET = "free text that must stay in the admin"


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    monkeypatch.setattr("hub.pagecache._anonymous", lambda request: False)


def survey(*, topics=(), responses=0, results=False, closed=False, **fields):
    now = timezone.now()
    if closed:
        fields.update(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=2))
    page = SurveyPageFactory(
        publish_results=results, first_published_at=now - dt.timedelta(hours=2),
        last_published_at=now - dt.timedelta(hours=1), **fields,
    )  # fmt: skip
    page.topics.set(topics)
    page.save()
    made = Response.objects.bulk_create(Response(survey=page) for _ in range(responses))
    if made:
        AnswerFactory(response=made[0], question__page=page, text=SECRET)
    content_changed()
    return page


def html_of(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_topic_page_lists_its_open_surveys_and_published_results_with_counts():
    topic = TopicFactory()
    survey(topics=[topic], title="Tell us about waiting lists", responses=3)
    survey(topics=[topic], title="Unpaid hours", results=True, closed=True, responses=12)
    survey(topics=[topic], title="Closed, no results", closed=True, responses=40)
    survey(title="Another topic's survey")
    draft = survey(topics=[topic], title="A draft survey")
    draft.unpublish()
    html = html_of(topic.get_absolute_url())
    assert "Tell us about waiting lists" in html and "Fewer than 10 responses" in html
    assert "Unpaid hours" in html and "12 responses" in html
    assert 'results/"' in html
    for absent in ("Closed, no results", "Another topic", "A draft survey", SECRET):
        assert absent not in html


def test_a_topic_without_surveys_shows_no_surveys_section():
    assert 'id="surveys-heading"' not in html_of(TopicFactory().get_absolute_url())


def queries_on_second_visit(url: str) -> int:
    client = Client()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_topic_pages_surveys_take_the_same_queries_however_many():
    topic = TopicFactory()
    survey(topics=[topic], responses=2)
    survey(topics=[topic], results=True, closed=True, responses=2)
    small = queries_on_second_visit(topic.get_absolute_url())
    for n in range(8):
        survey(topics=[topic], responses=n)
        survey(topics=[topic], results=True, closed=True, responses=n)
    assert queries_on_second_visit(topic.get_absolute_url()) == small


def test_a_digest_tells_of_new_open_surveys_and_new_results_in_what_the_member_follows():
    network, topic = NetworkPageFactory(title="Counsellors Unite"), TopicFactory()
    member = MemberPreferencesFactory(networks=[network], topics=[topic])
    survey(topics=[topic], title="Open on the topic", responses=11)
    survey(parent=network, title="The network's results", results=True, closed=True,
           responses=4)  # fmt: skip
    old = survey(topics=[topic], title="Opened long ago")
    type(old).objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - dt.timedelta(days=20),
        opens_at=timezone.now() - dt.timedelta(days=20),
    )
    survey(title="Not followed", responses=30)
    digest, _queries = one_digest(member)
    assert [s["title"] for s in digest["open_surveys"]] == ["Open on the topic"]
    assert [s["title"] for s in digest["survey_results"]] == ["The network's results"]
    result = digest["survey_results"][0]
    assert result["responses"] == "fewer than 10" and result["network_title"] == "Counsellors Unite"
    assert result["results_url"].endswith("/results/")


def test_a_survey_is_news_once_only_since_the_last_digest(mailoutbox):
    topic = TopicFactory()
    MemberPreferencesFactory(topics=[topic])
    survey(topics=[topic], title="Waiting times", responses=25)
    survey(topics=[topic], title="Hours worked", results=True, closed=True, responses=25)
    assert run_digest().sent == 1
    body = mailoutbox[-1].body
    assert "SURVEYS TO ANSWER" in body and "Waiting times" in body
    assert "SURVEY RESULTS" in body and "Hours worked" in body and "25 responses" in body
    assert SECRET not in body
    html = mailoutbox[-1].alternatives[0][0]
    assert "Surveys to answer" in html and "Survey results" in html and SECRET not in html
    assert run_digest().sent == 0


def test_the_digests_surveys_take_the_same_queries_however_many():
    topic = TopicFactory()
    member = MemberPreferencesFactory(topics=[topic])
    survey(topics=[topic], responses=1)
    small_digest, small = one_digest(member)
    for n in range(10):
        survey(topics=[topic], responses=n)
        survey(topics=[topic], results=True, closed=True, responses=n)
    large_digest, large = one_digest(member)
    assert len(large_digest["open_surveys"]) > len(small_digest["open_surveys"])
    assert small == large


def test_results_turned_on_while_a_survey_is_open_are_news_once_it_closes():
    topic = TopicFactory()
    member = MemberPreferencesFactory(topics=[topic])
    early = survey(topics=[topic], title="Results ready early", results=True, responses=12)
    assert 'results/"' not in html_of(topic.get_absolute_url())
    digest, _queries = one_digest(member)
    assert [s["title"] for s in digest["open_surveys"]] == ["Results ready early"]
    assert digest["survey_results"] == []

    # It closes without being published again: its results are news from then.
    closed = timezone.now() - dt.timedelta(minutes=5)
    type(early).objects.filter(pk=early.pk).update(closes_at=closed)
    content_changed()
    assert 'results/"' in html_of(topic.get_absolute_url())
    digest, _queries = one_digest(member)
    assert [s["title"] for s in digest["survey_results"]] == ["Results ready early"]
    assert digest["open_surveys"] == []
