"""A demand page in a real browser: on a phone a Sign button is on the first screen and stays
at hand whenever the form is out of sight; on a wide screen the form sits beside the case.
axe-core checks the demand page and the page after confirming at both widths."""

import re

import pytest
from playwright.sync_api import expect

from campaigns import services
from campaigns.factories import DemandPageFactory, PlatformPageFactory, SignatureFactory
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, in_view

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CASE = [
    ("paragraph", f"<p>Reason {n}: the programme has never been independently evaluated.</p>")
    for n in range(40)
]


@pytest.fixture
def demand(db):
    platform = PlatformPageFactory(title="The IAPT inquiry platform")
    DemandPageFactory(parent=platform, title="Publish the outcomes")
    return DemandPageFactory(
        parent=platform,
        title="A public inquiry into IAPT",
        ask="Hold a public inquiry into the IAPT programme and what it has done to people.",
        case=CASE,
    )


def test_on_a_phone_the_form_leads_and_a_sign_button_stays_at_hand(live_server, page, demand):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + demand.url)
    jump = page.locator(".demand__jump a")
    sticky = page.locator(".demand__sticky a")
    assert in_view(page, jump), "a Sign button is on the first screen"
    assert not in_view(page, sticky)
    assert_accessible(page)

    page.locator("#sign-heading").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('#sign').getBoundingClientRect().top)")
    assert not in_view(page, jump) and not in_view(page, sticky), "none while the form is in view"

    page.get_by_text("Reason 20:").scroll_into_view_if_needed()
    assert not in_view(page, page.locator("form.sign-form button[type=submit]"))
    assert in_view(page, sticky), "deep in the case, the Sign button is at the foot of the screen"
    sticky.click()
    expect(page).to_have_url(live_server.url + demand.url + "#sign")
    assert in_view(page, page.locator("#sign-heading"))

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + demand.url)
    sign, case = page.locator("#sign").bounding_box(), page.locator(".demand__case").bounding_box()
    assert sign["x"] > case["x"] + case["width"] - 1, "the form sits beside the case"
    assert sign["y"] < DESKTOP["height"] / 2
    expect(page.locator(".demand__sticky a")).to_be_hidden()
    assert_accessible(page)


def test_after_confirming_a_signer_can_share_and_sees_what_else_to_sign(
    live_server, page, context, demand
):
    signature = SignatureFactory(demand=demand, email="ada@example.net", confirmed_at=None)
    token = services.signature_token(signature=signature, action="confirm")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/signatures/confirm/{token}/")
    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your signature is confirmed"
    )
    whatsapp = page.locator(".share__link--whatsapp")
    expect(whatsapp).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=I\+have\+signed")
    )
    expect(page.locator(".card-grid")).to_contain_text("Publish the outcomes")
    assert_accessible(page)

    page.get_by_role("link", name="Copy link").click()
    expect(page.locator("[data-copy-status]")).to_have_text(
        "Link copied. Paste it into a message or a post."
    )
    assert page.evaluate("navigator.clipboard.readText()") == demand.get_full_url()

    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
