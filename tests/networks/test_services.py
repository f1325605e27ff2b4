import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from hub.factories import TopicFactory, UserFactory
from hub.models import Region
from networks import approval, services
from networks.models import (
    ApplicationStatus,
    Membership,
    MembershipRole,
    NetworkApplication,
    NetworkKind,
    NetworkPage,
)

from .conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db


def apply_for(name, applicant=None, **extra):
    fields = {"kind": NetworkKind.UNION, "description": "We organise.", **extra}
    return services.network_application_create(
        applicant=applicant or verified_user(f"{services.name_key(name)}@example.org"),
        name=name,
        **fields,
    )


def test_approval_makes_the_live_page_the_group_and_the_admin_membership(
    index_page, moderator, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Crisis care")
    application = apply_for(
        "Fenland <Mind> & Matters",
        description="First paragraph.\n\nSecond <b>paragraph</b>.",
        regions=Region.objects.filter(slug__in=["wales", "london"]),
        topics=[topic],
        founded_year=2002,
    )
    with django_capture_on_commit_callbacks(execute=True):
        network = approval.network_approve(application=application, moderator=moderator)

    network = NetworkPage.objects.get(pk=network.pk)
    assert network.live and network.get_parent().pk == index_page.pk
    assert network.title == "Fenland <Mind> & Matters"
    assert network.slug == "fenland-mind-matters"
    assert network.description == (
        "<p>First paragraph.</p><p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>"
    ), "applicants' text is escaped, never trusted as HTML"
    assert {r.slug for r in network.regions.all()} == {"wales", "london"}
    assert list(network.topics.all()) == [topic]
    assert network.latest_revision is not None

    group = network.editors_group
    page_perms = GroupPagePermission.objects.filter(group=group)
    assert {p.page_id for p in page_perms} == {network.pk}, "the network's subtree only"
    assert {p.permission.codename for p in page_perms} == {
        "add_page",
        "change_page",
        "publish_page",
    }
    assert group.permissions.filter(codename="access_admin").exists()
    assert {
        p.permission.codename for p in GroupCollectionPermission.objects.filter(group=group)
    } == {"add_image", "choose_image"}

    applicant = application.applicant
    assert Membership.objects.get(network=network, user=applicant).role == MembershipRole.ADMIN
    assert applicant.groups.filter(pk=group.pk).exists()
    assert not applicant.is_superuser

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.network == network and application.reviewed_by == moderator

    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert "is now a member network" in message.subject
    assert f"http://testserver{network.url}" in message.body
    assert f"/admin/pages/{network.pk}/" in message.body
    assert "Fenland <Mind> & Matters" in message.subject, "plain-text parts are not escaped"


def test_rejection_records_the_reason_and_emails_it(
    index_page, moderator, django_capture_on_commit_callbacks
):
    application = apply_for("Union of Talking Therapy Workers")
    with django_capture_on_commit_callbacks(execute=True):
        approval.network_reject(
            application=application, moderator=moderator, reason="Tell us who you organise."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not NetworkPage.objects.exists()
    [message] = mail.outbox
    assert message.to == [application.applicant.email]
    assert "Tell us who you organise." in message.body
    assert "Tell us who you organise." in message.alternatives[0][0]


def test_a_rejection_needs_a_reason(index_page, moderator):
    application = apply_for("Harbour Circle")
    with pytest.raises(services.ValidationError, match="reason"):
        approval.network_reject(application=application, moderator=moderator, reason="   ")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


@pytest.mark.parametrize(
    "clashing", ["clyde survivors network", "Clyde-Survivors Network!", "  CLYDE SURVIVORS NETWORK"]
)
def test_names_clash_with_pending_applications_and_existing_networks(
    index_page, moderator, clashing
):
    application = apply_for("Clyde Survivors Network")
    with pytest.raises(services.NameClashError):
        apply_for(clashing, applicant=UserFactory())
    approval.network_approve(application=application, moderator=moderator)
    with pytest.raises(services.NameClashError):
        apply_for(clashing, applicant=UserFactory())


def test_a_rejected_name_can_be_used_again(index_page, moderator):
    application = apply_for("Harbour Circle")
    approval.network_reject(application=application, moderator=moderator, reason="Too vague.")
    assert apply_for("Harbour Circle", applicant=application.applicant).status == "pending"


def test_the_database_refuses_two_pending_applications_with_one_name(index_page):
    first = apply_for("Harbour Circle")
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkApplication.objects.create(
            applicant=first.applicant,
            name="harbour circle",
            name_key=first.name_key,
            kind=NetworkKind.OTHER,
            description="x",
        )


def test_a_race_between_two_applications_ends_in_a_clear_error(index_page, monkeypatch):
    apply_for("Harbour Circle")
    # Both requests passed the check before either inserted: the constraint decides.
    monkeypatch.setattr(services, "_name_taken", lambda key: False)
    with pytest.raises(services.NameClashError):
        apply_for("HARBOUR CIRCLE")
    assert NetworkApplication.objects.count() == 1


def test_a_race_between_two_approvals_ends_in_a_clear_error(index_page, moderator, monkeypatch):
    first = apply_for("Harbour Circle")
    approval.network_reject(application=first, moderator=moderator, reason="Duplicate.")
    second = apply_for("Harbour Circle")
    approval.network_approve(application=second, moderator=moderator)
    NetworkApplication.objects.filter(pk=first.pk).update(status=ApplicationStatus.PENDING)
    # As if the other approval had not committed yet: the checks and the page's validation
    # cannot see its row, so only the unique constraint stands in the way.
    monkeypatch.setattr(approval, "network_exists", lambda key: False)
    monkeypatch.setattr(NetworkPage, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(services.NameClashError):
        approval.network_approve(application=first, moderator=moderator)
    assert NetworkPage.objects.count() == 1
    first.refresh_from_db()
    assert first.status == ApplicationStatus.PENDING


def test_an_application_is_approved_once(index_page, moderator, django_capture_on_commit_callbacks):
    application = apply_for("Harbour Circle")
    with django_capture_on_commit_callbacks(execute=True):
        approval.network_approve(application=application, moderator=moderator)
        with pytest.raises(services.NotPendingError, match="already been approved"):
            approval.network_approve(application=application, moderator=moderator)
        with pytest.raises(services.NotPendingError):
            approval.network_reject(application=application, moderator=moderator, reason="No.")
    assert NetworkPage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_slugs_avoid_the_reserved_routes_and_each_other(index_page, moderator):
    assert approved_network("Positions", moderator=moderator).slug == "positions-2"
    assert approved_network("Apply", moderator=moderator).slug == "apply-2"
    assert approved_network("Ψυχή", moderator=moderator).slug == "network"


def test_the_last_admin_cannot_be_demoted_removed_or_leave(index_page, moderator):
    network = approved_network("Harbour Circle", moderator=moderator)
    admin = network.memberships.get()
    with pytest.raises(services.LastAdminError):
        services.membership_role_change(membership=admin, role=MembershipRole.EDITOR)
    with pytest.raises(services.LastAdminError):
        services.membership_remove(membership=admin)
    assert network.memberships.get().role == MembershipRole.ADMIN

    second = Membership.objects.create(
        network=network, user=UserFactory(), role=MembershipRole.EDITOR
    )
    services.membership_role_change(membership=second, role=MembershipRole.ADMIN)
    services.membership_role_change(membership=admin, role=MembershipRole.EDITOR)
    with pytest.raises(services.LastAdminError):
        services.membership_remove(membership=second)


def test_removing_a_member_revokes_the_editors_group(index_page, moderator):
    network = approved_network("Harbour Circle", moderator=moderator)
    editor = UserFactory()
    membership = Membership.objects.create(network=network, user=editor, role=MembershipRole.EDITOR)
    editor.groups.add(network.editors_group)
    services.membership_remove(membership=membership)
    assert not editor.groups.exists()
    assert not network.memberships.filter(user=editor).exists()


@pytest.mark.postgres
# Threads need committed data; serialized_rollback brings back the home page that migrations
# made, which an earlier transactional test may have flushed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_of_one_application_make_one_network():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from networks.factories import NetworkIndexPageFactory

    NetworkIndexPageFactory()
    moderator = UserFactory(is_superuser=True)
    application = apply_for("Harbour Circle")
    barrier = Barrier(2)

    def approve(_):
        barrier.wait()
        try:
            approval.network_approve(application=application, moderator=moderator)
            return "approved"
        except services.NotPendingError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(approve, range(2)))
    assert outcomes == ["approved", "refused"]
    assert NetworkPage.objects.count() == 1
    assert Membership.objects.count() == 1
