"""The admin's record listings (Wagtail viewsets): their filters, CSV exports that spreadsheets
open as text, and no way in for a network editor."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from campaigns.factories import DemandPageFactory, SignatureFactory
from digests.factories import SubscriberFactory
from digests.models import DigestRun
from hub.factories import TopicFactory, UserFactory

from .networks.conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db


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
    url = reverse(f"wagtailsnippets_hub_{model}:list")
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
