"""Small screens first: a header that folds into a Menu button, listings whose filters fold into
one line above the results, an RSVP button at hand on a long event page and a platform table
that becomes cards; on a wide screen all of it stays open. Without JavaScript too, and axe-core
checks each page at both widths."""

import pytest
from playwright.sync_api import expect

from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import NetworkCoSignature
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventFormat
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, in_view

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_DESCRIPTION = [
    ("paragraph", f"<p>Part {n}: what we will talk about, and who it is for.</p>")
    for n in range(40)
]


@pytest.fixture
def site(db):
    directory = NetworkIndexPageFactory(show_in_menus=True)
    network = NetworkPageFactory(parent=directory, title="Nurses for Mental Health")
    finder = EventIndexPageFactory(show_in_menus=True)
    event = EventPageFactory(
        parent=finder,
        title="Peer support circle",
        format=EventFormat.ONLINE,
        online_url="https://meet.example.org/circle",
        description=LONG_DESCRIPTION,
    )
    return {"network": network, "finder": finder, "event": event}


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_header_folds_into_a_menu_button(live_server, browser, site, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 80
    toggle = page.locator(".site-menu__toggle")
    expect(toggle).to_have_text("Menu")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav).to_be_hidden()
    expect(page.get_by_role("link", name="Sign in")).to_be_hidden()
    if javascript:
        assert_accessible(page)

    # From the keyboard: past the skip link and the site's name to the Menu button; Enter opens it.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(main_nav.get_by_role("link", name="Events")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the hub")).to_be_visible()
    expect(page.get_by_role("link", name="Join")).to_be_visible()
    if javascript:
        assert_accessible(page)
    main_nav.get_by_role("link", name="Networks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    expect(main_nav).to_be_hidden()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_wide_screen_the_header_shows_everything(live_server, browser, site, javascript):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Events")
    ).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the hub")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    if javascript:
        # Opened by script, so that assistive technology (and axe) know it is shown.
        expect(page.locator(".site-menu")).to_have_attribute("open", "")
        assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    page.set_viewport_size(PHONE)
    expect(page.locator(".site-menu__toggle")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    context.close()


@pytest.mark.parametrize(
    ("listing", "summary", "results"),
    [
        ("finder", "Filter events (2 active)", ".event-day"),
        ("directory", "Filter networks (1 active)", ".network-card"),
        ("positions", "Filter positions", ".result-count"),
    ],
)
def test_on_a_phone_the_filters_fold_into_one_line_above_the_results(
    live_server, browser, site, listing, summary, results
):
    url = {
        "finder": f"{site['finder'].url}?format=online&q=circle",
        "directory": f"{site['network'].get_parent().url}?query=Nurses",
        "positions": f"{site['network'].get_parent().url}positions/",
    }[listing]
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + url)
    toggle = page.locator(".filters__toggle")
    expect(toggle).to_have_text(summary)
    assert toggle.bounding_box()["height"] < 60, "one line"
    expect(page.locator(".filters form")).to_be_hidden()
    assert in_view(page, page.locator(results).first), "the results are on the first screen"
    toggle.click()
    expect(page.locator(".filters form button[type=submit]")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + url)
    expect(toggle).to_be_hidden()
    expect(page.locator(".filters form button[type=submit]")).to_be_visible()
    context.close()


def test_the_finder_with_its_filters_folded_is_accessible_at_both_widths(live_server, page, site):
    filters = page.locator(".filters")
    for viewport, opened in ((PHONE, False), (DESKTOP, True)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}{site['finder'].url}?format=online")
        assert filters.evaluate("(details) => details.open") is opened
        assert_accessible(page)
    page.get_by_label("Format").select_option("in-person")
    page.get_by_role("button", name="Show events").click()
    expect(page.locator(".filters__toggle")).to_have_text("Filter events (1 active)")


def test_on_a_phone_a_long_event_page_keeps_its_rsvp_button_at_hand(live_server, page, site):
    event = site["event"]
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + event.url)
    sticky = page.locator(".event__sticky a")
    expect(sticky).to_have_text("Come to this event")
    assert in_view(page, sticky), "at the foot of the first screen"
    assert not in_view(page, page.locator("#rsvp-heading"))
    assert_accessible(page)
    page.get_by_text("Part 30:").scroll_into_view_if_needed()
    assert in_view(page, sticky), "still there deep in the description"
    sticky.click()
    expect(page).to_have_url(live_server.url + event.url + "#rsvp")
    assert in_view(page, page.locator("#rsvp-heading"))
    assert in_view(page, page.get_by_role("button", name="I'm coming"))

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + event.url)
    expect(sticky).to_be_hidden()
    assert in_view(page, page.locator("#rsvp-heading")), "the box is beside the details"
    assert_accessible(page)


def test_on_a_phone_the_platform_table_is_a_card_per_network(live_server, page, site):
    platform = PlatformPageFactory(title="The IAPT inquiry platform")
    demands = [
        DemandPageFactory(parent=platform, title=f"An inquiry into part {n} of the programme")
        for n in range(5)
    ]
    NetworkCoSignature.objects.create(network=site["network"], demand=demands[1])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + platform.url)
    row = page.locator(".cosign-table tbody tr")
    expect(row.locator("th")).to_have_text("Nurses for Mental Health")
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text(
        "An inquiry into part 1 of the programme: ✓ co-signed", use_inner_text=True
    )
    expect(cells.nth(0)).to_have_text(
        "An inquiry into part 0 of the programme: not co-signed", use_inner_text=True
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = page.locator(".table-scroll").bounding_box()
    assert table["width"] <= PHONE["width"]
    assert_accessible(page)

    page.set_viewport_size(DESKTOP)
    expect(
        page.get_by_role("columnheader", name="An inquiry into part 1 of the programme")
    ).to_be_visible()
    expect(cells.nth(1)).to_have_text("✓ co-signed", use_inner_text=True)
    expect(row.locator(".cosign-table__demand").first).to_be_hidden()
    assert_accessible(page)
