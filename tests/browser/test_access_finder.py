"""A visitor on a phone finds step-free events with BSL through the finder's checkboxes (plain
links and a form: nothing here needs JavaScript) and reads the event's access and safety; axe
checks both pages at both widths."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import AccessFeature
from tests.browser.conftest import PHONE, assert_accessible_at_both_widths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def soon() -> dt.datetime:
    # Within "This month" whatever the day, bar the month's last few minutes.
    return timezone.now() + dt.timedelta(minutes=5)


def filter_to_step_free_with_bsl(page) -> None:
    """On the finder: this month, step-free and BSL booked, which one event matches."""
    page.get_by_role("navigation", name="When").get_by_role("link", name="This month").click()
    page.locator(".filters__toggle").click()
    page.get_by_label("Step-free access").check()
    page.get_by_label("BSL interpretation booked").check()
    page.get_by_role("button", name="Show events").click()
    expect(page.locator(".result-count")).to_contain_text("1 event matches your filters")


def event_with(finder, title: str, *slugs: str, **fields):
    event = EventPageFactory(parent=finder, title=title, start=soon(), **fields)
    event.access_features.set(AccessFeature.objects.filter(slug__in=slugs))
    event.save_revision().publish()
    return event


@pytest.fixture
def finder(db):
    finder = EventIndexPageFactory(show_in_menus=True)
    event_with(
        finder, "Carers' circle", "step-free", "bsl-booked", "quiet-room", "trauma-informed",
        closed_group="carers", content_notes="We will talk about grief and loss.",
        access_contact_name="Sam Okafor", access_contact_email="sam@example.org",
        accessibility="The lift is at the back of the building.", cost="",
    )  # fmt: skip
    event_with(finder, "Workers' cafe upstairs", "bsl-booked", cost="£3")
    event_with(finder, "Step-free debate", "step-free", "hearing-loop")
    return finder


def test_a_visitor_filters_to_step_free_with_bsl_and_reads_the_access_section(
    live_server, page, finder
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + finder.url)
    expect(page.get_by_role("navigation", name="When").get_by_role("link")).to_have_count(4)
    filter_to_step_free_with_bsl(page)
    card = page.locator(".event-item")
    expect(card).to_have_count(1)
    expect(card.locator(".access-list")).to_contain_text("Carers only")
    expect(card.locator(".access-list")).to_contain_text("and 3 more")
    assert "when=this-month" in page.url, "the period is kept through the form"
    assert_accessible_at_both_widths(page)

    card.get_by_role("link", name="Carers' circle").click()
    section = page.locator(".event__access")
    expect(section.get_by_role("heading", level=2)).to_have_text("Access and safety")
    for words in ("Step-free access", "BSL interpretation booked", "Quiet room",
                  "Trauma-informed", "Free", "for carers only", "grief and loss",
                  "The lift is at the back"):  # fmt: skip
        expect(section).to_contain_text(words)
    expect(section.get_by_role("link", name="Sam Okafor")).to_have_attribute(
        "href", "mailto:sam@example.org"
    )
    assert_accessible_at_both_widths(page)
