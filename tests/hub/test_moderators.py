import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    moderator = UserFactory(is_staff=False)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    return moderator, client


def test_the_moderators_group_can_do_the_hubs_moderation(moderator_client):
    moderator, client = moderator_client
    for permission in [
        "wagtailadmin.access_admin",
        "networks.change_networkapplication",
        "events.view_rsvp",
        "campaigns.change_signature",
        "hub.change_topic",
    ]:
        assert moderator.has_perm(permission), permission
    assert not moderator.is_superuser
    assert client.get(reverse("wagtailsnippets_hub_topic:list")).status_code == 200
