import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape

from campaigns.models import Signature
from digests.demo import DEMO_MEMBER_HOME
from events.models import Rsvp, RsvpStatus

pytestmark = pytest.mark.django_db


def test_the_demo_members_home_shows_a_follow_an_rsvp_and_a_signature(client, demo_site):
    member = get_user_model().objects.get(email=DEMO_MEMBER_HOME)
    [rsvp] = Rsvp.objects.filter(user=member)
    assert rsvp.status == RsvpStatus.CONFIRMED
    [signature] = Signature.objects.filter(user=member)
    assert signature.confirmed_at is not None

    client.force_login(member)
    page = client.get("/account/").content.decode()
    assert "You follow nothing yet" not in page
    assert escape(rsvp.event.title) in page
    assert escape(signature.demand.title) in page
    assert "Cancel my place" in page

    # Seeding again answers and signs nothing twice.
    call_command("seed_demo", stdout=io.StringIO())
    assert Rsvp.objects.filter(user=member).count() == 1
    assert Signature.objects.filter(user=member).count() == 1
