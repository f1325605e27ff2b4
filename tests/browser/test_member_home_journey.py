"""A member's home in a real browser: following with the digest off, and putting it right."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from campaigns.factories import DemandPageFactory, SignatureFactory
from digests.factories import MemberPreferencesFactory
from digests.models import DigestFrequency, MemberPreferences
from events.factories import EventPageFactory, RsvpFactory
from hub.factories import UserFactory
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from tests.browser.conftest import WIDTHS, assert_accessible_at_both_widths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-and-unusual-passphrase"
WARNING = "Your digest email is off"


def test_a_member_follows_with_the_digest_off_turns_it_on_and_finds_their_rsvp_and_signature(
    live_server, page
):
    index = NetworkIndexPageFactory(show_in_menus=True)
    network = NetworkPageFactory(parent=index, title="Nurses for Mental Health")
    member = UserFactory(email="member@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    MemberPreferencesFactory(user=member, digest_frequency=DigestFrequency.OFF)
    event = EventPageFactory(title="Peer support circle")
    rsvp = RsvpFactory(event=event, user=member, email=member.email)
    SignatureFactory(demand=DemandPageFactory(title="Fund crisis houses"), user=member)
    base = live_server.url
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    # A member's home needs signing in, and the sign-in page brings them back to it.
    page.goto(f"{base}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/account/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible_at_both_widths(page)
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("You follow nothing yet")
    assert_accessible_at_both_widths(page)

    page.goto(f"{base}{network.url}")
    page.get_by_role("button", name="Follow Nurses for Mental Health", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You follow Nurses for Mental Health.")
    warning = page.locator(".notice--warning")
    expect(warning).to_contain_text(WARNING)
    assert_accessible_at_both_widths(page)

    # From the warning to the digest form on their home.
    warning.get_by_role("link", name="Turn the digest on in your account").click()
    expect(page).to_have_url(re.compile(r"/account/#digest$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    follows = page.locator("section", has=page.locator("#follows"))
    expect(follows).to_contain_text(WARNING)
    expect(follows.get_by_role("link", name="Nurses for Mental Health")).to_be_visible()
    expect(follows.get_by_role("button", name="Unfollow Nurses for Mental Health")).to_be_visible()
    events = page.locator("section", has=page.locator("#events"))
    expect(events.get_by_role("link", name="Peer support circle", exact=True)).to_be_visible()
    calendar = events.get_by_role("link", name="Add it to your calendar (Peer support circle)")
    expect(calendar).to_have_attribute("href", rsvp.calendar_path)
    expect(
        events.get_by_role("button", name="Cancel my place at Peer support circle")
    ).to_be_visible()
    signatures = page.locator("section", has=page.locator("#signatures"))
    expect(signatures.get_by_role("link", name="Fund crisis houses")).to_be_visible()
    assert_accessible_at_both_widths(page)

    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Save digest").click()
    expect(page.locator(".messages")).to_contain_text("Your digest is on: you will get it weekly.")
    expect(page.get_by_label("Weekly")).to_be_checked()
    expect(page.locator("main")).not_to_contain_text(WARNING)
    assert_accessible_at_both_widths(page)
    assert MemberPreferences.objects.get(user=member).digest_frequency == DigestFrequency.WEEKLY

    page.goto(f"{base}{network.url}")
    expect(page.get_by_role("button", name="Following Nurses for Mental Health")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(WARNING)
    assert_accessible_at_both_widths(page)

    # allauth's pages, reached from the home, speak as the site does. On a phone the header's
    # links are behind its Menu button.
    page.locator(".site-menu__toggle").click()
    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="Your email addresses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email addresses")
    assert_accessible_at_both_widths(page)
