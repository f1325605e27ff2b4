"""Surveys in the API: open ones and those with published results, the results as suppressed
aggregates only; never a response, free text or a quote's answer."""

import datetime

import pytest
from django.utils import timezone

from hub.factories import TopicFactory
from networks.factories import NetworkPageFactory
from surveys.factories import SurveyPageFactory
from surveys.models import PublishedQuote

from .results_seed import SECRET, closed_survey, questions, typical

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveys():
    network, topic = NetworkPageFactory(slug="counsellors"), TopicFactory(slug="training")
    published = closed_survey(parent=network, title="Published")
    published.topics.add(topic)
    published.save()
    qs = questions(published)
    typical(published, qs)
    PublishedQuote.objects.create(
        survey=published, question=qs["story"], answer=qs["story"].answers.first(), text="Quote"
    )
    open_now = SurveyPageFactory(title="Open now")
    unpublished = closed_survey(title="Closed, not published", publish_results=False)
    not_yet = SurveyPageFactory(
        title="Not yet open",
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    return {"published": published, "open": open_now, "unpublished": unpublished, "later": not_yet}


def titles(client, query=""):
    response = client.get(f"/api/v2/surveys/?fields=*{query}")
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["items"]}


def test_open_surveys_and_published_results_are_listed(client, surveys):
    found = titles(client)
    assert set(found) == {"Published", "Open now"}
    item = found["Published"]
    assert item["network"]["slug"] == "counsellors"
    assert item["url"] == f"http://testserver{surveys['published'].url}"
    assert item["results_url"] == f"http://testserver{surveys['published'].url}results/"
    assert item["needs_account"] is False and item["topics"] == ["training"]
    assert found["Open now"]["results_url"] is None


def test_a_published_survey_s_detail_holds_its_suppressed_results(client, surveys):
    body = client.get(f"/api/v2/surveys/{surveys['published'].pk}/").json()
    results = body["results"]
    assert results["responses"] == 28 and results["min_size"] == 10
    paid = results["questions"][0]
    assert paid["question"] == "Are you paid for CPD?"
    assert paid["counts"] == {"Yes": 14, "No": None, "Not sure": None}
    assert paid["breakdowns"]["role"]["A carer or family member"]["answered"] is None
    assert client.get(f"/api/v2/surveys/{surveys['unpublished'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["", "&open=true", "&open=false", "&network=counsellors", "&topic=training", "&limit=1"],
)
def test_no_free_text_nor_quote_source_in_any_response(client, surveys, query):
    listing = client.get(f"/api/v2/surveys/?fields=*{query}").content.decode()
    detail = client.get(f"/api/v2/surveys/{surveys['published'].pk}/?fields=*").content.decode()
    for body in (listing, detail):
        assert SECRET not in body and "Zebedee" not in body and "Tell us more" not in body


def test_the_filters(client, surveys):
    assert set(titles(client, "&open=true")) == {"Open now"}
    assert set(titles(client, "&open=false")) == {"Published"}
    assert set(titles(client, "&network=counsellors")) == {"Published"}
    assert set(titles(client, "&topic=training")) == {"Published"}


@pytest.mark.parametrize(
    "query", ["open=yes", "network=nobody", "topic=nothing", "open=%00", "responses=1"]
)
def test_bad_filters_are_a_400(client, surveys, query):
    assert client.get(f"/api/v2/surveys/?{query}").status_code == 400


def test_the_listing_takes_the_same_queries_however_many(
    client, surveys, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v2/surveys/?fields=topics,network,url,results_url")
    for n in range(5):
        closed_survey(title=f"More {n}")
        SurveyPageFactory(title=f"Open {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert (
            len(
                client.get("/api/v2/surveys/?fields=topics,network,url,results_url").json()["items"]
            )
            == 12
        )
