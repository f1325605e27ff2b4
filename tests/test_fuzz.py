"""Hypothesis throws odd values at every public form and filter: none may answer with a 500.

Values are arbitrary unicode, huge, empty, numeric edge cases, NUL bytes, dates that do not
exist, markup and path tricks, in any combination of the form's own field names and strangers.
Each target gets a bounded number of examples so that the whole run takes a minute or two."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.factories import DemandPageFactory, PlatformPageFactory, SignatureFactory
from events.factories import (
    CoOrganiserInvitationFactory,
    EventIndexPageFactory,
    EventPageFactory,
)
from hub.factories import TopicFactory, UserFactory
from hub.models import HomePage
from networks.factories import MembershipFactory, NetworkIndexPageFactory, NetworkPageFactory
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.links import pledger_link

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
    # Huge values by repetition: cheap for Hypothesis to make, as costly for the app as any.
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=10).map(
        lambda text: text * 1000
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([
        "", " ", "0", "-1", "1e309", "NaN", "9" * 40, "\x00", "a\x00b", "2024-02-30",
        "0000-00-00", "9999-12-31", "10000-01-01", "true", "null", "[]", "{}", "%00", "../..",
        "<script>alert(1)</script>", "' OR 1=1 --", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u202e", "online", "past",
        "this-week", "worker", "sign", "withdraw", "admin", "member", "in-person",
    ]),
)  # fmt: skip


def params(*names: str):
    """A query or form: any subset of `names`, plus a stranger, each with an odd value (and
    sometimes the same name twice)."""
    keys = st.sampled_from([*names, "zzz"])
    return st.dictionaries(keys, st.one_of(ODD, st.lists(ODD, min_size=2, max_size=3)))


@pytest.fixture
def site(db):
    home = HomePage.objects.get()
    network = NetworkPageFactory(parent=NetworkIndexPageFactory(parent=home), slug="net")
    # Hybrid, so that how someone comes is fuzzed too, with a full list to wait on.
    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home), format="hybrid",
        online_url="https://meet.example.org/fuzz", in_person_capacity=2, online_capacity=0,
    )  # fmt: skip
    platform = PlatformPageFactory()
    demand = DemandPageFactory(parent=platform)
    SignatureFactory.create_batch(3, demand=demand, show_name=True)
    member = UserFactory(email="member@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    MembershipFactory(user=member, network=network, role="admin")
    co_organising = CoOrganiserInvitationFactory(event=event, network=network, status="pending")
    pledge = PledgeFactory(slug="fuzz-pledge", allow_contact=True)
    writer = PledgerFactory(
        pledge=PledgeFactory(allow_contact=True, status="bound", bound_at=timezone.now()),
        contactable=True,
    )
    return {"network": network, "event": event, "platform": platform, "demand": demand,
            "member": member, "topic": TopicFactory(), "co_organising": co_organising,
            "pledge": pledge, "writer": writer}  # fmt: skip


def assert_no_server_error(response, url, data):
    assert response.status_code < 500, (url, data)


GET_TARGETS = {
    "networks": ("/networks/", ["query", "kind", "region", "topic", "page"]),
    "positions": ("/networks/positions/", ["network", "topic", "page"]),
    "finder": (
        "/events/",
        ["q", "when", "date_from", "date_to", "type", "format", "region", "network", "topic",
         "page"],
    ),  # fmt: skip
    "finder_feed": (
        "/events/calendar.ics",
        ["q", "when", "date_from", "date_to", "type", "format", "region", "network", "topic"],
    ),
    "search": ("/search/", ["query", "page"]),
    "api_networks": ("/api/v2/networks/", ["query", "kind", "region", "topic", "limit", "offset",
                                            "order", "search", "fields", "type", "child_of"]),
    "api_events": ("/api/v2/events/", ["when", "date_from", "date_to", "type", "format", "region",
                                        "network", "topic", "limit", "offset", "order", "fields",
                                        "search", "search_operator"]),
    "api_demands": ("/api/v2/demands/", ["status", "topic", "network", "target", "limit",
                                          "offset", "order", "fields", "search"]),
    "targets": ("/targets/", ["page"]),
    "api_targets": ("/api/v2/targets/", ["kind", "limit", "offset", "order", "fields"]),
    "api_find": ("/api/v2/demands/find/", ["id", "html_path"]),
    "pledges": ("/pledges/", ["page"]),
    "api_surveys": ("/api/v2/surveys/", ["open", "topic", "network", "limit", "offset", "order",
                                          "fields", "search"]),
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("target", sorted(GET_TARGETS))
def test_filters_never_answer_500(client, site, target):
    url, names = GET_TARGETS[target]

    @FUZZ
    @given(query=params(*names))
    def check(query):
        assert_no_server_error(client.get(url, query), url, query)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["names/", "counts/", "history/", ""])
def test_demand_listings_never_answer_500(client, site, route):
    url = site["demand"].url + route

    @FUZZ
    @given(query=params("page", "kind", "format"))
    def check(query):
        assert_no_server_error(client.get(url, query), url, query)

    check()


SIGN_FIELDS = ["name", "email", "postcode", "kind", "affiliation", "show_name", "keep_updated",
               "website"]  # fmt: skip
COSIGN_FIELDS = ["network", "mandate", "decided_on", "members", "statement", "action"]
PLEDGE_FIELDS = ["name", "email", "kind", "show_name", "contactable", "website"]
PROPOSAL_FIELDS = ["action", "threshold", "audience", "deadline", "details", "next_steps",
                   "allow_contact", "topics", "network"]  # fmt: skip


def post_targets(site) -> dict[str, tuple[str, list[str], bool]]:
    """url, field names, whether the poster is a signed-in network admin."""
    demand, platform, event = site["demand"], site["platform"], site["event"]
    return {
        "sign": (demand.url, SIGN_FIELDS, False),
        "sign_as_member": (demand.url + "sign-as-member/", SIGN_FIELDS, True),
        "withdraw_as_member": (demand.url + "withdraw-as-member/", [], True),
        "cosign": (demand.url + "cosign/", COSIGN_FIELDS, True),
        "confirm_version": (demand.url + "confirm-version/", COSIGN_FIELDS[:4], True),
        "platform_cosign": (platform.url + "cosign/", COSIGN_FIELDS, True),
        "rsvp": (f"/event-links/{event.pk}/rsvp/", ["name", "email", "attendance", "website"],
                 False),
        "rsvp_member": (f"/event-links/{event.pk}/rsvp/", ["name", "email", "attendance"], True),
        "apply": ("/networks/apply/",
                  ["name", "kind", "description", "website", "public_contact_email", "regions",
                   "topics", "founded_year", "how_to_join"], True),
        "invite": ("/networks/net/members/invite/", ["email", "role"], True),
        "member_role": (f"/networks/net/members/{site['member'].pk}/role/",
                        [f"m{site['member'].pk}-role", "role"], True),
        "signup": ("/accounts/signup/", ["email", "password1", "password2"], False),
        "login": ("/accounts/login/", ["login", "password", "remember"], False),
        "password_reset": ("/accounts/password/reset/", ["email"], False),
        "topic_follow": (f"/preferences/follow/topic/{site['topic'].pk}/", ["follow", "next"],
                         True),
        "subscribe": ("/preferences/subscribe/", ["email", "topics", "regions", "website"], False),
        "co_organising": (f"/event-links/co-organising/{site['co_organising'].pk}/", ["answer"],
                          True),
        "pledge": ("/pledges/fuzz-pledge/", PLEDGE_FIELDS, False),
        "pledge_as_member": ("/pledges/fuzz-pledge/pledge-as-member/", PLEDGE_FIELDS, True),
        "pledge_propose": ("/pledges/new/", PROPOSAL_FIELDS, True),
        "pledge_write": (pledger_link(pledger=site["writer"], action="contact"), ["text"], False),
    }  # fmt: skip


POST_TARGETS = ["sign", "sign_as_member", "withdraw_as_member", "cosign", "confirm_version",
                "platform_cosign", "rsvp", "rsvp_member", "apply", "invite", "member_role",
                "signup", "login", "password_reset", "topic_follow", "subscribe",
                "co_organising", "pledge", "pledge_as_member", "pledge_propose",
                "pledge_write"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("target", POST_TARGETS)
def test_forms_never_answer_500(site, target):
    url, names, signed_in = post_targets(site)[target]
    client = Client()
    if signed_in:
        client.force_login(site["member"])

    @FUZZ
    @given(data=params(*names))
    def check(data):
        assert_no_server_error(client.post(url, data), url, data)

    check()


@pytest.mark.django_db
def test_the_confirmation_form_never_answers_500(client, site):
    from campaigns.models import Signature
    from campaigns.services import signature_token

    signature = SignatureFactory(demand=site["demand"], confirmed_at=None)
    url = f"/signatures/confirm/{signature_token(signature=signature, action='confirm')}/"

    @FUZZ
    @given(data=params(*SIGN_FIELDS))
    def check(data):
        # An example that happens to be valid confirms; the next must meet the form again.
        Signature.objects.filter(pk=signature.pk).update(confirmed_at=None)
        assert_no_server_error(client.post(url, data), url, data)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix",
    [
        "/signatures/confirm/",
        "/signatures/withdraw/",
        "/event-links/rsvp/",
        "/networks/invitations/",
        "/preferences/subscribe/confirm/",
        "/preferences/unsubscribe/",
    ],
)
def test_emailed_links_never_answer_500(client, site, prefix):
    client.force_login(site["member"])
    suffix = {"/event-links/rsvp/": "/confirm/"}.get(prefix, "/")
    tokens = st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="/?#%"),
        min_size=1, max_size=300,
    )  # fmt: skip

    @FUZZ
    @given(token=tokens, method=st.sampled_from(["get", "post"]))
    def check(token, method):
        url = f"{prefix}{token}{suffix}"
        assert_no_server_error(getattr(client, method)(url), url, token)

    check()


@pytest.mark.django_db
def test_a_network_id_too_big_for_the_database_is_refused_with_a_400(client, site):
    # SQLite raised OverflowError (a 500) here; make test runs this file on SQLite too.
    data = {"name": "A", "email": "a@example.org", "kind": "worker", "affiliation": "9" * 20}
    response = client.post(site["demand"].url, data)
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


@pytest.mark.django_db
def test_the_pledge_confirmation_form_never_answers_500(client, site):
    from pledges.models import Pledger

    pledger = PledgerFactory(pledge=site["pledge"], confirmed_at=None)
    url = pledger_link(pledger=pledger, action="confirm")

    @FUZZ
    @given(data=params(*PLEDGE_FIELDS))
    def check(data):
        Pledger.objects.filter(pk=pledger.pk).update(confirmed_at=None)
        assert_no_server_error(client.post(url, data), url, data)

    check()
