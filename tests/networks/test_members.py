"""Network admins invite people, change roles and remove members; a network keeps an admin."""

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from hub.factories import UserFactory
from hub.subpages import subpage_url
from networks.models import Invitation, Membership, MembershipRole

from .conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(index_page, moderator):
    return approved_network("Harbour Circle", moderator=moderator)


@pytest.fixture
def admin(network):
    return network.memberships.get().user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def members_url(network, name="members", **kwargs):
    return subpage_url(network, name, **kwargs)


def invite(client, network, capture, email="newcomer@example.org", role="editor"):
    with capture(execute=True):
        response = client.post(members_url(network, "invite"), {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()
    link = re.search(r"http://testserver(/networks/invitations/[^\s]+/)", mail.outbox[-1].body)
    return link.group(1)


def test_an_invited_person_accepts_and_can_edit(
    admin_client, client, network, django_capture_on_commit_callbacks
):
    link = invite(admin_client, network, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["newcomer@example.org"]
    assert "7 days" in mail.outbox[-1].body

    newcomer = verified_user("Newcomer@Example.org")
    client.force_login(newcomer)
    page = client.get(link)
    assert page.status_code == 200
    assert "Join Harbour Circle" in page.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists(), "a GET accepts nothing"

    response = client.post(link)
    assert response.status_code == 302 and response.url == network.url
    assert Membership.objects.get(user=newcomer).role == MembershipRole.EDITOR
    assert newcomer.groups.filter(pk=network.editors_group_id).exists()
    edit = reverse("wagtailadmin_pages:edit", args=[network.pk])
    assert client.get(edit).status_code == 200


def test_a_used_link_cannot_be_used_again(
    admin_client, client, network, django_capture_on_commit_callbacks
):
    link = invite(admin_client, network, django_capture_on_commit_callbacks)
    newcomer = verified_user("newcomer@example.org")
    client.force_login(newcomer)
    assert client.post(link).status_code == 302
    Membership.objects.filter(user=newcomer).delete()

    response = client.post(link)
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_expired_link_is_refused(
    admin_client, client, network, django_capture_on_commit_callbacks, monkeypatch
):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
    )
    link = invite(admin_client, network, django_capture_on_commit_callbacks)
    monkeypatch.undo()

    client.force_login(verified_user("newcomer@example.org"))
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 400
        assert "This invitation has expired" in response.content.decode()
    assert network.memberships.count() == 1


def test_a_tampered_link_is_refused(
    admin_client, client, network, django_capture_on_commit_callbacks
):
    link = invite(admin_client, network, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    # Another pk under the real timestamp and signature, in the current and the plain form.
    _, timestamp, signature = link.rstrip("/").rsplit("/", 1)[1].split(":")
    other = str(invitation.pk + 1)
    forged = [
        f"/networks/invitations/{payload}:{timestamp}:{signature}/"
        for payload in (signing.b64_encode(other.encode()).decode(), other)
    ]
    client.force_login(verified_user("newcomer@example.org"))
    for url in [*forged, "/networks/invitations/nonsense/"]:
        response = client.post(url)
        assert response.status_code == 400
        assert "not valid" in response.content.decode()


def test_the_wrong_account_cannot_accept(
    admin_client, client, network, django_capture_on_commit_callbacks
):
    link = invite(admin_client, network, django_capture_on_commit_callbacks)
    client.force_login(verified_user("someone-else@example.org"))
    response = client.post(link)
    assert response.status_code == 403
    assert "sent to another email address" in response.content.decode()

    unverified = UserFactory(email="newcomer@example.org")
    client.force_login(unverified)
    assert client.post(link).status_code == 403, "the address must be verified"
    assert network.memberships.count() == 1

    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_last_admin_cannot_leave_be_removed_or_demoted(admin_client, network, admin):
    membership = network.memberships.get()
    response = admin_client.post(members_url(network, "leave"))
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()

    response = admin_client.post(members_url(network, "member_remove", pk=membership.pk))
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()

    response = admin_client.post(
        members_url(network, "member_role", pk=membership.pk), {f"m{membership.pk}-role": "editor"}
    )
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()
    assert network.memberships.get().role == MembershipRole.ADMIN


def test_admins_change_roles_and_remove_members(admin_client, client, network, admin):
    editor = verified_user("editor@example.org")
    membership = Membership.objects.create(network=network, user=editor, role="editor")
    editor.groups.add(network.editors_group)

    page = admin_client.get(members_url(network))
    assert page.status_code == 200
    assert "editor@example.org" in page.content.decode()

    role_url = members_url(network, "member_role", pk=membership.pk)
    assert admin_client.post(role_url, {f"m{membership.pk}-role": "owner"}).status_code == 400
    assert admin_client.post(role_url, {f"m{membership.pk}-role": "admin"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN

    # With a second admin, the first may step down and then leave.
    own = network.memberships.get(user=admin)
    own_role_url = members_url(network, "member_role", pk=own.pk)
    assert admin_client.post(own_role_url, {f"m{own.pk}-role": "editor"}).status_code == 302

    client.force_login(editor)
    remove_url = members_url(network, "member_remove", pk=own.pk)
    assert client.post(remove_url).status_code == 302
    assert not network.memberships.filter(user=admin).exists()
    assert not admin.groups.exists(), "removal revokes the editors' group"


def test_members_pages_are_for_that_networks_admins_only(client, network, moderator):
    other = approved_network("Clyde Survivors", moderator=moderator)
    other_admin = other.memberships.get().user
    editor = verified_user("editor@example.org")
    Membership.objects.create(network=network, user=editor, role="editor")
    target = network.memberships.get(role="admin")

    for user in [other_admin, editor, UserFactory()]:
        client.force_login(user)
        assert client.get(members_url(network)).status_code == 403
        response = client.post(
            members_url(network, "invite"), {"email": "x@example.org", "role": "admin"}
        )
        assert response.status_code == 403
        assert client.post(members_url(network, "member_remove", pk=target.pk)).status_code == 403
        response = client.post(
            members_url(network, "member_role", pk=target.pk), {f"m{target.pk}-role": "editor"}
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert network.memberships.get(pk=target.pk).role == "admin"

    client.logout()
    response = client.get(members_url(network))
    assert response.status_code == 302 and reverse("account_login") in response.url
    # A network that does not exist has no routes, so no login is asked for first.
    assert client.get("/networks/no-such-network/members/").status_code == 404
    client.force_login(other_admin)
    assert client.get("/networks/no-such-network/members/").status_code == 404


def test_another_networks_member_cannot_be_managed_through_this_one(
    admin_client, network, moderator
):
    other = approved_network("Clyde Survivors", moderator=moderator)
    stranger = other.memberships.get()
    url = members_url(network, "member_remove", pk=stranger.pk)
    assert admin_client.post(url).status_code == 404
    assert other.memberships.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "editor"}, "This field is required."),
        ({"email": "not an email", "role": "editor"}, "Enter a valid email address."),
        ({"email": "<b>x</b>@example.org", "role": "editor"}, "Enter a valid email address."),
        ({"email": "a" * 250 + "@example.org", "role": "editor"}, "at most 254 characters"),
        ({"email": "ok@example.org", "role": "owner"}, "Select a valid choice."),
        ({"email": "admin-harbourcircle@example.org", "role": "editor"}, "already a member"),
    ],
)
def test_bad_invitations_get_a_clear_message_and_a_400(admin_client, network, data, message):
    response = admin_client.post(members_url(network, "invite"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_unicode_addresses_can_be_invited(
    admin_client, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            members_url(network, "invite"), {"email": "zoe@exämple.org", "role": "admin"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().role == "admin"
    assert len(mail.outbox) == 1


def test_an_editor_leaves(client, network):
    editor = verified_user("editor@example.org")
    membership = Membership.objects.create(network=network, user=editor, role="editor")
    editor.groups.add(network.editors_group)
    client.force_login(editor)
    assert "Leave" in client.get(network.url).content.decode()
    assert client.get(members_url(network, "leave")).status_code == 200
    response = client.post(members_url(network, "leave"))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not editor.groups.exists()
    assert network.memberships.filter(role="admin").count() == 1
