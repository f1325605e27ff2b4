"""Journeys through the site in a real browser, with axe-core checking each public page on the way.

Each test is transactional (the live server's thread needs committed rows); serialized_rollback
brings back the home page and Site that migrations create.
"""

import datetime as dt
import email
import email.policy
import re
import time

import icalendar
import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.factories import DemandPageFactory, SignatureFactory
from digests.models import DigestFrequency, MemberPreferences
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import LONDON, EventFormat
from hub.factories import TopicFactory, UserFactory
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from networks.models import NetworkApplication, NetworkPage, PositionPage
from tests.browser.conftest import assert_accessible
from tests.conftest import free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-and-unusual-passphrase"


def test_a_visitor_finds_an_online_event_this_month_and_downloads_its_ics(
    live_server, page, tmp_path
):
    index = EventIndexPageFactory(show_in_menus=True)
    # Starting now and ending later: upcoming and in this month, whenever the test runs.
    start = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localtime(start, LONDON).date()
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    wanted = EventPageFactory(
        parent=index,
        title="Online peer support circle",
        format=EventFormat.ONLINE,
        online_url="https://meet.example.org/circle",
        venue="",
        town="",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    EventPageFactory(parent=index, title="Workers' cafe in Leeds", start=start + dt.timedelta(1))
    EventPageFactory(
        parent=index,
        title="Online debate next month",
        format=EventFormat.ONLINE,
        online_url="https://meet.example.org/debate",
        start=dt.datetime.combine(next_month, dt.time(18), tzinfo=LONDON),
    )

    page.goto(live_server.url)
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    assert_accessible(page)

    page.get_by_role("navigation", name="When").get_by_role("link", name="This month").click()
    page.get_by_label("Format").select_option(EventFormat.ONLINE)
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(re.compile(r"when=this-month.*format=online"))
    expect(page.get_by_role("status")).to_contain_text("1 event matches your filters")
    results = page.locator(".event-day")
    expect(results).to_contain_text("Online peer support circle")
    expect(results).not_to_contain_text("Workers' cafe in Leeds")
    expect(results).not_to_contain_text("Online debate next month")
    assert_accessible(page)

    results.get_by_role("link", name="Online peer support circle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Online peer support circle")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download \(\.ics")).click()
    download = download_info.value
    assert download.suggested_filename == f"{wanted.slug}.ics"
    ics = tmp_path / download.suggested_filename
    download.save_as(ics)
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Online peer support circle"
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + dt.timedelta(hours=2)


class Inbox:
    """An aiosmtpd handler keeping every message it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) == count, f"{len(self.messages)} messages, expected {count}"
        return self.messages


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback, with the site's email (sent in-process) pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    try:
        yield inbox
    finally:
        controller.stop()


def displayed_count(page) -> int:
    return int(page.locator(".demand-count__number").inner_text().replace(",", ""))


def test_a_visitor_signs_a_demand_confirms_from_the_email_and_the_count_goes_up(
    live_server, page, settings, smtp_inbox
):
    settings.BASE_URL = live_server.url
    demand = DemandPageFactory(
        title="A public inquiry into IAPT", ask="Hold a public inquiry into the IAPT programme."
    )
    SignatureFactory.create_batch(2, demand=demand)

    page.goto(live_server.url + demand.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("A public inquiry into IAPT")
    assert_accessible(page)
    before = displayed_count(page)
    assert before == 2

    form = page.locator("form.sign-form")
    form.locator("input[name=name]").fill("Ada Lovelace")
    form.locator("input[name=email]").fill("ada.lovelace@example.net")
    form.locator("input[name=postcode]").fill("SW1A 1AA")
    form.locator("select[name=kind]").select_option("service-user")
    form.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ada.lovelace@example.net"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/signatures/confirm/\S+/", text)
    assert link, text
    # The link alone must not confirm (mail scanners open links): the count has not moved.
    page.goto(link.group())
    page.goto(live_server.url + demand.url)
    assert displayed_count(page) == before

    # The page shows what would be published, and the choice made on it is the one kept.
    page.goto(link.group())
    expect(page.locator(".signature-choices")).to_contain_text(
        "Ada Lovelace: not shown, only counted"
    )
    assert_accessible(page)
    page.get_by_label("Show my name on the list of signers").check()
    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your signature is confirmed"
    )
    page.goto(live_server.url + demand.url)
    assert displayed_count(page) == before + 1
    page.goto(f"{live_server.url}{demand.url}names/")
    expect(page.locator(".names")).to_contain_text("Ada Lovelace")


def verification_link(base_url: str) -> str:
    for message in reversed(mail.outbox):
        if found := re.search(rf"{re.escape(base_url)}/accounts/confirm-email/\S+/", message.body):
            return found.group()
    raise AssertionError(f"no verification email in {[m.subject for m in mail.outbox]}")


def admin_log_in(page, base_url: str, email_address: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.locator("input[name=username]").fill(email_address)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/admin/")


def test_a_person_registers_a_network_and_its_new_admin_publishes_a_position(live_server, browser):
    NetworkIndexPageFactory(show_in_menus=True)
    moderator_user = UserFactory(email="moderator@example.org")
    moderator_user.groups.add(Group.objects.get(name="Moderators"))
    base = live_server.url
    applicant = browser.new_context().new_page()
    applicant.set_default_timeout(15_000)

    # Sign up and verify the address by the emailed link.
    applicant.goto(base)
    applicant.get_by_role("link", name="Join").click()
    assert_accessible(applicant)
    applicant.locator("input[name=email]").fill("organiser@example.org")
    applicant.locator("input[name=password1]").fill(PASSWORD)
    applicant.locator("input[name=password2]").fill(PASSWORD)
    applicant.locator("main form button[type=submit]").click()
    expect(applicant.locator("main")).to_contain_text("Confirm your email address")
    applicant.goto(verification_link(base))
    applicant.locator("main form button[type=submit]").click()

    applicant.goto(f"{base}/networks/apply/")
    applicant.get_by_label("Network name").fill("Hearing Voices Leeds")
    applicant.get_by_label("Kind").select_option(index=1)
    applicant.get_by_label("About the network").fill("Peer support groups for voice hearers.")
    applicant.get_by_role("button", name="Send the application").click()
    expect(applicant.locator("main")).to_contain_text(
        "Hearing Voices Leeds: Waiting for moderation"
    )
    application = NetworkApplication.objects.get(name="Hearing Voices Leeds")

    moderator = browser.new_context().new_page()
    moderator.set_default_timeout(15_000)
    admin_log_in(moderator, base, "moderator@example.org")
    moderator.get_by_role("link", name="Network applications").first.click()
    moderator.get_by_role("link", name="Hearing Voices Leeds").click()
    moderator.get_by_role("button", name="Approve and publish the network's page").click()
    expect(moderator.locator("body")).to_contain_text("is approved and its page is live")
    network = NetworkPage.objects.get(title="Hearing Voices Leeds")
    application.refresh_from_db()
    assert application.network == network

    # The applicant, now the network's admin, writes a position in the Wagtail page editor.
    editor = browser.new_context().new_page()
    editor.set_default_timeout(15_000)
    admin_log_in(editor, base, "organiser@example.org")
    editor.goto(f"{base}/admin/pages/{network.pk}/add_subpage/")
    editor.get_by_role("link", name=re.compile("^Position")).click()
    editor.locator("#id_title").fill("Hearing voices is not a disease")
    editor.locator("#id_summary").fill("Voices are experiences to be understood.")
    editor.locator("footer .w-dropdown__toggle").click()
    editor.locator("footer button[name=action-publish]").click()
    expect(editor.locator(".messages")).to_contain_text("published")
    position = PositionPage.objects.get(title="Hearing voices is not a disease")
    assert position.live
    assert position.get_parent().pk == network.pk

    applicant.goto(base)
    applicant.get_by_role("navigation", name="Main").get_by_role("link", name="Networks").click()
    assert_accessible(applicant)
    applicant.get_by_role("link", name="Hearing Voices Leeds").click()
    expect(applicant.locator("main")).to_contain_text("Hearing voices is not a disease")


def test_a_member_sets_a_weekly_digest_and_follows_two_networks_and_a_topic(live_server, page):
    index = NetworkIndexPageFactory(show_in_menus=True)
    topic = TopicFactory(name="Crisis care", description="Help when it is needed now.")
    nurses = NetworkPageFactory(parent=index, title="Nurses for Mental Health")
    voices = NetworkPageFactory(parent=index, title="Hearing Voices Leeds")
    voices.topics.set([topic])
    voices.save_revision().publish()
    unfollowed = NetworkPageFactory(parent=index, title="Psychotherapists Together")
    member = UserFactory(email="member@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    base = live_server.url

    # Preferences need a signed-in member: the login page brings the member back to them.
    page.goto(f"{base}/preferences/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/preferences/"))
    page.locator("input[name=login]").fill("member@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your preferences")
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your preferences are saved.")

    for network in (nurses, voices):
        page.goto(f"{base}/networks/")
        page.get_by_role("link", name=network.title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(network.title)
        follow = page.get_by_role("button", name=f"Follow {network.title}", exact=True)
        expect(follow).to_have_attribute("aria-pressed", "false")
        follow.click()
        expect(page.locator(".messages")).to_contain_text(f"You follow {network.title}.")
        following = page.get_by_role("button", name=f"Following {network.title}")
        expect(following).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    # From the network's facts to the topic's page, and follow the topic there.
    page.get_by_role("link", name="Crisis care", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crisis care")
    expect(page.locator("main")).to_contain_text("Help when it is needed now.")
    page.get_by_role("button", name="Follow Crisis care", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You follow Crisis care.")
    expect(page.get_by_role("button", name="Following Crisis care")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_accessible(page)

    page.goto(f"{base}/preferences/")
    expect(page.get_by_label("Weekly")).to_be_checked()
    expect(page.get_by_label("Nurses for Mental Health")).to_be_checked()
    expect(page.get_by_label("Hearing Voices Leeds")).to_be_checked()
    expect(page.get_by_label("Psychotherapists Together")).not_to_be_checked()
    expect(page.get_by_label("Crisis care")).to_be_checked()
    assert_accessible(page)

    preferences = MemberPreferences.objects.get(user=member)
    assert preferences.digest_frequency == DigestFrequency.WEEKLY
    assert set(preferences.networks.all()) == {nurses, voices}
    assert unfollowed not in preferences.networks.all()
    assert list(preferences.topics.all()) == [topic]
