"""A moderator records in the admin that a demand was delivered to its target, then the
target's response; the demand's page then shows both on its timeline, and passes axe at a
phone's width and a desktop's."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.factories import SignatureFactory
from targets.models import Delivery, Target
from tests.browser.conftest import assert_accessible_at_both_widths
from tests.deliberation.conftest import moderator_user, published_demand

from .test_journeys import admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_moderator_records_a_delivery_and_a_response_and_the_demand_shows_them(
    live_server, browser
):
    target = Target.objects.create(name="NHS England", slug="nhs-england")
    demand = published_demand(
        title="A public inquiry into IAPT", slug="inquiry", first_published_at=timezone.now()
    )
    demand.targets.add(target)
    demand.save()
    SignatureFactory.create_batch(3, demand=demand)
    moderator_user()
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}{demand.url}")
    expect(page.get_by_text("Not delivered to its targets yet.")).to_be_visible()

    admin_log_in(page, base, "moderator@example.org")
    page.goto(f"{base}/admin/deliveries/")
    page.get_by_role("link", name="Add delivery").first.click()
    expect(page.get_by_label("Which demand was delivered?")).to_be_visible()
    page.get_by_label("Which demand was delivered?").select_option(label=demand.title)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Signatures delivered")).to_have_value("3")
    page.get_by_label("Target").select_option(label="NHS England")
    page.get_by_label("Method").select_option(label="Handed in person")
    page.get_by_label("Note").fill("Handed to the chief executive's office.")
    page.get_by_role("button", name="Record the delivery").click()
    expect(page.get_by_text("Delivery to NHS England recorded")).to_be_visible()

    delivery = Delivery.objects.get()
    page.goto(f"{base}/admin/deliveries/edit/{delivery.pk}/")
    page.get_by_role("link", name="Record the response").click()
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text("text, its document, or both")).to_be_visible()
    editor = page.locator(".DraftEditor-editorContainer [contenteditable=true]")
    editor.click()
    editor.press_sequentially("We will put the inquiry to the board in January.")
    expect(editor).to_contain_text("in January")
    # Draftail writes its hidden input when it loses focus.
    editor.blur()
    expect(page.locator("input[name=text]")).to_have_value(re.compile("in January"))
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text("NHS England's response recorded")).to_be_visible()

    page.goto(f"{base}{demand.url}")
    timeline = page.locator("section.timeline")
    expect(timeline.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(timeline.locator("ol > li")).to_have_count(3)
    expect(timeline.get_by_text("Launched")).to_be_visible()
    expect(timeline.get_by_text("Delivered to NHS England")).to_be_visible()
    expect(timeline.get_by_text("handed in person, with 3 signatures")).to_be_visible()
    expect(timeline.get_by_text("Response received")).to_be_visible()
    expect(timeline.get_by_text("We will put the inquiry to the board in January.")).to_be_visible()
    assert_accessible_at_both_widths(page)
