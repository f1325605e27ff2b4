"""The home page as the front door, in a real browser: on a phone the featured demand's Sign
button is in the first screen, and it leads straight to the sign form, which comes before the
case; the visitor signs and confirms from the email, and every page on the way passes axe at a
phone's width and a desktop's."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.factories import DemandPageFactory, SignatureFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory, PositionPageFactory
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_accessible_at_both_widths,
)
from tests.home.conftest import publish_home_sections

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A case long enough that on a phone the sign form would be far below it.
CASE = [("paragraph", f"<p>Part {n} of the case. {'Why it matters. ' * 40}</p>") for n in range(8)]


def front_door():
    directory = NetworkIndexPageFactory(parent=HomePage.objects.get())
    network = NetworkPageFactory(parent=directory, title="Mental Health Workers' Union")
    NetworkPageFactory(parent=directory, title="Psychotherapists for Social Responsibility")
    PositionPageFactory(parent=network, title="Against recovery-rate targets")
    EventPageFactory(
        parent=EventIndexPageFactory(),
        title="Workers' cafe in Leeds",
        start=timezone.now() + dt.timedelta(days=2),
    )
    demand = DemandPageFactory(
        title="A public inquiry into IAPT",
        ask="Hold an independent public inquiry into the IAPT programme and what it has done.",
        case=CASE,
    )
    SignatureFactory.create_batch(3, demand=demand)
    publish_home_sections(demand=demand)
    return demand


def document_top(locator) -> float:
    return locator.evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def test_a_visitor_on_a_phone_signs_the_featured_demand_from_the_home_page(
    live_server, browser, settings
):
    settings.BASE_URL = live_server.url
    demand = front_door()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url)
    sign = page.get_by_role("link", name="Sign the demand")
    expect(sign).to_be_in_viewport(ratio=1)
    expect(page.locator(".home-demand .demand-count__number")).to_have_text("3")
    assert page.evaluate("window.scrollY") == 0
    assert_accessible_at_both_widths(page)

    sign.click()
    expect(page).to_have_url(f"{live_server.url}{demand.url}#sign")
    # The anchor brings the form into view, and the whole form comes before the case.
    form = page.locator("form.sign-form#sign, #sign form.sign-form")
    expect(form).to_be_in_viewport()
    case = page.locator(".demand__case")
    box = form.bounding_box()
    assert box["y"] + box["height"] <= case.bounding_box()["y"]
    assert_accessible_at_both_widths(page)
    form.locator("input[name=name]").fill("Grace Hopper")
    form.locator("input[name=email]").fill("grace.hopper@example.net")
    form.locator("select[name=kind]").select_option("service-user")
    button = form.get_by_role("button", name="Sign", exact=True)
    button.scroll_into_view_if_needed()
    # Submitting, the visitor has not scrolled past the case: it starts below the screen's top.
    assert page.evaluate("window.scrollY") < document_top(case)
    expect(button).to_be_in_viewport(ratio=1)
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible_at_both_widths(page)

    [message] = mail.outbox
    assert message.to == ["grace.hopper@example.net"]
    link = re.search(rf"{re.escape(live_server.url)}/signatures/confirm/\S+/", message.body)
    assert link, message.body
    page.goto(link.group())
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your signature")
    assert_accessible_at_both_widths(page)
    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your signature is confirmed"
    )
    expect(page.locator(".signed > .demand-count .demand-count__number")).to_have_text("4")
    assert_accessible_at_both_widths(page)
    context.close()


def test_the_home_page_at_desktop_width_shows_every_section_accessibly(live_server, browser):
    front_door()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.get_by_role("link", name="Sign the demand")).to_be_in_viewport(ratio=1)
    for heading in ("Next events", "The networks", "Latest positions"):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    assert_accessible(page)

    # The search leads into the finder with its filters.
    page.get_by_label("Postcode or town").fill("Leeds")
    page.get_by_role("button", name="Find events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    expect(page.locator(".event-day")).to_contain_text("Workers' cafe in Leeds")
    context.close()
