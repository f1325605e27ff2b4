"""Issue 16's journey: a visitor on a phone filters the finder to step-free events with BSL this
month, opens the one match and takes its in-person place; a second visitor joins that waiting
list; the first cancels from their account, and the held place is emailed (over real SMTP) to
the second, who takes it from the email's link."""

import re
import time
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import AccessFeature, EventFormat, Rsvp, RsvpStatus
from hub.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, in_view
from tests.browser.test_access_finder import filter_to_step_free_with_bsl, soon
from tests.conftest import free_port
from tests.hub.smtp_sink import start_sink

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-and-unusual-passphrase"
FIRST, SECOND = "ada.first@example.net", "bea.second@example.net"


@dataclass
class Inbox:
    sink: object

    def wait_for(self, to: str, subject: str, timeout: float = 15):
        """The newest message to `to` whose subject starts with `subject`, once it arrives."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.sink.lock:
                found = [m for rcpt, m in self.sink.messages
                         if rcpt == to and m["Subject"].startswith(subject)]  # fmt: skip
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no {subject!r} to {to}; got {self.subjects()}")

    def subjects(self) -> list[tuple[str, str]]:
        with self.sink.lock:
            return [(rcpt, m["Subject"]) for rcpt, m in self.sink.messages]


def link_in(message, base: str, action: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"{re.escape(base)}/event-links/rsvp/[^/\s]+/{action}/", text)
    assert found, text
    return found.group()


@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback; the site's email (sent in-process) goes to it."""
    port = free_port()
    sink, controller = start_sink(port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    try:
        yield Inbox(sink)
    finally:
        controller.stop()


def reply_in_person(page, name: str, email: str) -> None:
    """On the event page: name, address, in person, and the button."""
    box = page.locator(".event__aside")
    box.get_by_label("Your name").fill(name)
    box.get_by_label("Your email").fill(email)
    box.get_by_label(re.compile(r"In person \(")).check()
    box.get_by_role("button", name=re.compile("I'm coming|Join the waiting list")).click()
    expect(page.locator(".messages")).to_contain_text("Nearly done")


def confirm_from_email(page, inbox: Inbox, base: str, email: str) -> None:
    page.goto(link_in(inbox.wait_for(email, "Confirm your reply"), base, "confirm"))
    page.get_by_role("button", name="Confirm my reply").click()


def hybrid_places_journey(first, second, *, base: str, event, inbox: Inbox) -> None:
    """`first` (a phone) and `second` (a desktop) are on the event page, signed out."""
    # The first visitor takes the one in-person place.
    expect(first.locator(".event-box__places")).to_contain_text("In person: 1 of 1 place left")
    assert_accessible(first)
    reply_in_person(first, "Ada First", FIRST)
    confirm_from_email(first, inbox, base, FIRST)
    expect(first.locator("main")).to_contain_text("Thank you: you have a place.")
    inbox.wait_for(FIRST, "You have a place")

    # The second finds it full in person and joins that waiting list.
    second.reload()
    expect(second.locator(".event-box__places")).to_contain_text(
        "In person: all 1 place taken, waiting list open"
    )
    expect(second.get_by_label(re.compile(r"In person \("))).to_have_accessible_name(
        "In person (full: join the waiting list)"
    )
    reply_in_person(second, "Bea Second", SECOND)
    confirm_from_email(second, inbox, base, SECOND)
    expect(second.locator("main")).to_contain_text("you are on the in-person waiting list")

    # The first signs in as the member they are and cancels from their account page.
    first.goto(f"{base}/account/")
    first.locator("input[name=login]").fill(FIRST)
    first.locator("input[name=password]").fill(PASSWORD)
    first.locator("main form button[type=submit]").click()
    events = first.locator("section", has=first.locator("#events"))
    expect(events).to_contain_text("In person: confirmed place")
    cancel = events.get_by_role("button", name=f"Cancel my place at {event.title}")
    cancel.scroll_into_view_if_needed()
    assert in_view(first, cancel)
    cancel.click()
    expect(first.locator(".messages")).to_contain_text(f"Your place at {event.title} is cancelled.")

    # The second is emailed the held place, and takes it from the email's link.
    offer = inbox.wait_for(SECOND, "A place is held for you")
    text = offer.get_body(preferencelist=("plain",)).get_content()
    assert "We are holding an in-person place for you until" in text
    take = link_in(offer, base, "take")
    second.goto(take)
    expect(second.locator("main")).to_contain_text("A place in person is held for you until")
    assert_accessible(second)
    assert Rsvp.objects.get(email=SECOND).status == RsvpStatus.OFFERED, "opening takes nothing"
    second.get_by_role("button", name="Take the place").click()
    expect(second.locator("main")).to_contain_text("Thank you: you have a place.")
    assert inbox.wait_for(SECOND, "You have a place")
    second.goto(base + event.url)
    expect(second.locator(".event-box__places")).to_contain_text("In person: all 1 place taken")


def test_a_visitor_finds_a_step_free_bsl_event_and_a_held_place_passes_to_the_next(
    live_server, browser, settings, inbox
):
    settings.BASE_URL = base = live_server.url
    finder = EventIndexPageFactory()
    start = soon()
    event = EventPageFactory(
        parent=finder, title="Hybrid workers' cafe", format=EventFormat.HYBRID, start=start,
        online_url="https://meet.example.org/cafe", in_person_capacity=1, online_capacity=5,
    )  # fmt: skip
    # Near misses: step-free without an interpreter, and an interpreter up a flight of stairs.
    for title, slugs in (("Step-free debate", ["step-free"]), ("Upstairs cafe", ["bsl-booked"])):
        other = EventPageFactory(parent=finder, title=title, start=start)
        other.access_features.set(AccessFeature.objects.filter(slug__in=slugs))
        other.save_revision().publish()
    event.access_features.set(AccessFeature.objects.filter(slug__in=["step-free", "bsl-booked"]))
    event.save_revision().publish()
    member = UserFactory(email=FIRST)
    EmailAddress.objects.create(user=member, email=FIRST, verified=True, primary=True)
    first, second = (browser.new_context(viewport=size).new_page() for size in (PHONE, DESKTOP))
    for page in (first, second):
        page.set_default_timeout(15_000)
    first.goto(base + finder.url)
    filter_to_step_free_with_bsl(first)
    first.locator(".event-item").get_by_role("link", name=event.title).click()
    expect(first.locator(".event__access")).to_contain_text("BSL interpretation booked")
    second.goto(base + event.url)
    hybrid_places_journey(first, second, base=base, event=event, inbox=inbox)
