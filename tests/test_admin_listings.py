"""The admin's record listings (Wagtail viewsets): their filters, CSV exports that spreadsheets
open as text, and no way in for a network editor."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from campaigns.factories import DemandPageFactory, SignatureFactory
from digests.factories import SubscriberFactory
from digests.models import DigestRun
from hub.factories import TopicFactory, UserFactory
from networks.models import NetworkApplication, NetworkKind

from .networks.conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db

LOCAL_MINUTES = r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d"


@pytest.fixture
def moderator_client(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    return client


@pytest.fixture
def editor_client(client):
    """An approved network's admin, the widest role a network gives."""
    editor = verified_user("editor@alpha.example")
    approved_network("Network Alpha", applicant=editor)
    client.force_login(editor)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def refused(response) -> bool:
    """Wagtail answers PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_digest_runs_filter_by_frequency_and_export_formulas_as_text(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    DigestRun.objects.create(frequency="daily", period="=1+1", sent=3)
    DigestRun.objects.create(frequency="weekly", period="2026-W48", sent=5)
    url = reverse("wagtailsnippets_digests_digestrun:list")

    rows = csv_rows(client.get(url, {"frequency": "daily", "export": "csv"}))
    assert rows[0][:3] == ["Frequency", "Period", "Started at"]
    assert [(row[0], row[1], row[5]) for row in rows[1:]] == [("daily", "'=1+1", "3")]
    assert b"2026-W48" in client.get(url, {"frequency": "weekly"}).content
    assert b"2026-W48" not in client.get(url, {"frequency": "daily"}).content


def test_digest_subscribers_filter_by_topic_and_export_formulas_as_text(moderator_client):
    housing, work = TopicFactory(name="Housing"), TopicFactory(name="Work")
    SubscriberFactory(email="=cmd@example.org", topics=[housing])
    SubscriberFactory(email="other@example.org", topics=[work])
    url = reverse("wagtailsnippets_digests_subscriber:list")

    rows = csv_rows(moderator_client.get(url, {"topics": housing.pk, "export": "csv"}))
    assert rows[0][0] == "Email"
    assert [row[0] for row in rows[1:]] == ["'=cmd@example.org"]
    assert rows[1][2] == "Housing"
    listing = moderator_client.get(url, {"topics": work.pk}).content
    assert b"other@example.org" in listing and b"cmd@example.org" not in listing


@pytest.mark.parametrize("model", ["digestrun", "subscriber"])
def test_a_network_editor_cannot_list_or_export_digest_records(editor_client, model):
    SubscriberFactory(email="secret@example.org")
    url = reverse(f"wagtailsnippets_digests_{model}:list")
    for query in ({}, {"export": "csv"}):
        response = editor_client.get(url, query)
        assert refused(response)


def test_held_signatures_filter_by_demand_and_export_no_address_and_formulas_as_text(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ours, other = DemandPageFactory(title="An inquiry"), DemandPageFactory(title="A review")
    address = {"email": "held@union.example", "email_canonical": "held@union.example"}
    held = SignatureFactory(demand=ours, held=True, name="=HYPERLINK(1)", **address)
    SignatureFactory(demand=other, held=True, name="Other Person")
    url = reverse("wagtailsnippets_campaigns_signature:list")

    rows = csv_rows(client.get(url, {"demand": ours.pk, "export": "csv"}))
    assert rows[0][:3] == ["Name", "Demand", "Email domain"]
    assert [row[:3] for row in rows[1:]] == [["'=HYPERLINK(1)", "An inquiry", "union.example"]]
    assert "held@union.example" not in str(rows)
    assert b"Other Person" not in client.get(url, {"demand": ours.pk}).content
    inspect = client.get(reverse("wagtailsnippets_campaigns_signature:inspect", args=[held.pk]))
    assert b"union.example" in inspect.content and b"held@union.example" not in inspect.content


def test_a_network_editor_cannot_list_export_or_inspect_held_signatures(editor_client):
    held = SignatureFactory(held=True, name="Secret Person")
    for response in (
        editor_client.get(reverse("wagtailsnippets_campaigns_signature:list"), {"export": "csv"}),
        editor_client.get(reverse("wagtailsnippets_campaigns_signature:inspect", args=[held.pk])),
    ):
        assert refused(response)


def test_network_applications_filter_by_status_and_kind_and_export_formulas_as_text(
    moderator_client,
):
    approved_network("Network Alpha")
    NetworkApplication.objects.create(
        applicant=verified_user("=cmd@example.org"), name="=SUM(1)", name_key="sum",
        kind=NetworkKind.UNION, description="Pending union.",
    )  # fmt: skip
    url = reverse("network_applications:index")

    rows = csv_rows(moderator_client.get(url, {"status": "pending", "export": "csv"}))
    assert rows[0][:4] == ["Network", "Kind", "Applicant", "Status"]
    assert [row[:4] for row in rows[1:]] == [
        ["'=SUM(1)", "Trade union", "'=cmd@example.org", "Waiting for moderation"]
    ]
    assert re.fullmatch(LOCAL_MINUTES, rows[1][4]), "sent: local time, to the minute"
    listing = moderator_client.get(url, {"kind": NetworkKind.SERVICE_USER}).content
    assert b"Network Alpha" in listing and b"=SUM(1)" not in listing
    assert (
        b"No applications match these filters."
        in moderator_client.get(url, {"status": "rejected"}).content
    )


def test_the_applications_menu_opens_on_those_waiting(moderator_client):
    menu = moderator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"{reverse('network_applications:index')}?status=pending" in menu


def test_only_the_moderation_permission_opens_network_applications(client):
    pending = NetworkApplication.objects.create(
        applicant=verified_user("a@example.org"), name="Lagan", name_key="lagan",
        kind=NetworkKind.OTHER, description="x",
    )  # fmt: skip
    viewer = UserFactory()
    viewer.groups.add(Group.objects.create(name="Viewers"))
    viewer.groups.get().permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_networkapplication"),
    )
    client.force_login(viewer)
    assert refused(client.get(reverse("network_applications:index")))
    assert refused(client.get(reverse("network_applications:inspect", args=[pending.pk])))


def test_a_network_editor_cannot_list_export_inspect_or_decide_applications(editor_client):
    pending = NetworkApplication.objects.create(
        applicant=verified_user("quiet@example.org"), name="Lagan", name_key="lagan",
        kind=NetworkKind.OTHER, description="Secret plans.",
    )  # fmt: skip
    index = reverse("network_applications:index")
    reject = reverse("network_applications:reject", args=[pending.pk])
    for response in (
        editor_client.get(index),
        editor_client.get(index, {"export": "csv"}),
        editor_client.get(reverse("network_applications:index_results")),
        editor_client.get(reverse("network_applications:inspect", args=[pending.pk])),
        editor_client.post(reverse("network_applications:approve", args=[pending.pk])),
        editor_client.post(reject, {"reason": "x"}),
    ):
        assert refused(response)
    pending.refresh_from_db()
    assert pending.status == "pending"
