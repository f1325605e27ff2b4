import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision

from digests.models import MemberPreferences
from hub.models import ContentPage, Topic

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "confirmed subscribers": MemberPreferences.objects.filter(
            user__isnull=True, confirmed_at__isnull=False
        ).count(),
    }


def test_seed_demo_twice_leaves_the_same_counts(settings):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["topics"] >= 10
    assert first["confirmed subscribers"] == 1
    assert ContentPage.objects.live().filter(slug="how-we-count").exists()
    assert f"{settings.DEMO_ADMIN_EMAIL} / {settings.DEMO_ADMIN_PASSWORD}" in out.getvalue()


def test_the_printed_admin_login_works(client, settings):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(email=settings.DEMO_ADMIN_EMAIL, password=settings.DEMO_ADMIN_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_seed_demo_refuses_where_demo_content_is_off(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="switched off"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
