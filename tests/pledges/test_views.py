import datetime

import pytest
from django.test import Client
from django.utils import timezone

from hub.factories import UserFactory
from hub.models import OutboxMessage
from networks.models import MembershipRole
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import Pledge, Pledger, PledgeStatus

from .conftest import approved_network, confirm_data, link_path, pledge_data, verified_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_list_puts_open_pledges_first_then_bound_then_lapsed_and_hides_the_rest(client):
    lapsed = PledgeFactory(action="lapsed one here", status=PledgeStatus.LAPSED)
    bound = PledgeFactory(action="bound one here", status=PledgeStatus.BOUND)
    opened = PledgeFactory(action="open one here")
    PledgeFactory(action="pending one here", status=PledgeStatus.PENDING)
    PledgeFactory(action="rejected one here", status=PledgeStatus.REJECTED)

    html = client.get("/pledges/").content.decode()
    positions = [html.index(p.action) for p in (opened, bound, lapsed)]
    assert positions == sorted(positions)
    assert "pending one here" not in html and "rejected one here" not in html


def test_the_list_has_an_empty_state_and_pages(client):
    assert "No pledges yet" in client.get("/pledges/").content.decode()
    PledgeFactory.create_batch(21)
    assert 'rel="next"' in client.get("/pledges/").content.decode()
    assert client.get("/pledges/?page=2").status_code == 200


def test_the_list_takes_as_many_queries_for_many_pledges_as_for_few(
    client, django_assert_max_num_queries
):
    for pledge in PledgeFactory.create_batch(3):
        PledgerFactory.create_batch(2, pledge=pledge)
    client.get("/pledges/")
    with django_assert_max_num_queries(12) as few:
        client.get("/pledges/")
    for pledge in PledgeFactory.create_batch(15):
        PledgerFactory.create_batch(3, pledge=pledge)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/pledges/")


def test_the_page_shows_the_count_names_chosen_and_the_others_counted(client, pledge):
    PledgerFactory(pledge=pledge, name="Grace Hopper", show_name=True)
    PledgerFactory(pledge=pledge, name="Hidden Person", show_name=False)
    PledgerFactory(pledge=pledge, name="Unconfirmed Person", show_name=True, confirmed_at=None)

    html = client.get("/pledges/refuse-overtime/").content.decode()
    assert "I will refuse unpaid overtime for a month if 3 other people will too" in html
    assert "2 of 3</strong> have pledged" in html
    assert "Grace Hopper and 1 other." in html
    assert "Hidden Person" not in html and "Unconfirmed Person" not in html
    assert "days left" in html and "Proposed by a member" in html


def test_pending_and_rejected_pledges_are_found_only_by_moderators(client, hub_moderator):
    PledgeFactory(slug="waiting", status=PledgeStatus.PENDING)
    PledgeFactory(slug="turned-down", status=PledgeStatus.REJECTED)
    for slug in ("waiting", "turned-down"):
        assert client.get(f"/pledges/{slug}/").status_code == 404
    client.force_login(hub_moderator)
    assert client.get("/pledges/waiting/").status_code == 200
    assert client.get("/pledges/turned-down/").status_code == 200


def test_pledging_answers_the_same_whether_new_or_already_pledged(client, pledge):
    first = client.post("/pledges/refuse-overtime/", pledge_data())
    PledgerFactory(pledge=pledge, email="bea@example.org")
    again = client.post("/pledges/refuse-overtime/", pledge_data(email="bea@example.org"))
    assert first.status_code == again.status_code == 200
    assert "Check your email" in first.content.decode()
    strip = lambda html: html.replace("ada", "").replace("bea", "")  # noqa: E731
    assert strip(first.content.decode()) == strip(again.content.decode())
    assert Pledger.objects.filter(confirmed_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"kind": "alien"}, "Select a valid choice."),
        ({"name": "Bad\x00name"}, "Null characters are not allowed."),
    ],
)
def test_bad_input_is_400_with_a_clear_message(client, pledge, data, message):
    response = client.post("/pledges/refuse-overtime/", pledge_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pledger.objects.exists()


def test_the_honeypot_is_answered_as_accepted_and_stores_nothing(client, pledge):
    response = client.post("/pledges/refuse-overtime/", pledge_data(website="spam.example"))
    assert response.status_code == 200
    assert not Pledger.objects.exists()


def test_a_closed_pledge_shows_no_form_and_refuses_a_pledge(client):
    PledgeFactory(slug="done", status=PledgeStatus.LAPSED)
    assert "I pledge" not in client.get("/pledges/done/").content.decode()
    assert client.post("/pledges/done/", pledge_data()).status_code == 409


def test_the_confirmation_link_only_shows_on_get_and_confirms_on_post(client, pledge):
    client.post("/pledges/refuse-overtime/", pledge_data(name="Ada Typed"))
    pledger = Pledger.objects.get()
    path = link_path(pledger, "confirm")
    assert path in OutboxMessage.objects.get(to=["ada@example.org"]).text

    page = client.get(path)
    assert page.status_code == 200 and "Confirm my pledge" in page.content.decode()
    pledger.refresh_from_db()
    assert pledger.confirmed_at is None

    done = client.post(path, confirm_data(name="Ada Owner"))
    assert "your pledge is confirmed" in done.content.decode()
    assert "1 of 3</strong> have pledged" in done.content.decode()
    pledger.refresh_from_db()
    assert pledger.confirmed_at and pledger.name == "Ada Owner"
    assert client.post(path, confirm_data()).status_code == 200
    assert client.get("/pledges/confirm/tampered/").status_code == 404
    assert client.post(path, confirm_data(kind="")).status_code == 200  # already confirmed


def test_the_withdraw_link_deletes_the_pledger(client, pledge):
    pledger = PledgerFactory(pledge=pledge)
    path = link_path(pledger, "withdraw")
    assert client.get(path).status_code == 200
    assert Pledger.objects.filter(pk=pledger.pk).exists()
    assert client.post(path).status_code == 200
    assert not Pledger.objects.filter(pk=pledger.pk).exists()


def test_a_verified_member_pledges_in_one_click(client, pledge):
    member = verified_user("member@example.org", first_name="Mo", last_name="Member")
    client.force_login(member)
    assert "Pledge in one click" in client.get("/pledges/refuse-overtime/").content.decode()
    response = client.post("/pledges/refuse-overtime/pledge-as-member/", {"kind": "carer"})
    assert "your pledge is confirmed" in response.content.decode()
    pledger = Pledger.objects.get()
    assert pledger.confirmed_at and pledger.user == member and pledger.name == "Mo Member"


def test_proposing_needs_a_verified_member(client):
    assert client.get("/pledges/new/").status_code == 302
    client.force_login(UserFactory(email="unverified@x.org"))
    assert client.get("/pledges/new/").status_code == 403


def proposal(**overrides):
    data = {
        "action": "refuse unpaid overtime for a month",
        "threshold": "50",
        "audience": "worker",
        "deadline": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "details": "Because.",
        "next_steps": "Tell your manager.",
    }
    data.update(overrides)
    return data


def test_a_proposal_is_saved_pending_and_thanked(client, hub_moderator):
    member = verified_user("proposer@example.org")
    client.force_login(member)
    response = client.post("/pledges/new/", proposal(action="I will refuse unpaid overtime."))
    assert "Thanks: moderators will review it" in response.content.decode()
    pledge = Pledge.objects.get()
    assert pledge.status == PledgeStatus.PENDING and pledge.created_by == member
    assert pledge.action == "refuse unpaid overtime" and pledge.network is None
    assert OutboxMessage.objects.filter(to=["mod@hub.example"]).exists()
    assert "waiting for review" in client.get("/pledges/yours/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"threshold": "1"}, "At least 2 people must pledge."),
        ({"threshold": "100001"}, "At most 100,000"),
        ({"threshold": "many"}, "Enter a whole number."),
        ({"deadline": "2001-01-01"}, "The deadline must be in the future."),
        ({"deadline": "2999-01-01"}, "The deadline must be within a year from today."),
        ({"deadline": "soon"}, "Enter a valid date."),
        ({"action": "go"}, "at least 10 characters"),
        ({"action": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_proposals_are_400_with_a_clear_message(client, data, message):
    client.force_login(verified_user("proposer@example.org"))
    response = client.post("/pledges/new/", proposal(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_network_admin_proposes_on_behalf_of_their_network_only(client):
    admin = verified_user("admin@alpha.example")
    alpha = approved_network("Network Alpha", applicant=admin)
    beta = approved_network("Network Beta")
    assert alpha.memberships.get(user=admin).role == MembershipRole.ADMIN
    client.force_login(admin)
    assert "On behalf of" in client.get("/pledges/new/").content.decode()
    assert client.post("/pledges/new/", proposal(network=beta.pk)).status_code == 400
    client.post("/pledges/new/", proposal(network=alpha.pk))
    assert Pledge.objects.get().network == alpha.specific


def test_no_pledgers_address_is_on_any_public_page(client):
    pledge = PledgeFactory(slug="leaky", allow_contact=True)
    PledgerFactory(
        pledge=pledge, name="Shown Name", email="shown.secret@leak.example", show_name=True
    )
    PledgerFactory(pledge=pledge, email="hidden.secret@leak.example")
    PledgerFactory(pledge=pledge, email="unconfirmed.secret@leak.example", confirmed_at=None)
    bound = PledgeFactory(slug="bound-leaky", status=PledgeStatus.BOUND)
    PledgerFactory(pledge=bound, email="bound.secret@leak.example", show_name=True)
    for path in ("/pledges/", "/pledges/leaky/", "/pledges/bound-leaky/", "/pledges/?page=1"):
        html = client.get(path).content.decode()
        assert "leak.example" not in html and "secret" not in html


def test_the_contact_page_sends_to_the_others(client):
    pledge = PledgeFactory(allow_contact=True, status=PledgeStatus.BOUND, bound_at=timezone.now())
    sender = PledgerFactory(pledge=pledge, contactable=True)
    PledgerFactory(pledge=pledge, contactable=True, email="other@x.org")
    path = link_path(sender, "contact")
    assert client.get(path).status_code == 200
    assert client.post(path, {"text": ""}).status_code == 400
    assert client.post(path, {"text": "x" * 2001}).status_code == 400
    response = client.post(path, {"text": "See you Monday"})
    assert "It goes to 1 other" in response.content.decode()
    assert OutboxMessage.objects.filter(to=["other@x.org"], text__contains="See you Monday")
    for _ in range(2):
        client.post(path, {"text": "again"})
    assert client.post(path, {"text": "once more"}).status_code == 429


def test_the_contact_link_does_not_open_before_binding_or_without_permission(client):
    pledger = PledgerFactory(pledge=PledgeFactory(allow_contact=True))
    assert client.get(link_path(pledger, "contact")).status_code == 404
    closed = PledgerFactory(
        pledge=PledgeFactory(status=PledgeStatus.BOUND, bound_at=timezone.now())
    )
    assert client.get(link_path(closed, "contact")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_one_click():
    response = Client().post("/pledges/refuse-overtime/pledge-as-member/")
    assert response.status_code == 302
