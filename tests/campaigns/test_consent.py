"""Consent belongs to the owner of the address: whoever types it into the sign form chooses
nothing that is published or shared. The owner sees the choices when confirming, and the
confirming POST's choices are the ones that take effect."""

import re

import pytest
from django.core import mail

from campaigns import selectors, services
from campaigns.factories import DemandPageFactory
from campaigns.models import DemandPage, Signature
from digests.services import digest_run_start
from hub.outbox import outbox_drain
from networks.factories import MembershipFactory
from tests.conftest import run_in_threads

from .conftest import confirm_data, live_networks, sign_data

pytestmark = pytest.mark.django_db

OWNER = "olive.owner@example.org"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def post_sign(client, demand, captured, **overrides):
    with captured(execute=True):
        return client.post(demand.url, sign_data(**overrides))


def confirm_link(message) -> str:
    return re.search(r"/signatures/confirm/[^/\s]+/", message.body).group(0)


def html_part(message) -> str:
    return message.alternatives[0][0]


def test_a_forged_signature_is_replaced_by_the_owners_and_only_their_choices_are_published(
    client, demand, django_capture_on_commit_callbacks
):
    network_x, network_y = live_networks(2)
    admin_of_x = MembershipFactory(network=network_x)
    captured = django_capture_on_commit_callbacks

    mallory = post_sign(
        client, demand, captured, name="Mallory", email=OWNER, show_name="on",
        affiliation=network_x.pk, keep_updated="on", kind="carer",
    )  # fmt: skip
    forged_email = mail.outbox[-1]
    assert forged_email.to == [OWNER]
    assert "Mallory: shown on the public list of signers" in forged_email.body
    assert f"yes: {network_x.title} gets your name, email address" in forged_email.body

    owner = post_sign(
        client, demand, captured, name="Olive Owner", email=OWNER, show_name="on",
        affiliation=network_y.pk,
    )  # fmt: skip
    assert CSRF.sub(b"", owner.content) == CSRF.sub(b"", mallory.content), "the same answer"
    assert len(mail.outbox) == 2
    owners_email = mail.outbox[-1]
    assert "Mallory" not in owners_email.body and "Olive Owner" in owners_email.body
    assert Signature.objects.count() == 1

    forged_link, owners_link = confirm_link(forged_email), confirm_link(owners_email)
    assert forged_link != owners_link
    assert client.get(forged_link).status_code == 404
    assert client.post(forged_link, confirm_data(name="Mallory")).status_code == 404
    page = client.get(owners_link)
    html = page.content.decode()
    assert page.status_code == 200 and "Mallory" not in html
    assert 'value="Olive Owner"' in html and "shown on the public list of signers" in html
    assert re.search(r'<input type="checkbox" name="show_name"[^>]*checked', html)

    # The owner switches "show my name" off and confirms: that is what takes effect.
    done = client.post(owners_link, confirm_data(name="Olive Owner", affiliation=network_y.pk))
    assert done.status_code == 200 and "your signature is confirmed" in done.content.decode()
    signature = Signature.objects.get()
    assert signature.confirmed_at is not None
    assert (signature.name, signature.show_name, signature.affiliation, signature.kind) == (
        "Olive Owner", False, network_y, "worker",
    )  # fmt: skip
    assert not signature.keep_updated
    assert client.post(forged_link).status_code == 404, "still dead after confirming"

    services.tally_fold_all()
    for url in [demand.url, f"{demand.url}names/", f"{demand.url}counts/"]:
        body = client.get(url).content.decode()
        assert "Mallory" not in body and "Olive Owner" not in body, url
    assert selectors.demand_count(demand=demand) == 1
    breakdowns = selectors.demand_breakdowns(demand=demand)
    assert [row["label"] for row in breakdowns["by_network"]] == [network_y.title]
    assert [row["key"] for row in breakdowns["by_kind"]] == ["worker"]

    client.force_login(admin_of_x.user)
    csv = client.get(f"/signatures/networks/{network_x.pk}/signers.csv").content.decode()
    assert OWNER not in csv and "Olive" not in csv and "Mallory" not in csv


def test_the_owner_who_chooses_a_network_on_the_confirmation_page_is_in_its_csv(
    client, demand, django_capture_on_commit_callbacks
):
    (network,) = live_networks(1)
    admin = MembershipFactory(network=network)
    post_sign(client, demand, django_capture_on_commit_callbacks, email=OWNER)
    link = confirm_link(mail.outbox[0])
    client.post(link, confirm_data(affiliation=network.pk, keep_updated="on"))
    client.force_login(admin.user)
    csv = client.get(f"/signatures/networks/{network.pk}/signers.csv").content.decode()
    assert OWNER in csv and "Ada Lovelace" in csv


def test_the_confirmation_email_shows_what_will_be_published_and_shared(
    demand, django_capture_on_commit_callbacks
):
    (network,) = live_networks(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_create(
            demand=demand, name="Ada <b>Lovelace</b>", email=OWNER, kind="service-user",
            postcode="M1 1AE", affiliation=network, show_name=True, keep_updated=True,
        )  # fmt: skip
        services.signature_create(
            demand=demand, name="Grace Hopper", email="grace@example.org", kind="other"
        )
    shown, hidden = mail.outbox
    assert shown.subject == f"Confirm your signature: {demand.title}"
    for line in [
        "Name: Ada <b>Lovelace</b>: shown on the public list of signers",
        "I am: A person who uses services: counted in the public breakdown, without your name",
        "Postcode area: M1: counted in the regional breakdown, never shown",
        f"Your network: {network.title}: counted in the breakdown by network",
        f"Keep me updated: yes: {network.title} gets your name, email address, postcode area "
        "and what you are",
        "use the latest: earlier links stop working",
    ]:
        assert line in shown.body
    html = html_part(shown)
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;: shown on the public list of signers" in html
    assert f"Yes: {network.title} gets your name, email address" in html
    assert "<dt>Postcode area</dt>" in html and "M1: counted in the regional breakdown" in html
    for line in [
        "Name: Grace Hopper: not shown, only counted",
        "Postcode area: not given",
        "Your network: none",
        "Keep me updated: no: no network gets your email address",
    ]:
        assert line in hidden.body
    assert "not shown, only counted" in html_part(hidden)
    assert confirm_link(shown) in html and confirm_link(hidden) in html_part(hidden)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "Ada\x07", "characters we cannot show"),
        ("kind", "minister", "Select a valid choice"),
        ("postcode", "XXX", "Enter a UK postcode"),
        ("affiliation", "999999", "Select a valid choice"),
        ("keep_updated", "on", "Choose your network to be kept updated by it."),
    ],
)
def test_bad_choices_on_the_confirmation_page_are_a_400_and_confirm_nothing(
    client, demand, django_capture_on_commit_callbacks, field, value, message
):
    post_sign(client, demand, django_capture_on_commit_callbacks, show_name="on")
    response = client.post(confirm_link(mail.outbox[0]), confirm_data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "Nothing is confirmed yet" in html
    signature = Signature.objects.get()
    assert signature.confirmed_at is None and signature.show_name
    assert selectors.demand_count(demand=demand) == 0


def test_the_confirmation_page_is_a_labelled_form_in_a_fieldset_prefilled(
    client, demand, django_capture_on_commit_callbacks
):
    (network,) = live_networks(1)
    post_sign(
        client, demand, django_capture_on_commit_callbacks, affiliation=network.pk,
        keep_updated="on",
    )  # fmt: skip
    html = client.get(confirm_link(mail.outbox[0])).content.decode()
    start = html.index('<form method="post" class="confirm-form"')
    form = html[start : html.index("</form>", start)]
    assert "<fieldset>" in form and "<legend>Check or change your details</legend>" in form
    for name in ["name", "postcode", "kind", "affiliation", "show_name", "keep_updated"]:
        assert f'<label for="id_{name}"' in form, name
        assert f'id="id_{name}"' in form, name
    assert 'value="SW1A"' in form and f'<option value="{network.pk}" selected>' in form
    assert re.search(r'name="keep_updated"[^>]*checked', form)
    assert not re.search(r'name="show_name"[^>]*checked', form)
    assert "<script" not in form


def test_the_answer_is_the_same_whatever_the_address_has_done_and_confirmed_is_untouched(
    client, demand, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    first = post_sign(client, demand, captured)
    same_again = post_sign(client, demand, captured)
    replaced = post_sign(client, demand, captured, name="Someone Else")
    assert len(mail.outbox) == 2, "the same details again wait an hour; new ones send a link"
    assert Signature.objects.get().name == "Someone Else"
    client.post(confirm_link(mail.outbox[-1]), confirm_data(name="Ada Lovelace"))
    after_confirming = post_sign(client, demand, captured, name="Mallory", show_name="on")
    answers = {CSRF.sub(b"", r.content) for r in [first, same_again, replaced, after_confirming]}
    assert len(answers) == 1
    assert len(mail.outbox) == 3, "once confirmed, its address is told, and only by email"
    assert mail.outbox[-1].to == ["ada@gmail.com"]
    assert mail.outbox[-1].subject.startswith("You have already signed")
    signature = Signature.objects.get()
    assert (signature.name, signature.show_name) == ("Ada Lovelace", False)


def test_past_the_mailbox_resend_limit_nothing_is_replaced_so_the_last_link_works(
    client, demand, django_capture_on_commit_callbacks
):
    limit = services.EMAIL_RESEND_LIMITS[0][1]
    for n in range(limit + 3):
        post_sign(client, demand, django_capture_on_commit_callbacks, name=f"Version {n}")
    assert len(mail.outbox) == limit + 1
    assert Signature.objects.get().name == f"Version {limit}"
    assert client.get(confirm_link(mail.outbox[-1])).status_code == 200


def test_a_member_signing_in_one_click_replaces_a_forged_signature_with_their_own_choices(
    client, demand, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    from hub.factories import UserFactory

    (network,) = live_networks(1)
    user = UserFactory(email=OWNER, first_name="Olive", last_name="Owner")
    EmailAddress.objects.create(user=user, email=OWNER, verified=True, primary=True)
    post_sign(
        client, demand, django_capture_on_commit_callbacks, name="Mallory", email=OWNER,
        show_name="on", affiliation=network.pk, keep_updated="on",
    )  # fmt: skip
    client.force_login(user)
    html = client.get(demand.url).content.decode()
    assert "waiting to be confirmed" in html and f"Sign as {OWNER}" in html
    client.post(f"{demand.url}sign-as-member/", {"kind": "worker"})
    signature = Signature.objects.get()
    assert signature.confirmed_at is not None and signature.user == user
    assert (signature.name, signature.show_name, signature.affiliation_id) == (
        "Olive Owner", False, None,
    )  # fmt: skip
    assert not signature.keep_updated


def test_unconfirmed_choices_reach_no_public_page_csv_api_breakdown_or_digest(
    client, django_capture_on_commit_callbacks
):
    from django.test import Client

    (network,) = live_networks(1)
    admin = MembershipFactory(network=network)
    demand = DemandPageFactory(milestones="1,2")
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_create(
            demand=demand, name="Mallory", email=OWNER, kind="carer", postcode="EH1 1AA",
            affiliation=network, show_name=True, keep_updated=True,
        )  # fmt: skip
    services.tally_fold_all()

    anonymous = Client()
    for url in [demand.url, f"{demand.url}names/", f"{demand.url}counts/", "/api/v2/demands/",
                f"/api/v2/demands/{demand.pk}/", f"{network.url}"]:  # fmt: skip
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert "Mallory" not in response.content.decode(), url
    assert anonymous.get(f"/api/v2/demands/{demand.pk}/").json()["signature_count"] == 0
    assert anonymous.get(f"{demand.url}counts/").json()["by_kind"] == {}
    breakdowns = selectors.demand_breakdowns(demand=demand)
    assert all(rows == [] for rows in breakdowns.values())
    assert selectors.with_counts(DemandPage.objects.filter(pk=demand.pk)).get().signature_count == 0
    run = digest_run_start(frequency="daily", dispatch=lambda run_id, ids: None)
    assert run.demand_state[str(demand.pk)][2] == 0, "no milestone reached"
    client.force_login(admin.user)
    csv = client.get(f"/signatures/networks/{network.pk}/signers.csv").content.decode()
    assert OWNER not in csv and "Mallory" not in csv


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_replacing_submissions_make_one_row_and_the_last_link_is_the_only_valid_one():
    from django.test import Client

    demand = DemandPageFactory()
    services.signature_create(demand=demand, name="Mallory", email=OWNER, kind="carer")
    names = [f"Person {n}" for n in range(20)]

    run_in_threads(
        20,
        lambda n: services.signature_create(
            demand=demand, name=names[n], email=OWNER, kind="worker", ip=f"10.2.{n}.1"
        ),
    )

    signature = Signature.objects.get()
    assert signature.name in names and signature.confirmed_at is None
    links = [confirm_link(message) for message in mail.outbox]
    assert len(mail.outbox) <= 1 + services.EMAIL_RESEND_LIMITS[0][1]
    client = Client()
    valid = [link for link in links if client.get(link).status_code == 200]
    assert valid, "at least one link works"
    # Every link that works is in an email showing the details stored now: the last ones.
    for message in mail.outbox:
        if confirm_link(message) in valid:
            assert f"Name: {signature.name}:" in message.body
    response = client.post(valid[0], confirm_data(name=signature.name, postcode=""))
    assert response.status_code == 200
    assert Signature.objects.get().confirmed_at is not None


def test_a_replacement_withdraws_the_unsent_email_so_only_the_fresh_link_goes_out(client, demand):
    # No on-commit callback runs here: both emails wait in the outbox, as with the broker down.
    services.signature_create(demand=demand, name="First", email=OWNER, kind="worker")
    services.signature_create(demand=demand, name="Second", email=OWNER, kind="worker")
    assert outbox_drain() == 1

    (only,) = mail.outbox
    assert "Name: Second:" in only.body
    assert client.get(confirm_link(only)).status_code == 200


def test_a_link_emailed_before_links_carried_a_nonce_still_confirms(client, demand):
    from django.core import signing

    from campaigns.factories import SignatureFactory

    signature = SignatureFactory(demand=demand, confirmed_at=None, name="Ada Lovelace")
    token = signing.dumps(
        {"s": signature.pk, "a": "confirm"}, salt=services.LINK_NAMESPACE, compress=True
    )
    response = client.post(f"/signatures/confirm/{token}/", confirm_data(postcode=""))
    assert response.status_code == 200
    signature.refresh_from_db()
    assert signature.confirmed_at is not None
