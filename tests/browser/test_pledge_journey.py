"""Issue 17's pledge journey: someone on a phone finds an open pledge, pledges, confirms from the
email (over real SMTP) and sees the count go up, with their name where they chose to show it."""

import re

import pytest
from playwright.sync_api import expect

from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import Pledger
from tests.browser.conftest import PHONE, assert_accessible_at_both_widths
from tests.browser.test_hybrid_places_journey import inbox  # noqa: F401 -- a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "ada.pledger@example.net"


def confirm_link(message, base: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"{re.escape(base)}/pledges/confirm/[^/\s]+/", text)
    assert found, text
    return found.group()


def test_someone_on_a_phone_pledges_confirms_from_the_email_and_sees_the_count(
    live_server,
    browser,
    settings,
    inbox,  # noqa: F811
):
    settings.BASE_URL = base = live_server.url
    pledge = PledgeFactory(
        action="refuse unpaid overtime for a month", slug="refuse-overtime", threshold=5,
        audience="worker", details="Unpaid hours keep the service short-staffed.",
    )  # fmt: skip
    PledgerFactory.create_batch(2, pledge=pledge)
    PledgeFactory(action="join the picket on the first day", slug="picket", threshold=40)

    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/pledges/")
    expect(page.get_by_role("heading", name="Pledges", level=1)).to_be_visible()
    assert_accessible_at_both_widths(page)
    page.get_by_role("link", name=re.compile("refuse unpaid overtime")).click()

    expect(page.locator(".pledge__count")).to_have_text("2 of 5 have pledged")
    assert_accessible_at_both_widths(page)
    form = page.locator(".pledge__form")
    form.get_by_label(re.compile("^Name")).fill("Ada Pledger")
    form.get_by_label(re.compile("^Email")).fill(EMAIL)
    form.get_by_label(re.compile("^I am")).select_option("worker")
    form.get_by_label("Show my name on the pledge's page").check()
    form.get_by_role("button", name="I pledge").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert Pledger.objects.get(email=EMAIL).confirmed_at is None

    page.goto(confirm_link(inbox.wait_for(EMAIL, "Confirm your pledge"), base))
    expect(page.get_by_role("heading", name="Confirm your pledge")).to_be_visible()
    assert_accessible_at_both_widths(page)
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.get_by_role("heading", name=re.compile("your pledge is confirmed"))).to_be_visible()
    expect(page.locator(".pledge__count")).to_have_text("3 of 5 have pledged")
    assert_accessible_at_both_widths(page)

    page.goto(f"{base}/pledges/refuse-overtime/")
    expect(page.locator(".pledge__count")).to_have_text("3 of 5 have pledged")
    expect(page.locator(".pledge__names")).to_contain_text("Ada Pledger")
    assert EMAIL not in page.content()
