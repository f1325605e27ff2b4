"""Registering a network, end to end: the form, the moderators' review, both emails."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.factories import UserFactory
from hub.models import Region
from networks.models import ApplicationStatus, Membership, NetworkApplication, NetworkPage

from .conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db

APPLY = "/networks/apply/"


def form_data(**overrides):
    data = {
        "name": "Harbour Peer Support Circle",
        "kind": "peer-support",
        "description": "Weekly peer-support circles in coastal towns.\n\nAll welcome.",
        "website": "https://harbour.example",
        "public_contact_email": "hello@harbour.example",
        "regions": [Region.objects.get(slug="south-west").pk],
        "founded_year": "2014",
        "how_to_join": "Come along.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant_client(client, index_page):
    client.force_login(verified_user("applicant@example.org"))
    return client


@pytest.fixture
def moderator_client(moderator):
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    return client


def test_apply_approve_and_both_ends_are_told(
    applicant_client, moderator_client, django_capture_on_commit_callbacks
):
    assert applicant_client.get(APPLY).status_code == 200
    response = applicant_client.post(APPLY, form_data())
    assert response.status_code == 302
    application = NetworkApplication.objects.get()
    assert application.status == ApplicationStatus.PENDING
    assert "your application is with the hub" in applicant_client.get(APPLY).content.decode()

    listing = moderator_client.get(reverse("network_applications:index"))
    assert listing.status_code == 200
    assert "Harbour Peer Support Circle" in listing.content.decode()
    detail = moderator_client.get(reverse("network_applications:inspect", args=[application.pk]))
    assert "Weekly peer-support circles" in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("network_applications:approve", args=[application.pk])
        )
    assert response.status_code == 302
    network = NetworkPage.objects.get()
    assert network.live and network.title == "Harbour Peer Support Circle"
    assert Membership.objects.get(network=network).user.email == "applicant@example.org"
    [message] = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert network.url in message.body

    page = applicant_client.get(network.url)
    assert page.status_code == 200
    assert "You are an admin of this network." in page.content.decode()
    assert "see the network's page" in applicant_client.get(APPLY).content.decode()


def test_apply_reject_with_a_reason(
    applicant_client, moderator_client, django_capture_on_commit_callbacks
):
    applicant_client.post(APPLY, form_data())
    application = NetworkApplication.objects.get()
    reject = reverse("network_applications:reject", args=[application.pk])

    response = moderator_client.post(reject, {"reason": ""})
    assert response.status_code == 400, "a rejection needs a reason"
    assert "This field is required." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(reject, {"reason": "Please tell us who you serve."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not NetworkPage.objects.exists()
    [message] = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert "Please tell us who you serve." in message.body

    response = moderator_client.post(reverse("network_applications:approve", args=[application.pk]))
    assert response.status_code == 409, "a decided application stays decided"
    assert "already been rejected" in response.content.decode()


def test_only_moderators_review_applications(client, index_page):
    approved = approved_network("Clyde Survivors Network")
    editor = approved.memberships.get().user
    pending = NetworkApplication.objects.create(
        applicant=editor, name="Lagan", name_key="lagan", kind="other", description="x"
    )
    client.force_login(editor)
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    for url in [
        reverse("network_applications:index"),
        reverse("network_applications:inspect", args=[pending.pk]),
    ]:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    for action in ["approve", "reject"]:
        response = client.post(
            reverse(f"network_applications:{action}", args=[pending.pk]), {"reason": "x"}
        )
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    assert "Network applications" not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.logout()
    response = client.get(reverse("network_applications:index"))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response.url


def test_applying_needs_a_signed_in_member_with_a_verified_email(client, index_page):
    response = client.get(APPLY)
    assert response.status_code == 302 and reverse("account_login") in response.url

    client.force_login(UserFactory(email="unverified@example.org"))
    response = client.post(APPLY, form_data())
    assert response.status_code == 403
    assert "verify your email address" in response.content.decode()
    assert not NetworkApplication.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 121}, "at most 120 characters"),
        ({"name": "<script>alert(1)</script>"}, "HTML is not allowed"),
        ({"name": "Harbour <b>Circle</b>"}, "HTML is not allowed"),
        ({"name": "!!! ..."}, "at least one letter or digit"),
        ({"name": "Bad\x00name"}, "Null characters are not allowed."),
        ({"description": ""}, "This field is required."),
        ({"description": "y" * 3001}, "at most 3000 characters"),
        ({"description": "<img src=x onerror=alert(1)>"}, "HTML is not allowed"),
        ({"kind": "cult"}, "Select a valid choice."),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"public_contact_email": "not-an-email"}, "Enter a valid email address."),
        ({"regions": ["999999"]}, "Select a valid choice."),
        ({"founded_year": "1066"}, "greater than or equal to 1800"),
        ({"founded_year": "soon"}, "Enter a whole number."),
        ({"how_to_join": "z" * 1501}, "at most 1500 characters"),
    ],
)
def test_bad_application_input_gets_a_clear_message_and_a_400(
    applicant_client, overrides, field_error
):
    response = applicant_client.post(APPLY, form_data(**overrides))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not NetworkApplication.objects.exists()
    assert b"<script>alert(1)</script>" not in response.content


def test_unicode_names_are_welcome(applicant_client):
    response = applicant_client.post(APPLY, form_data(name="Rhwydwaith Lles Cymru — Ψυχή"))
    assert response.status_code == 302
    assert NetworkApplication.objects.get().name == "Rhwydwaith Lles Cymru — Ψυχή"


@pytest.mark.parametrize("clash", ["harbour peer support circle", "Harbour Peer-Support Circle!"])
def test_a_clashing_name_gets_a_clear_message(applicant_client, clash):
    approved_network("Harbour Peer Support Circle")
    response = applicant_client.post(APPLY, form_data(name=clash))
    assert response.status_code == 400
    assert "already exists or is waiting for approval" in response.content.decode()

    response = applicant_client.post(APPLY, form_data(name="Clyde Survivors"))
    assert response.status_code == 302
    response = applicant_client.post(APPLY, form_data(name="clyde  survivors."))
    assert response.status_code == 400, "a pending application holds its name too"


def test_applications_are_rate_limited(applicant_client):
    for n in range(5):
        assert applicant_client.post(APPLY, form_data(name=f"Network {n}")).status_code == 302
    response = applicant_client.post(APPLY, form_data(name="Network 6"))
    assert response.status_code == 429
    assert NetworkApplication.objects.count() == 5


def test_an_empty_post_says_what_is_missing(applicant_client):
    response = applicant_client.post(APPLY, {})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 3


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("   ", "This field is required."),
        ("r" * 2001, "at most 2000 characters"),
        ("<a href=//evil.example>see</a>", "HTML is not allowed"),
    ],
)
def test_bad_rejection_reasons_get_a_clear_message(
    applicant_client, moderator_client, reason, message
):
    applicant_client.post(APPLY, form_data())
    application = NetworkApplication.objects.get()
    response = moderator_client.post(
        reverse("network_applications:reject", args=[application.pk]), {"reason": reason}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert not mail.outbox


def test_approval_without_a_directory_page_is_a_clear_error(
    applicant_client, moderator_client, index_page
):
    applicant_client.post(APPLY, form_data())
    application = NetworkApplication.objects.get()
    index_page.delete()
    response = moderator_client.post(reverse("network_applications:approve", args=[application.pk]))
    assert response.status_code == 409
    assert "no network directory page" in response.content.decode()
