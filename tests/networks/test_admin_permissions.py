"""A network's editors work in the Wagtail admin on their own network's pages and nowhere else."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub.models import HomePage
from networks.factories import PositionPageFactory
from networks.models import NetworkIndexPage, NetworkPage, PositionPage

from .conftest import approved_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(index_page, moderator):
    a = approved_network("Network Alpha", moderator=moderator)
    b = approved_network("Network Beta", moderator=moderator)
    b_position = PositionPageFactory(parent=b, title="Beta stands firm")
    b_position.save_revision().publish()
    return a, b, b_position


@pytest.fixture
def editor_client(client, networks):
    a, _, _ = networks
    editor = a.memberships.get().user
    assert not editor.is_superuser and not editor.is_staff
    client.force_login(editor)
    return client


def position_form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "Where we stand.",
            "date": "2026-03-01",
            "body": streamfield([("paragraph", rich_text("<p>Our reasons.</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def refused(response) -> bool:
    """Wagtail answers a refused page action with 403, or a redirect to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_an_editor_creates_and_publishes_a_position_in_their_own_network(editor_client, networks):
    a, _, _ = networks
    add_url = reverse("wagtailadmin_pages:add", args=["networks", "positionpage", a.pk])
    assert editor_client.get(add_url).status_code == 200
    response = editor_client.post(
        add_url, position_form("Safe caseloads now", "safe-caseloads", **{"action-publish": "1"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    position = PositionPage.objects.get(slug="safe-caseloads")
    assert position.live and position.get_parent().pk == a.pk
    assert editor_client.get(position.url).status_code == 200

    edit_url = reverse("wagtailadmin_pages:edit", args=[position.pk])
    response = editor_client.post(
        edit_url,
        position_form("Safe caseloads, now", "safe-caseloads", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.title == "Safe caseloads, now"

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[a.pk]),
        nested_form_data(
            {
                "title": "Network Alpha",
                "slug": a.slug,
                "kind": "union",
                "description": rich_text("<p>We changed our about text.</p>"),
                "how_to_join": rich_text(""),
                "social_links": streamfield([]),
                "comments": inline_formset([]),
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302, "editors keep their own network's page up to date"
    assert NetworkPage.objects.get(pk=a.pk).kind == "union"


def test_an_editor_is_refused_everywhere_outside_their_network(editor_client, networks):
    a, b, b_position = networks
    index = NetworkIndexPage.objects.get()
    home = HomePage.objects.get()
    before = {page.pk: (page.title, page.live, page.path) for page in Page.objects.all()}

    adds = [
        ("networks", "positionpage", b.pk),
        ("networks", "networkpage", index.pk),
        ("hub", "contentpage", home.pk),
    ]
    for app_label, model, parent_pk in adds:
        url = reverse("wagtailadmin_pages:add", args=[app_label, model, parent_pk])
        assert refused(editor_client.get(url)), url
        form = position_form("Intruder", "intruder", **{"action-publish": "1"})
        assert refused(editor_client.post(url, form)), url
    for parent in [b, index, home]:
        url = reverse("wagtailadmin_pages:add_subpage", args=[parent.pk])
        assert refused(editor_client.get(url)), url

    for page in [b_position, b, index, home]:
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert refused(editor_client.get(edit)), edit
        form = position_form("Taken over", page.slug, **{"action-publish": "1"})
        assert refused(editor_client.post(edit, form)), f"publish {edit}"
        for name in ["delete", "unpublish", "move"]:
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.pk])
            assert refused(editor_client.get(url)), url
            assert refused(editor_client.post(url)), url
        destination = a if page.pk != a.pk else b
        url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])
        assert refused(editor_client.post(url)), url

    own = PositionPageFactory(parent=a, title="Ours")
    for destination in [b, index, home]:
        url = reverse("wagtailadmin_pages:move_confirm", args=[own.pk, destination.pk])
        assert refused(editor_client.post(url)), f"move out of A to {destination}"

    after = {page.pk: (page.title, page.live, page.path) for page in Page.objects.all()}
    after.pop(own.pk)
    assert after == before
    assert not PositionPage.objects.filter(slug="intruder").exists()


def test_the_editor_sees_only_their_network_in_the_admin(editor_client, networks):
    a, b, _ = networks
    response = editor_client.get(reverse("wagtailadmin_explore_root"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Network Alpha" in html
    assert "Network Beta" not in html
    assert refused(editor_client.get(reverse("wagtailadmin_pages:edit", args=[b.pk])))


def test_a_member_who_leaves_loses_the_admin(client, networks):
    from networks import services
    from networks.models import Membership, MembershipRole

    a, _, _ = networks
    from .conftest import verified_user

    editor = verified_user("second@example.org")
    membership = Membership.objects.create(network=a, user=editor, role=MembershipRole.EDITOR)
    editor.groups.add(a.editors_group)
    client.force_login(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[a.pk])
    assert client.get(edit).status_code == 200
    services.membership_remove(membership=membership)
    response = client.get(edit)
    assert response.status_code == 302 and response.url != edit


def test_the_page_chooser_shows_an_editor_only_public_pages_and_their_own(editor_client, networks):
    from wagtail.models import PageViewRestriction

    a, b, _ = networks
    PositionPageFactory(parent=b, title="Beta draft plans", live=False).save_revision()
    private = PositionPageFactory(parent=b, title="Beta private minutes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    PositionPageFactory(parent=a, title="Alpha draft plans", live=False).save_revision()
    own_private = PositionPageFactory(parent=a, title="Alpha private minutes")
    PageViewRestriction.objects.create(page=own_private, restriction_type=PageViewRestriction.LOGIN)

    listed = ""
    for url in [
        reverse("wagtailadmin_choose_page_child", args=[b.pk]),
        reverse("wagtailadmin_choose_page_child", args=[a.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=minutes",
        reverse("wagtailadmin_choose_page_search") + "?q=plans",
        reverse("wagtailadmin_choose_page_search") + "?q=stands",
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        listed += response.content.decode()
    for title in ["Beta stands firm", "Alpha draft plans", "Alpha private minutes"]:
        assert title in listed
    assert "Beta draft plans" not in listed
    assert "Beta private minutes" not in listed
