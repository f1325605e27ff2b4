"""A moderator is told on the admin dashboard that an application waits, and follows the
link to it; every page on the way, the applicant's and the moderator's in the admin, passes axe
at a phone's width and a desktop's."""

import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image
from playwright.sync_api import expect

from hub.factories import UserFactory
from networks.factories import NetworkIndexPageFactory
from networks.models import NetworkApplication
from tests.browser.conftest import assert_accessible_at_both_widths
from tests.networks.conftest import verified_user

from .test_journeys import PASSWORD, admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), "#6b3fa0").save(out, format="PNG")
    return out.getvalue()


def test_a_moderator_sees_the_waiting_application_on_the_dashboard_and_opens_it(
    live_server, browser
):
    NetworkIndexPageFactory(show_in_menus=True)
    verified_user("organiser@example.org", password=PASSWORD)
    moderator_user = UserFactory(email="moderator@example.org", password=PASSWORD)
    moderator_user.groups.add(Group.objects.get(name="Moderators"))
    base = live_server.url

    applicant = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    applicant.set_default_timeout(15_000)
    applicant.goto(f"{base}/accounts/login/")
    assert_accessible_at_both_widths(applicant)
    applicant.locator("input[name=login]").fill("organiser@example.org")
    applicant.locator("input[name=password]").fill(PASSWORD)
    applicant.locator("main form button[type=submit]").click()
    expect(applicant).to_have_url(f"{base}/")
    assert_accessible_at_both_widths(applicant)
    applicant.goto(f"{base}/networks/apply/")
    expect(applicant.get_by_label("Network name (required)")).to_be_visible()
    assert_accessible_at_both_widths(applicant)
    applicant.get_by_label("Network name").fill("Hearing Voices Leeds")
    applicant.get_by_label("Kind").select_option(index=1)
    applicant.get_by_label("Strapline").fill("Peer groups for people who hear voices")
    applicant.get_by_label("About the network").fill("Peer support groups for voice hearers.")
    applicant.get_by_label("Logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}
    )
    applicant.get_by_role("button", name="Send the application").click()
    main = applicant.locator("main")
    expect(main).to_contain_text("Hearing Voices Leeds: Waiting for moderation")
    expect(applicant.locator("main form input[name=name]")).to_have_count(0)
    assert_accessible_at_both_widths(applicant)
    application = NetworkApplication.objects.get(name="Hearing Voices Leeds")
    assert application.logo

    moderator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    moderator.set_default_timeout(15_000)
    moderator.goto(f"{base}/admin/login/")
    assert_accessible_at_both_widths(moderator)
    admin_log_in(moderator, base, "moderator@example.org")
    assert_accessible_at_both_widths(moderator)
    panel = moderator.locator("#moderation-waiting-section, [id^=moderation-waiting]").first
    expect(panel).to_contain_text("Waiting for moderators")
    link = moderator.get_by_role("link", name="1 network application waiting")
    expect(link).to_be_visible()
    link.click()
    expect(moderator).to_have_url(f"{base}/admin/network-applications/?status=pending")
    assert_accessible_at_both_widths(moderator)
    moderator.get_by_role("link", name="Hearing Voices Leeds").click()
    body = moderator.locator("body")
    expect(body).to_contain_text("Peer groups for people who hear voices")
    expect(moderator.get_by_role("img", name="The logo sent with the application")).to_be_visible()
    assert_accessible_at_both_widths(moderator)
