"""Topic pages (/topics/, /topics/<slug>/), following a topic, and topic links across the site."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import DemandPageFactory
from campaigns.models import DemandStatus
from digests.factories import MemberPreferencesFactory
from digests.models import MemberPreferences
from events.factories import EventPageFactory
from hub.factories import TopicFactory, UserFactory
from networks.factories import NetworkPageFactory, PositionPageFactory

pytestmark = pytest.mark.django_db


def tagged(page, *topics):
    page.topics.set(topics)
    page.save()
    return page


@pytest.fixture
def topic():
    return TopicFactory(
        name="Crisis care",
        slug="crisis-care",
        description="What happens when people need help now.",
    )


@pytest.fixture
def member():
    return UserFactory()


def followed_topics(user) -> list:
    return list(MemberPreferences.objects.get(user=user).topics.all())


def test_the_topic_page_shows_what_is_published_on_the_topic(client, topic):
    other = TopicFactory(name="Waiting lists")
    network = NetworkPageFactory(title="Nurses for Mental Health")
    tagged(PositionPageFactory(parent=network, title="Crisis beds now"), topic)
    tagged(PositionPageFactory(parent=network, title="Shorter waits"), other)
    tagged(EventPageFactory(title="Crisis care debate"), topic)
    tagged(
        EventPageFactory(
            title="A past crisis meeting",
            start=timezone.now() - dt.timedelta(days=3),
            end=timezone.now() - dt.timedelta(days=3, hours=-2),
        ),
        topic,
    )
    tagged(
        DemandPageFactory(title="Fund crisis houses", ask="Fund a crisis house in every town."),
        topic,
    )
    tagged(DemandPageFactory(title="An old demand", status=DemandStatus.WON), topic)
    unpublished = tagged(DemandPageFactory(title="A draft demand"), topic)
    unpublished.unpublish()

    response = client.get("/topics/crisis-care/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Crisis care</h1>" in html
    assert "What happens when people need help now." in html
    assert "Crisis beds now" in html and "Nurses for Mental Health" in html
    assert "Shorter waits" not in html
    assert "Crisis care debate" in html and "A past crisis meeting" not in html
    assert "Fund crisis houses" in html and "Fund a crisis house in every town." in html
    assert html.index("Fund crisis houses") < html.index("An old demand"), "open demands first"
    assert "A draft demand" not in html
    for link in (
        '"/networks/positions/?topic=crisis-care"',
        '"/events/?topic=crisis-care"',
        '"/networks/?topic=crisis-care"',
        '"/demands/"',
    ):
        assert f"href={link}" in html, link


def test_a_topic_with_nothing_published_shows_empty_states(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "No positions on this topic yet." in html
    assert "No upcoming events on this topic." in html
    assert "No demands on this topic yet." in html
    assert "/networks/positions/?topic=" not in html and "/events/?topic=" not in html


def test_an_unknown_topic_is_not_found(client, topic):
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_the_topic_index_lists_topics_with_counts(client, topic):
    TopicFactory(name="Waiting lists", slug="waiting-lists")
    tagged(PositionPageFactory(), topic)
    tagged(PositionPageFactory(), topic)
    tagged(EventPageFactory(), topic)
    html = client.get("/topics/").content.decode()
    assert f'href="{topic.get_absolute_url()}"' in html
    assert "2 positions · 1 upcoming event · 0 demands" in html
    assert "0 positions · 0 upcoming events · 0 demands" in html


def test_the_topic_index_without_topics_says_so(client):
    assert b"No topics yet." in client.get("/topics/").content


def test_the_network_directory_links_to_the_topics(client):
    index = NetworkPageFactory().get_parent()
    assert b'href="/topics/"' in client.get(index.url).content


def test_a_visitor_is_asked_to_sign_in_to_follow(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()
    assert 'href="/accounts/login/?next=/topics/crisis-care/"' in html
    assert "Sign in to follow this topic" in html
    response = client.post(reverse("digests:topic_follow", args=[topic.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not MemberPreferences.objects.exists()


def test_a_member_follows_and_unfollows_a_topic(client, topic, member):
    client.force_login(member)
    assert (
        b'aria-pressed="false">Follow Crisis care</button>'
        in client.get(topic.get_absolute_url()).content
    )
    url = reverse("digests:topic_follow", args=[topic.pk])
    assert client.get(url).status_code == 405

    response = client.post(url, {"follow": "1", "next": "/topics/"})
    assert response.status_code == 302 and response.url == "/topics/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You follow Crisis care."]
    assert followed_topics(member) == [topic]
    page = client.get(topic.get_absolute_url()).content
    assert b'aria-pressed="true">Following Crisis care</button>' in page
    assert b'name="follow" value="0"' in page

    response = client.post(url, {"follow": "0", "next": topic.get_absolute_url()})
    assert response.url == topic.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You no longer follow Crisis care."
    ]
    assert followed_topics(member) == []


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "", "javascript:alert(1)", "0"]
)
def test_following_never_redirects_off_the_site(client, topic, member, next_url):
    client.force_login(member)
    response = client.post(
        reverse("digests:topic_follow", args=[topic.pk]), {"follow": "1", "next": next_url}
    )
    assert response.url == "/topics/crisis-care/"


def test_following_keeps_what_else_the_member_follows(client, topic, member):
    network, other = NetworkPageFactory(), TopicFactory()
    MemberPreferencesFactory(user=member, digest_frequency="weekly", networks=[network],
                             topics=[other])  # fmt: skip
    client.force_login(member)
    client.post(reverse("digests:topic_follow", args=[topic.pk]), {"follow": "1"})
    preferences = MemberPreferences.objects.get(user=member)
    assert set(preferences.topics.all()) == {topic, other}
    assert list(preferences.networks.all()) == [network]
    assert preferences.digest_frequency == "weekly"


def test_following_an_unknown_topic_is_not_found(client, member):
    client.force_login(member)
    assert client.post("/preferences/follow/topic/999999/", {"follow": "1"}).status_code == 404


def test_the_follow_button_needs_csrf(topic, member):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post(reverse("digests:topic_follow", args=[topic.pk]), {"follow": "1"})
    assert response.status_code == 403
    assert not MemberPreferences.objects.filter(topics=topic).exists()


def test_topic_names_link_to_their_topic_pages(client, topic):
    link = b'href="/topics/crisis-care/"'
    network = tagged(NetworkPageFactory(), topic)
    position = tagged(PositionPageFactory(parent=network), topic)
    event = tagged(EventPageFactory(), topic)
    demand = tagged(DemandPageFactory(), topic)
    for url in (network.url, position.url, event.url, demand.url, "/networks/positions/",
                "/events/"):  # fmt: skip
        assert link in client.get(url).content, url


def test_the_sitemap_lists_the_topic_pages(client, topic):
    assert "http://testserver/topics/crisis-care/" in client.get("/sitemap.xml").content.decode()


def test_editing_a_topic_or_publishing_on_it_shows_at_once_on_its_cached_page(topic):
    assert b"Crisis care" in Client().get(topic.get_absolute_url()).content
    topic.name = "Crisis services"
    topic.save()
    assert b"Crisis services" in Client().get(topic.get_absolute_url()).content
    tagged(PositionPageFactory(title="Crisis beds now"), topic)
    assert b"Crisis beds now" in Client().get(topic.get_absolute_url()).content
