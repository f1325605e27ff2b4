"""The read-only API at /api/v2/: counts that match the site's, filters that validate, and no
personal data anywhere in it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import selectors
from campaigns import services as campaign_services
from campaigns.factories import DemandPageFactory
from campaigns.models import DemandPage
from events import services as event_services
from events.factories import EventIndexPageFactory, EventPageFactory, RsvpFactory
from events.models import LONDON, Booking, EventPage, Rsvp, RsvpStatus
from hub.factories import UserFactory
from hub.roles import Role
from networks import services as network_services
from networks.models import NetworkKind, NetworkPage
from pledges.factories import PledgerFactory
from pledges.models import Pledge, PledgeStatus
from surveys.models import Answer, Response, SurveyPage, SurveyQuestion
from surveys.questions import QuestionKind

ENDPOINTS = ["networks", "events", "demands", "pledges", "targets"]


@pytest.fixture
def personal_data(demo_site_shared, django_capture_on_commit_callbacks):
    """People's details on every kind of record the API reads from; returns the strings that
    must never appear in it."""
    demand = DemandPage.objects.live().first()
    network = NetworkPage.objects.live().first()
    # One that takes replies (EventPage.takes_rsvps) whatever the hour the suite runs.
    event = (
        EventPage.objects.live()
        .going_ahead()
        .upcoming()
        .filter(
            booking=Booking.RSVP,
            in_person_capacity__isnull=True,
            online_capacity__isnull=True,
            start__gt=timezone.now(),
        )  # fmt: skip
        .first()
    )
    secrets = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, show_name in enumerate([False, True]):
            name, email = f"Zebedee Signer{n} Quux", f"zebedee.signer{n}@privacy-test.example"
            result = campaign_services.signature_create(
                demand=demand, name=name, email=email, kind=Role.CARER,
                postcode="N1 9GU", affiliation=network, show_name=show_name, confirmed=True,
            )  # fmt: skip
            assert result.signature.confirmed_at is not None
            secrets += [name, email]
        for n in range(2):
            name, email = f"Yolanda Attendee{n} Quux", f"yolanda.attendee{n}@privacy-test.example"
            rsvp = event_services.rsvp_request(event=event, name=name, email=email)
            assert event_services.rsvp_confirm(rsvp=rsvp).status == RsvpStatus.CONFIRMED
            secrets += [name, email]
        applicant = UserFactory(
            email="xavier.applicant@privacy-test.example", first_name="Xavier",
            last_name="Applicantname",
        )  # fmt: skip
        network_services.network_application_create(
            applicant=applicant, name="Quux Peer Support", kind=NetworkKind.PEER_SUPPORT,
            description="Applied for, not approved.",
            public_contact_email="quux.contact@privacy-test.example",
        )  # fmt: skip
        admin = UserFactory(email="wanda.admin@privacy-test.example", last_name="Adminperson")
        network_services.invitation_create(
            network=network, email="vera.invitee@privacy-test.example", role="member",
            invited_by=admin,
        )  # fmt: skip
    pledge = Pledge.objects.filter(status=PledgeStatus.OPEN).first()
    for n, show_name in enumerate([False, True]):
        PledgerFactory(
            pledge=pledge, name=f"Zebedee Pledger{n} Quux", show_name=show_name,
            email=f"zebedee.pledger{n}@privacy-test.example",
        )  # fmt: skip
    secrets += ["Zebedee Pledger"]
    # Free text in every survey's answers: the API publishes only suppressed aggregates.
    for survey in SurveyPage.objects.all():
        question = survey.questions.filter(kind=QuestionKind.TEXT).first() or (
            SurveyQuestion.objects.create(page=survey, kind=QuestionKind.TEXT, prompt="Tell us")
        )
        Answer.objects.create(
            response=Response.objects.create(survey=survey, role="carer"), question=question,
            text="Zebedee Surveytext Quux, my own words",
        )  # fmt: skip
    secrets += ["Zebedee Surveytext"]
    network.public_contact_email = "network.contact@privacy-test.example"
    network.save_revision().publish()
    secrets += [
        "privacy-test.example", "Applicantname", "Adminperson", "Quux Peer Support",
        "N1 9GU", "N1",
    ]  # fmt: skip
    return {
        "demand": demand, "event": event, "network": network, "pledge": pledge, "secrets": secrets
    }  # fmt: skip


def crawl(client) -> dict[str, list[dict]]:
    """Every listing page and every detail of every endpoint, past events included."""
    found = {}
    for endpoint in ENDPOINTS:
        queries = [{}, {"when": "past"}] if endpoint == "events" else [{}]
        items = []
        for query in queries:
            offset = 0
            while True:
                response = client.get(
                    f"/api/v2/{endpoint}/", {**query, "fields": "*", "limit": 20, "offset": offset}
                )
                assert response.status_code == 200, response.content
                body = response.json()
                items += body["items"]
                offset += 20
                if offset >= body["meta"]["total_count"]:
                    break
        for item in items:
            detail = client.get(item["meta"]["detail_url"].removeprefix("http://testserver"))
            assert detail.status_code == 200
            item["_detail"] = detail.content.decode()
        found[endpoint] = items
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"type": "hub.ContentPage"}, {"child_of": "2"}, {"date_from": "yesterday"},
     {"network": "no-such-network"}, {"status": "maybe"}, {"kind": "x"}, {"limit": "9999"},
     {"search": "\x00"}, {"status": "open\x00"}],
)  # fmt: skip
def test_bad_or_foreign_parameters_are_a_400(client, db, query):
    endpoint = {"status": "demands", "kind": "networks", "search": "demands"}.get(
        next(iter(query)), "events"
    )
    response = client.get(f"/api/v2/{endpoint}/", query)
    assert response.status_code == 400
    assert "message" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"html_path": "/a\x00b/"}, {"id": "1\x00"}, {"id": "abc"}])
def test_find_refuses_bad_lookups_with_a_400(client, db, query):
    assert client.get("/api/v2/demands/find/", query).status_code == 400


@pytest.mark.django_db
def test_an_endpoint_shows_only_its_own_live_public_pages(client, db):
    demand = DemandPageFactory()
    assert client.get(f"/api/v2/events/{demand.pk}/").status_code == 404
    demand.unpublish()
    assert client.get(f"/api/v2/demands/{demand.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, db, method):
    demand = DemandPageFactory()
    assert client.get(f"/api/v2/demands/{demand.pk}/").status_code == 200
    for url in ["/api/v2/demands/", f"/api/v2/demands/{demand.pk}/"]:
        assert getattr(client, method)(url).status_code == 405


@pytest.mark.django_db
def test_events_come_with_places_per_attendance_in_a_flat_number_of_queries(client):
    index = EventIndexPageFactory()

    def add(count: int) -> None:
        for _ in range(count):
            event = EventPageFactory(
                parent=index, format="hybrid", online_url="https://meet.example.org/a",
                in_person_capacity=2, online_capacity=3,
            )  # fmt: skip
            RsvpFactory(event=event, attendance="in-person")
            RsvpFactory(event=event, attendance="online", status=RsvpStatus.OFFERED)
            RsvpFactory(event=event, attendance="online", status=RsvpStatus.WAITING)

    def listing():
        """The second of two requests, as every visitor after the first finds the caches."""
        client.get("/api/v2/events/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                "/api/v2/events/", {"fields": "in_person_capacity,online_capacity", "limit": 20}
            )
        assert response.status_code == 200
        return len(queries), response.json()["items"]

    add(2)
    small, _ = listing()
    add(20)
    large, items = listing()
    assert small == large, f"{small} queries for 2 events, {large} for 22"
    assert len(items) == 20
    for item in items:
        assert (item["in_person_capacity"], item["online_capacity"]) == (2, 3)
        assert (item["in_person_places_taken"], item["online_places_taken"]) == (1, 1)


class TestDemoSite:
    """On the demo site, seeded once for the class."""

    @pytest.mark.django_db
    def test_the_api_exposes_no_personal_data(self, client, personal_data):
        found = crawl(client)
        assert {len(items) > 0 for items in found.values()} == {True}
        # The crawl reached the records that carry people's details.
        assert personal_data["demand"].pk in {item["id"] for item in found["demands"]}
        assert personal_data["event"].pk in {item["id"] for item in found["events"]}
        assert personal_data["network"].pk in {item["id"] for item in found["networks"]}
        assert personal_data["pledge"].pk in {item["id"] for item in found["pledges"]}
        text = "\n".join(
            repr({k: v for k, v in item.items() if k != "_detail"}) + item["_detail"]
            for items in found.values()
            for item in items
        )
        for secret in personal_data["secrets"]:
            assert secret not in text
        assert "@" not in text.replace("@context", ""), "no email address of any kind"
        # As the name of a field (a delivery's method may be "email").
        for forbidden in ["email", "signer", "attendee", "rsvps", "online_url", "applicant"]:
            assert not re.search(rf'"{forbidden}[a-z_]*":', text.lower()), forbidden

    @pytest.mark.django_db
    def test_counts_match_the_sites_own(self, client, personal_data):
        demand, event, network = (personal_data[key] for key in ("demand", "event", "network"))
        body = client.get(f"/api/v2/demands/{demand.pk}/").json()
        assert body["signature_count"] == selectors.demand_count(demand=demand) > 0
        assert body["network_count"] == demand.cosignatures.filter(network__live=True).count()
        body = client.get(f"/api/v2/events/{event.pk}/").json()
        for attendance in ("in-person", "online"):
            taken = Rsvp.objects.filter(
                event=event,
                attendance=attendance,
                status__in=[RsvpStatus.CONFIRMED, RsvpStatus.OFFERED],
            ).count()
            assert body[f"{attendance.replace('-', '_')}_places_taken"] == taken
        assert body["in_person_places_taken"] + body["online_places_taken"] >= 2
        assert (body["in_person_capacity"], body["online_capacity"]) == (None, None)
        listed = NetworkPage.objects.live().with_counts().get(pk=network.pk)
        body = client.get(f"/api/v2/networks/{network.pk}/").json()
        assert body["position_count"] == listed.position_count
        assert body["upcoming_event_count"] == listed.upcoming_event_count
        assert "public_contact_email" not in body

    @pytest.mark.django_db
    def test_a_confirmed_signature_shows_in_the_count_at_once(self, client, personal_data):
        demand = personal_data["demand"]
        before = client.get(f"/api/v2/demands/{demand.pk}/").json()["signature_count"]
        campaign_services.signature_create(
            demand=demand, name="New Person", email="new.person@example.org",
            kind=Role.WORKER, confirmed=True,
        )  # fmt: skip
        assert client.get(f"/api/v2/demands/{demand.pk}/").json()["signature_count"] == before + 1

    @pytest.mark.django_db
    def test_event_filters_follow_the_finder(self, client, demo_site_shared):
        network = NetworkPage.objects.live().filter(organised_events__live=True).first()
        body = client.get("/api/v2/events/", {"network": network.slug, "limit": 20}).json()
        expected = EventPage.objects.live().public().upcoming().for_network(network)
        assert {item["id"] for item in body["items"]} == set(expected.values_list("pk", flat=True))
        today = timezone.localdate()
        last = today + dt.timedelta(days=30)
        query = {"date_from": today, "date_to": last, "fields": "start", "limit": 20}
        items = client.get("/api/v2/events/", query).json()["items"]
        assert items
        for item in items:
            start = dt.datetime.fromisoformat(item["start"]).astimezone(LONDON).date()
            assert today <= start <= last
        past = client.get("/api/v2/events/", {"when": "past", "fields": "end"}).json()["items"]
        assert all(item["end"] < timezone.now().isoformat() for item in past)
