import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns import selectors, services
from campaigns.factories import SignatureFactory
from campaigns.models import Signature
from hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def bulk_url(action, signatures):
    ids = "&".join(f"id={signature.pk}" for signature in signatures)
    return reverse("wagtail_bulk_action", args=["campaigns", "signature", action]) + "?" + ids


def test_moderators_list_held_signatures_without_their_emails(admin_client, demand):
    SignatureFactory(demand=demand, held=True, name="Held Person", email="held@union.example",
                     email_canonical="held@union.example")  # fmt: skip
    SignatureFactory(demand=demand, name="Counted Person")
    response = admin_client.get(reverse("wagtailsnippets_campaigns_signature:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Held Person" in html and "union.example" in html
    assert "held@union.example" not in html
    assert "Counted Person" not in html


def test_moderators_clear_and_invalidate_held_signatures_in_bulk(admin_client, demand):
    cleared = SignatureFactory.create_batch(2, demand=demand, held=True)
    invalid = SignatureFactory.create_batch(2, demand=demand, held=True)
    SignatureFactory(demand=demand)
    assert selectors.demand_count(demand=demand) == 1

    assert admin_client.get(bulk_url("clear", cleared)).status_code == 200
    response = admin_client.post(bulk_url("clear", cleared))
    assert response.status_code == 302
    assert selectors.demand_count(demand=demand) == 3

    admin_client.post(bulk_url("invalidate", invalid))
    assert not Signature.objects.filter(pk__in=[s.pk for s in invalid]).exists()
    services.tally_fold_all()
    assert selectors.demand_count(demand=demand) == 3
    assert services.tally_recount(demand_id=demand.pk) == 0


def test_members_cannot_clear_held_signatures(client, demand):
    held = SignatureFactory(demand=demand, held=True)
    client.force_login(UserFactory())
    client.post(bulk_url("clear", [held]))
    held.refresh_from_db()
    assert held.held


def test_editors_add_demand_pages_in_the_admin(admin_client, demand):
    index = demand.get_parent()
    urls = [
        reverse("wagtailadmin_pages:edit", args=[demand.pk]),
        reverse("wagtailadmin_pages:add", args=["campaigns", "demandpage", index.pk]),
        reverse("wagtailadmin_pages:add", args=["campaigns", "platformpage", index.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_nobody_adds_a_signature_through_the_admin(admin_client):
    response = admin_client.get(reverse("wagtailsnippets_campaigns_signature:add"))
    assert response.status_code in (302, 403)
    assert not Signature.objects.exists()


def test_the_signature_chooser_shows_moderators_what_the_listing_shows_and_nobody_else(
    client, admin_client, demand
):
    held = SignatureFactory(demand=demand, held=True, name="Held Person")
    counted = SignatureFactory(demand=demand, name="Counted Person")
    choose = reverse("wagtailsnippetchoosers_campaigns_signature:choose")
    chosen = reverse("wagtailsnippetchoosers_campaigns_signature:chosen", args=[held.pk])
    html = admin_client.get(choose).content.decode()
    assert "Held Person" in html and "Counted Person" not in html
    assert "Held Person" in admin_client.get(chosen).content.decode()
    other = reverse("wagtailsnippetchoosers_campaigns_signature:chosen", args=[counted.pk])
    assert admin_client.get(other).status_code == 404
    not_an_id = reverse("wagtailsnippetchoosers_campaigns_signature:chosen", args=["x"])
    assert admin_client.get(not_an_id).status_code == 404
    assert admin_client.get(bulk_url("delete", [held])).status_code == 200

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    multiple = reverse("wagtailsnippetchoosers_campaigns_signature:chosen_multiple")
    for url in [choose, chosen, f"{multiple}?id={held.pk}", bulk_url("delete", [held]),
                bulk_url("clear", [held])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), url
        assert "Held Person" not in client.get(response.url).content.decode()
