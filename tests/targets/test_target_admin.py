"""Who keeps the list of targets in the admin: hub moderators add, change and remove them;
Wagtail's Editors may read it; a network editor may do none of it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hub.factories import UserFactory
from targets.models import Target
from tests.networks.conftest import approved_network

from .conftest import addressed, record

pytestmark = pytest.mark.django_db

TARGETS = "wagtailsnippets_targets_target"


def in_group(name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


def refused(response) -> bool:
    """Wagtail answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def fields(**overrides) -> dict:
    return {"name": "UK Council for Psychotherapy", "slug": "", "kind": "professional-body",
            "description": "", "website": "", **overrides}  # fmt: skip


@pytest.fixture
def moderator(client):
    client.force_login(in_group("Moderators"))
    return client


def test_targets_are_in_the_admin_menu_for_moderators(moderator):
    html = moderator.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(f"{TARGETS}:list") in html
    assert '"name": "targets"' in html or "Targets" in html


def test_moderators_add_a_target_its_slug_made_from_its_name(moderator):
    response = moderator.post(reverse(f"{TARGETS}:add"), fields())
    assert response.status_code == 302
    assert Target.objects.get().slug == "uk-council-for-psychotherapy"
    response = moderator.post(
        reverse(f"{TARGETS}:add"), fields(name="UK-Council for Psychotherapy")
    )
    assert response.status_code == 302
    assert Target.objects.get(name="UK-Council for Psychotherapy").slug == (
        "uk-council-for-psychotherapy-2"
    )


def test_a_name_another_target_has_in_other_case_or_spacing_is_refused_clearly(moderator, target):
    response = moderator.post(reverse(f"{TARGETS}:add"), fields(name="nhs  ENGLAND"))
    assert response.status_code == 200
    assert "There is already a target called “nhs ENGLAND”." in response.content.decode()
    response = moderator.post(reverse(f"{TARGETS}:add"), fields(name="NHS E", slug="nhs-england"))
    assert response.status_code == 200
    assert "Another target’s page is at /targets/nhs-england/." in response.content.decode()
    response = moderator.post(reverse(f"{TARGETS}:add"), fields(name="NHS E", slug="not a slug"))
    assert response.status_code == 200
    assert Target.objects.count() == 1


def test_moderators_edit_and_remove_a_target(moderator, target):
    edit = reverse(f"{TARGETS}:edit", args=[target.pk])
    assert moderator.get(edit).status_code == 200
    response = moderator.post(edit, fields(name="NHS England", slug="nhs-england", kind="nhs-body"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.kind, target.slug) == ("nhs-body", "nhs-england")
    moderator.post(reverse(f"{TARGETS}:delete", args=[target.pk]))
    assert not Target.objects.exists()


def test_a_target_with_deliveries_on_record_cannot_be_removed(moderator, target):
    record(target)
    delete = reverse(f"{TARGETS}:delete", args=[target.pk])
    edit = reverse(f"{TARGETS}:edit", args=[target.pk])
    for response in (moderator.get(delete), moderator.post(delete)):
        assert (response.status_code, response.url) == (302, edit)
    html = moderator.get(edit).content.decode()
    assert "has deliveries on record, so it cannot be deleted" in html
    assert delete not in html, "no delete button offers it"
    bulk = reverse("wagtail_bulk_action", args=["targets", "target", "delete"])
    moderator.post(f"{bulk}?id={target.pk}")
    assert Target.objects.filter(pk=target.pk).exists()


def test_editors_may_read_the_list_but_not_change_it(client, target):
    client.force_login(in_group("Editors"))
    assert client.get(reverse(f"{TARGETS}:list")).status_code == 200
    assert refused(client.get(reverse(f"{TARGETS}:add")))
    assert refused(client.post(reverse(f"{TARGETS}:add"), fields()))
    edit = reverse(f"{TARGETS}:edit", args=[target.pk])
    assert refused(client.post(edit, fields(name="Renamed", slug="nhs-england")))
    assert refused(client.post(reverse(f"{TARGETS}:delete", args=[target.pk])))
    target.refresh_from_db()
    assert target.name == "NHS England"


def test_a_network_editor_may_not_add_change_or_remove_a_target(client, target):
    network = approved_network("Hearing Voices North")
    editor = network.editors_group.user_set.get()
    client.force_login(editor)
    assert refused(client.get(reverse(f"{TARGETS}:list")))
    assert refused(client.get(reverse(f"{TARGETS}:add")))
    assert refused(client.post(reverse(f"{TARGETS}:add"), fields()))
    edit = reverse(f"{TARGETS}:edit", args=[target.pk])
    assert refused(client.get(edit))
    assert refused(client.post(edit, fields(name="Renamed", slug="nhs-england")))
    assert refused(client.post(reverse(f"{TARGETS}:delete", args=[target.pk])))
    assert Target.objects.get(pk=target.pk).name == "NHS England"
    assert Target.objects.count() == 1


def test_the_demand_editor_ticks_the_demand_s_targets(moderator, target):
    demand = addressed(target)
    html = moderator.get(reverse("wagtailadmin_pages:edit", args=[demand.pk])).content.decode()
    assert 'type="checkbox" name="targets"' in html
    assert f'value="{target.pk}"' in html and "checked" in html
    assert 'name="addressed_to"' not in html
