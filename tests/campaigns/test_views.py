import csv
import io
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.core.validators import validate_email
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import selectors, services
from campaigns.factories import SignatureFactory
from campaigns.models import DemandStatus, NetworkCoSignature, Signature
from hub.exports import FORMULA_STARTS
from hub.factories import UserFactory
from networks.factories import MembershipFactory, NetworkPageFactory

from .conftest import confirm_data, sign_data

pytestmark = pytest.mark.django_db

CHECK_EMAIL = "Check your email"
MANDATE = {"mandate": "committee", "decided_on": "2026-03-03"}


def post_sign(client, demand, captured, **overrides):
    with captured(execute=True):
        return client.post(demand.url, sign_data(**overrides))


def links(message):
    confirm = re.search(r"/signatures/confirm/[^/\s]+/", message.body).group(0)
    withdraw = re.search(r"/signatures/withdraw/[^/\s]+/", message.body).group(0)
    return confirm, withdraw


def test_the_demand_page_shows_the_count_with_how_we_count_beside_it(client, demand):
    SignatureFactory.create_batch(3, demand=demand)
    SignatureFactory(demand=demand, held=True)
    response = client.get(demand.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'demand-count__number">3<', html)
    assert 'href="/how-we-count/"' in html
    assert "Next milestone: 100 signatures" in html
    assert "<svg" in html and "https://" not in html.split("<footer")[0].split("<main")[1]


def test_signing_says_check_your_email_and_confirming_takes_a_post(
    client, demand, django_capture_on_commit_callbacks
):
    response = post_sign(client, demand, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert CHECK_EMAIL in response.content.decode()
    confirm, _withdraw = links(mail.outbox[0])

    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirm my signature" in page.content.decode()
    assert Signature.objects.get().confirmed_at is None, "a GET (a mail scanner) confirms nothing"

    done = client.post(confirm, confirm_data())
    assert done.status_code == 200
    assert "your signature is confirmed" in done.content.decode()
    assert selectors.demand_count(demand=demand) == 1

    used = client.post(confirm)
    assert "already confirmed" in used.content.decode()
    assert selectors.demand_count(demand=demand) == 1


@pytest.mark.parametrize("mangle", ["tamper", "wrong-action", "garbage"])
def test_a_tampered_link_confirms_nothing(
    client, demand, django_capture_on_commit_callbacks, mangle
):
    post_sign(client, demand, django_capture_on_commit_callbacks)
    confirm, withdraw = links(mail.outbox[0])
    token = confirm.split("/")[-2]
    bad = {
        "tamper": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "wrong-action": withdraw.split("/")[-2],
        "garbage": "not-a-token",
    }[mangle]
    response = client.post(f"/signatures/confirm/{bad}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert Signature.objects.get().confirmed_at is None


def test_an_expired_link_confirms_nothing(client, demand, monkeypatch):
    signature = SignatureFactory(demand=demand, confirmed_at=None)
    eight_days_ago = time.time() - 8 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = services.signature_token(signature=signature, action="confirm")
    monkeypatch.undo()
    assert client.post(f"/signatures/confirm/{token}/").status_code == 404
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_withdrawal_takes_a_post_and_kills_the_confirmation_link(
    client, demand, django_capture_on_commit_callbacks
):
    post_sign(client, demand, django_capture_on_commit_callbacks)
    confirm, withdraw = links(mail.outbox[0])
    assert client.get(withdraw).status_code == 200
    assert Signature.objects.exists(), "a GET withdraws nothing"
    assert "withdrawn" in client.post(withdraw).content.decode()
    assert not Signature.objects.exists()
    assert client.post(confirm).status_code == 404
    assert client.post(withdraw).status_code == 404


def test_a_honeypot_submission_looks_accepted_but_stores_nothing(
    client, demand, django_capture_on_commit_callbacks
):
    response = post_sign(client, demand, django_capture_on_commit_callbacks, website="spam.biz")
    assert response.status_code == 200 and CHECK_EMAIL in response.content.decode()
    assert not Signature.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 101, "at most 100 characters"),
        ("name", "Ada\x07", "characters we cannot show"),
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "a" * 250 + "@example.org", "at most 254 characters"),
        ("postcode", "XXX", "Enter a UK postcode"),
        ("postcode", "SW1A 1AA 1AA", "at most 10 characters"),
        ("kind", "", "This field is required."),
        ("kind", "minister", "Select a valid choice"),
        ("affiliation", "999999", "Select a valid choice"),
        ("affiliation", "abc", "Select a valid choice"),
        ("keep_updated", "on", "Choose your network to be kept updated by it."),
        ("website", "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_on_every_field_gets_a_clear_message_and_a_400(
    client, demand, field, value, message
):
    response = client.post(demand.url, sign_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_a_closed_demand_takes_no_signatures(client, demand):
    demand.status = DemandStatus.WON
    demand.save_revision().publish()
    response = client.post(demand.url, sign_data())
    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_other_methods_are_refused(client, demand):
    assert client.put(demand.url).status_code == 405
    assert client.get(f"{demand.url}sign-as-member/").status_code == 405


def test_a_verified_member_signs_in_one_click(client, demand):
    user = UserFactory(first_name="Grace", last_name="Hopper")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.post(f"{demand.url}sign-as-member/", {"kind": "carer", "show_name": "on"})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.confirmed_at and signature.user == user and signature.kind == "carer"
    assert selectors.demand_count(demand=demand) == 1
    assert mail.outbox == []


def test_an_unverified_member_cannot_sign_in_one_click(client, demand):
    user = UserFactory()
    client.force_login(user)
    assert client.post(f"{demand.url}sign-as-member/", {"kind": "carer"}).status_code == 403
    assert client.post(f"{demand.url}sign-as-member/", {"kind": "x"}).status_code == 403
    assert not Signature.objects.exists()


def test_names_are_listed_newest_first_only_when_chosen(client, demand):
    now = timezone.now()
    SignatureFactory(demand=demand, name="Older Name", show_name=True,
                     confirmed_at=now - timezone.timedelta(days=1))  # fmt: skip
    SignatureFactory(demand=demand, name="Newer Name", show_name=True)
    SignatureFactory(demand=demand, name="Hidden Name", show_name=False)
    SignatureFactory(demand=demand, name="Unconfirmed Name", show_name=True, confirmed_at=None)
    SignatureFactory(demand=demand, name="Held Name", show_name=True, held=True)
    html = client.get(f"{demand.url}names/").content.decode()
    assert html.index("Newer Name") < html.index("Older Name")
    for absent in ["Hidden Name", "Unconfirmed Name", "Held Name"]:
        assert absent not in html
    assert client.get(f"{demand.url}names/?page=abc").status_code == 200
    assert client.get(f"{demand.url}names/?page=-5").status_code == 200


def test_the_counts_endpoint_is_json_and_cached_for_a_few_seconds(client, demand):
    SignatureFactory.create_batch(2, demand=demand, kind="carer")
    url = f"{demand.url}counts/"
    data = client.get(url).json()
    assert data["signatures"] == 2 and data["by_kind"] == {"carer": 2}
    assert data["how_we_count"] == "/how-we-count/"
    SignatureFactory(demand=demand)
    response = client.get(url)
    assert response.json()["signatures"] == 2, "served from the cache"
    assert "max-age=5" in response["Cache-Control"]


def test_breakdowns_add_up_to_the_count(demand):
    network = NetworkPageFactory(title="Therapists Together")
    SignatureFactory(demand=demand, kind="worker", region="london", affiliation=network)
    SignatureFactory(demand=demand, kind="worker", region="scotland")
    SignatureFactory(demand=demand, kind="carer", region="")
    breakdowns = selectors.demand_breakdowns(demand=demand)
    for rows in breakdowns.values():
        assert sum(row["count"] for row in rows) == 3
    assert {row["label"]: row["count"] for row in breakdowns["by_nation"]} == {
        "England": 1, "Scotland": 1, "Not given": 1,
    }  # fmt: skip
    assert {row["label"] for row in breakdowns["by_network"]} == {
        "Therapists Together", "Not given",
    }  # fmt: skip


def test_a_network_admin_cosigns_and_withdraws_from_the_demand_page(client, demand):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert "Co-sign for your network" in client.get(demand.url).content.decode()
    response = client.post(
        f"{demand.url}cosign/",
        {"network": membership.network.pk, "statement": "We stand with you.", "action": "sign",
         **MANDATE},
    )  # fmt: skip
    assert response.status_code == 302
    html = client.get(demand.url).content.decode()
    assert membership.network.title in html and "We stand with you." in html
    client.post(f"{demand.url}cosign/", {"network": membership.network.pk, "action": "withdraw"})
    assert not NetworkCoSignature.objects.exists()


def test_cosigning_refuses_non_admins_and_bad_input(client, demand):
    other = NetworkPageFactory()
    assert client.post(f"{demand.url}cosign/", {"network": other.pk}).status_code == 403
    membership = MembershipFactory(role="editor")
    client.force_login(membership.user)
    data = {"network": membership.network.pk, "action": "sign"}
    assert client.post(f"{demand.url}cosign/", data).status_code == 403
    admin = MembershipFactory()
    client.force_login(admin.user)
    bad_posts = [
        {"network": other.pk, "action": "sign", **MANDATE},
        {"network": admin.network.pk, "action": "explode", **MANDATE},
        {"network": admin.network.pk, "action": "sign", "statement": "x" * 1001, **MANDATE},
    ]
    for bad in bad_posts:
        assert client.post(f"{demand.url}cosign/", bad).status_code == 400
    assert not NetworkCoSignature.objects.exists()


def test_the_platform_page_shows_the_network_by_demand_table(client):
    from campaigns.factories import DemandPageFactory, PlatformPageFactory

    platform = PlatformPageFactory(title="Platform for an IAPT inquiry")
    demands = DemandPageFactory.create_batch(2, parent=platform)
    admin = MembershipFactory(network__title="Workers Network")
    client.force_login(admin.user)
    response = client.post(
        f"{platform.url}cosign/", {"network": admin.network.pk, "action": "sign", **MANDATE}
    )
    assert response.status_code == 302
    assert NetworkCoSignature.objects.count() == 2
    html = client.get(platform.url).content.decode()
    assert "Workers Network" in html and html.count("✓") == 2
    assert all(demand.title in html for demand in demands)


def test_network_admins_export_only_consenting_signers_of_their_network(client, demand):
    admin = MembershipFactory()
    network = admin.network
    SignatureFactory(demand=demand, affiliation=network, keep_updated=True,
                     email="yes@example.net", name="=HYPERLINK()")  # fmt: skip
    SignatureFactory(demand=demand, affiliation=network, keep_updated=False, email="no@example.net")
    SignatureFactory(demand=demand, affiliation=network, keep_updated=True, confirmed_at=None,
                     email="unconfirmed@example.net")  # fmt: skip
    SignatureFactory(demand=demand, keep_updated=True, email="elsewhere@example.net")
    url = f"/signatures/networks/{network.pk}/signers.csv"

    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(network=network, role="editor").user)
    assert client.get(url).status_code == 404

    client.force_login(admin.user)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "yes@example.net" in body and "'=HYPERLINK()" in body
    for absent in ["no@example.net", "unconfirmed@example.net", "elsewhere@example.net"]:
        assert absent not in body


# Addresses the email validator accepts that a spreadsheet would run as formulas.
FORMULA_EMAILS = ["=cmd|'/ccalc'!A0@example.net", "+1+1@example.net", "-2+3@example.net"]


@pytest.mark.parametrize("email", FORMULA_EMAILS)
def test_no_cell_of_the_signers_csv_runs_as_a_formula(client, demand, email):
    validate_email(email)
    admin = MembershipFactory()
    SignatureFactory(demand=demand, affiliation=admin.network, keep_updated=True, email=email,
                     name="@SUM(1+1)")  # fmt: skip
    demand.title = "=HYPERLINK(1)"
    demand.save_revision().publish()
    client.force_login(admin.user)
    response = client.get(f"/signatures/networks/{admin.network.pk}/signers.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:3] == ["'=HYPERLINK(1)", "'@SUM(1+1)", f"'{email}"]
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def count_queries(client, url):
    client.get(url)  # warm the site-root and other caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def bulk_signatures(demand, count, start):
    kinds = ["worker", "service-user", "carer", "other"]
    regions = ["london", "scotland", "wales", ""]
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(demand=demand, name=f"Signer {n}", email=f"s{n}@example.net",
                  email_canonical=f"s{n}@example.net", kind=kinds[n % 4], region=regions[n % 4],
                  show_name=n % 2 == 0, confirmed_at=now - timezone.timedelta(hours=n % 1000))
        for n in range(start, start + count)
    )  # fmt: skip


@pytest.mark.postgres
def test_the_demand_page_makes_the_same_queries_with_10_and_10000_signatures(client, demand):
    NetworkPageFactory.create_batch(3)
    bulk_signatures(demand, 10, 0)
    services.tally_fold(demand_id=demand.pk, batch=5)
    with_ten = count_queries(client, demand.url)
    bulk_signatures(demand, 9_990, 10)
    services.tally_fold(demand_id=demand.pk, batch=5000)
    with_ten_thousand = count_queries(client, demand.url)
    assert selectors.demand_count(demand=demand) == 10_000
    assert with_ten == with_ten_thousand
    print(f"demand page queries: {with_ten} with 10, {with_ten_thousand} with 10,000")


def test_a_member_who_signed_sees_it_and_can_withdraw(client, demand):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    client.post(f"{demand.url}sign-as-member/", {"kind": "worker"})
    services.tally_fold_all()
    html = client.get(demand.url).content.decode()
    assert "You have signed this demand" in html
    assert client.post(f"{demand.url}withdraw-as-member/").status_code == 302
    assert not Signature.objects.exists()
    assert selectors.demand_count(demand=demand) == 0
    assert services.tally_recount(demand_id=demand.pk) == 0
