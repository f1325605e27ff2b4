import pytest
from django.urls import reverse

from hub.factories import UserFactory
from hub.models import HomePage, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_moderators_manage_pages_topics_and_settings_in_the_wagtail_admin(admin_client):
    home = HomePage.objects.get()
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailadmin_pages:add", args=["hub", "contentpage", home.pk]),
        reverse("wagtailsnippets_hub_topic:list"),
        reverse("wagtailsnippets_hub_topic:add"),
        reverse("wagtailsettings:edit", args=["hub", "sitesettings"]),
    ]
    for url in urls:
        assert admin_client.get(url, follow=True).status_code == 200, url


def test_a_topic_added_in_the_admin_is_saved(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_hub_topic:add"),
        {"name": "Housing", "slug": "housing", "description": ""},
    )
    assert response.status_code == 302
    assert Topic.objects.filter(slug="housing").exists()
