"""Nothing private about where an event is held reaches the public: a crawl of every public
route, page, feed and API endpoint, with their searches and the finder's filters, finds no
private venue, street, postcode or joining link, nor any survey's free-text answer.

How the crawl stays complete: the routes come from Django's URL resolver (the API router's
endpoints included) with their arguments filled by name, the pages and their routes from
Wagtail's tree, and the filters from the finder's form; so a new feed or endpoint is crawled
without being listed here, and a route argument of a new name fails until FILL says what it
takes."""

import datetime as dt
import re
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit

import pytest
from django import forms
from django.test import Client
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from events import services
from events.factories import RsvpFactory
from events.forms import EventFilterForm
from events.models import AccessFeature, EventFormat, EventIndexPage, RsvpStatus
from hub.factories import UserFactory
from hub.models import Region, Topic
from networks.models import NetworkPage
from surveys.models import Answer, Response, SurveyPage, SurveyQuestion
from surveys.questions import QuestionKind
from targets.models import Target

from .test_csrf import routes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

VENUE, STREET, POSTCODE = "Zanzibar Snug Room", "17 Quillfeather Lane", "M4 7QZ"
LINK = "https://meet.example.org/quokka-private-room"
# Lowercase, as found in HTML, JSON, iCalendar (unfolded) and URL-encoded "add to calendar" links.
MARKS = ["zanzibar", "quillfeather", "m4 7qz", "m4+7qz", "m4%207qz", "m47qz", "quokka-private",
         "quaggatext"]  # fmt: skip
# Searched for everywhere a search is taken: the secrets themselves, and the public town.
TERMS = ["Zanzibar", "Quillfeather", POSTCODE, "M4", "quokka", "Manchester", "Hearing voices",
         "Quaggatext"]  # fmt: skip
# Written in a free-text answer to every demo survey: only their editors' admin may show it.
SURVEY_TEXT = "Quaggatext: the waiting list is a year long"
# Which part of the site a route argument names, by its name.
FILL = {
    "pk": "events",
    "slug": "slugs",
    "token": "tokens",
    "rsvp_id": "rsvps",
    "network_id": "networks",
    "topic_id": "topics",
    "demand_id": "none",
    "signature_id": "none",
    "restriction_id": "none",
    "page_view_restriction_id": "none",
    "page_id": "events",
    "response_id": "responses",
}
SKIP = ("admin/", "accounts/", "documents/", "_util/authenticate", "^media/", "^((")
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def private_site(demo_site_shared, django_capture_on_commit_callbacks):
    network = NetworkPage.objects.live().order_by("path").first()
    topic = Topic.objects.order_by("pk").first()
    start = timezone.now() + dt.timedelta(days=4)
    common = {"start": start, "end": start + dt.timedelta(hours=2)}
    region = Region.objects.get(slug="north-west")
    with django_capture_on_commit_callbacks(execute=True):
        address = services.event_create(
            parent=network, title="Hearing voices peer group", slug="hearing-voices-crawl",
            format=EventFormat.HYBRID, venue=VENUE, address=f"{STREET}\nAncoats", town="Manchester",
            postcode=POSTCODE, address_private=True, online_url=LINK, region=region, **common,
        )  # fmt: skip
        link = services.event_create(
            parent=network, title="Hearing voices online", slug="hearing-voices-online-crawl",
            format=EventFormat.ONLINE, online_url=LINK, venue="", town="", **common,
        )  # fmt: skip
        step_free = AccessFeature.objects.get(slug="step-free")
        address.access_features.set([step_free])
        for event in (address, link):
            event.topics.set([topic])
            event.save_revision().publish()
    waiting = UserFactory(email="waiting@crawl.example")
    responses = []
    for survey in SurveyPage.objects.all():
        response = Response.objects.create(survey=survey, user=waiting)
        question = survey.questions.filter(kind=QuestionKind.TEXT).first() or (
            SurveyQuestion.objects.create(page=survey, kind=QuestionKind.TEXT, prompt="Tell us")
        )
        Answer.objects.create(response=response, question=question, text=SURVEY_TEXT)
        responses.append(response.pk)
    confirmed = RsvpFactory(event=address, email="confirmed@crawl.example")
    online = RsvpFactory(event=address, email="online@crawl.example", attendance="online")
    rsvps = [
        RsvpFactory(event=address, user=waiting, email=waiting.email, status=RsvpStatus.WAITING),
        RsvpFactory(event=link, user=waiting, email=waiting.email, status=RsvpStatus.PENDING),
    ]
    values = {
        "events": [address.pk, link.pk, network.pk],
        "slugs": [network.slug, topic.slug, Target.objects.order_by("pk").first().slug],
        "tokens": [rsvp.token for rsvp in rsvps],
        "rsvps": [rsvp.pk for rsvp in rsvps],
        "networks": [network.pk],
        "topics": [topic.pk],
        "none": [1],
        "responses": responses,
    }
    related = {"region": region, "topic": topic, "network": network, "access": step_free}
    return {
        "events": (address, link),
        "values": values,
        "related": related,
        "waiting": waiting,
        "confirmed": confirmed,
        "online": online,
    }


def route_urls(route: str, values: dict) -> list[str]:
    route = route.replace("^", "").replace("$", "")
    names = ARGUMENT.findall(route)
    unknown = set(names) - set(FILL)
    assert not unknown, f"{route}: say in FILL what to fill {unknown} with"
    urls = ["/" + route]
    for name in names:
        urls = [
            re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
            for url in urls
            for value in values[FILL[name]]
        ]
    return urls


def filter_queries(site) -> list[str]:
    """Each of the finder's filters with every value it offers, then all of them at once."""
    chosen = {}
    queries = []
    for name, field in EventFilterForm.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            assert name in site["related"], f"say in private_site what {name} filters by"
            options = [getattr(site["related"][name], field.to_field_name)]
        elif isinstance(field, forms.ChoiceField):
            options = [value for value, _label in field.choices if value]
        elif isinstance(field, forms.DateField):
            options = [timezone.localdate().isoformat()]
        else:
            options = TERMS
        queries += [urlencode({name: option}) for option in options]
        chosen[name] = options[0]
    chosen["q"] = "Manchester"
    queries.append(urlencode(chosen))
    return ["?" + query for query in queries]


def body_of(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    # iCalendar folds long lines: unfolded, a secret cut in two is whole again.
    return body.decode(errors="replace").replace("\r\n ", "").lower()


def without_echoes(body: str, url: str) -> str:
    """The body less the words searched for, which a search form shows back to whoever typed
    them: that tells them nothing. Whether the search found the event is asserted apart."""
    for _name, value in parse_qsl(urlsplit(url).query):
        for echo in sorted({value, quote_plus(value), quote(value)}, key=len, reverse=True):
            body = body.replace(echo.lower(), "")
    return body


class Crawl:
    def __init__(self, client: Client):
        self.client, self.seen, self.leaks, self.errors, self.bodies = client, set(), {}, [], {}

    def get(self, url: str) -> int:
        if url in self.seen:
            return 0
        self.seen.add(url)
        response = self.client.get(url)
        if response.status_code >= 500:
            self.errors.append((url, response.status_code))
        body = body_of(response)
        self.bodies[url] = body
        found = [mark for mark in MARKS if mark in without_echoes(body, url)]
        if found:
            self.leaks[url] = found
        return response.status_code


def page_urls() -> list[str]:
    """Every live public page, and each of its routes that takes no argument."""
    urls = []
    for page in Page.objects.live().public().specific().order_by("path"):
        url = page.url
        if not url:
            continue
        urls.append(url)
        if isinstance(page, RoutablePageMixin):
            for route in page.get_subpage_urls():
                if not ARGUMENT.search(str(route.pattern)):
                    urls.append(url + page.reverse_subpage(route.name).lstrip("/"))
    return urls


def crawl_everything(client: Client, site) -> Crawl:
    crawl = Crawl(client)
    values = site["values"]
    searches = [urlencode({key: term}) for term in TERMS for key in ("q", "search", "query")]
    queries = ["?fields=*", *("?" + search for search in searches), *filter_queries(site)]
    listings = []
    for route, _pattern in routes():
        if route.startswith(SKIP):
            continue
        for url in route_urls(route, values):
            if crawl.get(url) == 200 and not ARGUMENT.search(route):
                listings.append(url)
    for url in page_urls():
        crawl.get(url)
    finders = [page.url for page in EventIndexPage.objects.live()]
    finders += [url for url in page_urls() if any(url.startswith(f) for f in finders)]
    for url in listings + finders:
        for query in queries:
            crawl.get(url + query)
    # Every endpoint's detail of every event the listings hold, the private ones among them.
    for route, _pattern in routes():
        if route.startswith("api/") and "<int:pk>" in route:
            for event in site["events"]:
                crawl.get("/" + route.replace("^", "").replace("<int:pk>", str(event.pk)))
    return crawl


class TestCrawl:
    """The crawl of the demo site with private events added, seeded once for the class."""

    def test_no_public_route_page_feed_or_api_shows_a_private_address_or_link(self, private_site):
        crawl = crawl_everything(Client(raise_request_exception=False), private_site)
        print(f"{len(crawl.seen)} requests")
        assert crawl.errors == []
        assert crawl.leaks == {}, "\n".join(f"{url}: {marks}" for url, marks in crawl.leaks.items())
        assert len(crawl.seen) > 500
        # The crawl saw the private events where they are listed, so it could have seen a leak.
        address, link = private_site["events"]
        network = address.get_parent().specific
        listed_in = {
            "/events/",
            "/events/calendar.ics",
            f"/event-links/event-{address.pk}.ics",
            f"/event-links/networks/{network.slug}.ics",
            "/api/v2/events/?fields=*",
            f"/api/v2/events/{address.pk}/",
            "/search/?query=Manchester",
            "/events/?q=Manchester",
            "/sitemap.xml",
            network.url,
        }
        for url in listed_in:
            assert "hearing-voices" in crawl.bodies[url] or "hearing voices" in crawl.bodies[url], (
                url
            )
        # Nor is a private event found by what it keeps private.
        for url in ["/search/?query=Zanzibar", "/events/?q=Quillfeather", "/events/?q=M4+7QZ",
                    "/api/v2/events/?search=Zanzibar", "/api/v2/events/?q=Zanzibar"]:  # fmt: skip
            assert "hearing voices peer group" not in crawl.bodies[url], url

    def test_signed_in_without_a_place_a_member_sees_only_what_the_public_does(self, private_site):
        client = Client()
        client.force_login(private_site["waiting"])
        address, link = private_site["events"]
        crawl = Crawl(client)
        for url in [address.url, link.url, "/account/", "/events/", "/search/?query=Manchester"]:
            assert crawl.get(url) == 200, url
        assert crawl.leaks == {}
        assert "the full address is emailed to people with a place" in crawl.bodies[address.url]

    def test_the_crawl_would_find_a_leak(self, private_site):
        """Confirmed attendees' own calendar files hold everything the crawl looks for: the address
        for the in-person place, the joining link for the online one."""
        crawl = Crawl(Client())
        in_person, online = (private_site[name].calendar_path for name in ("confirmed", "online"))
        assert crawl.get(in_person) == crawl.get(online) == 200
        assert set(crawl.leaks[in_person]) >= {"zanzibar", "quillfeather", "m4 7qz"}
        assert "quokka-private" in crawl.leaks[online]
