"""Two network admins propose and support an amendment, a moderator opens a decision on it in the
admin, both networks vote, the deadline passes, and the demand's page shows the result, who
voted how and the new wording; each public page on the way passes axe at 390 and 1280 px."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import DemandVersion
from deliberation import services
from deliberation.models import Amendment, Decision
from hub.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.deliberation.conftest import cosign, network_with_admin, published_demand

from .test_journeys import PASSWORD, admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (390, 1280)
NEW_ASK = "Hold an independent public inquiry into IAPT within a year."


def accessible_at_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def admin(title: str):
    network, user = network_with_admin(title)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    # Allauth signs in only a verified address.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return network, user


def member_page(browser, base: str, email: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=login]")).to_have_count(0)
    return page


def vote(page, demand_url: str, network_title: str) -> None:
    page.goto(demand_url)
    form = page.locator("form.vote-form", has_text=f"Vote for {network_title}")
    form.get_by_label("For", exact=True).check()
    form.get_by_role("button", name="Cast the vote").click()
    expect(page.locator(".messages")).to_contain_text(f"{network_title} votes for.")


def test_two_networks_amend_a_demand_by_their_vote(live_server, browser):
    demand = published_demand(title="A public inquiry", slug="inquiry", ask="Hold an inquiry.")
    alpha, alpha_admin = admin("Alpha")
    beta, beta_admin = admin("Beta")
    for network, user in [(alpha, alpha_admin), (beta, beta_admin)]:
        cosign(network, user, demand)
    moderator = UserFactory(email="moderator@example.org", password=PASSWORD)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    base = live_server.url
    demand_url = f"{base}{demand.url}"

    # Alpha proposes.
    proposer = member_page(browser, base, alpha_admin.email)
    proposer.goto(demand_url)
    expect(proposer.locator("#amendments")).to_contain_text("No amendments yet")
    accessible_at_both_widths(proposer)
    proposer.get_by_role("link", name="Propose an amendment").click()
    expect(proposer.get_by_label("The ask")).to_have_value("Hold an inquiry.")
    accessible_at_both_widths(proposer)
    proposer.get_by_label("The ask").fill(NEW_ASK)
    proposer.get_by_label("Why this change").fill("A date turns a wish into a demand.")
    proposer.get_by_role("button", name="Propose the amendment").click()
    amendment = Amendment.objects.get()
    expect(proposer.locator(".messages")).to_contain_text(f"Amendment {amendment.pk} is proposed")
    expect(proposer.locator(f"#amendment-{amendment.pk}")).to_contain_text("Open for support")
    accessible_at_both_widths(proposer)

    # Beta supports it.
    supporter = member_page(browser, base, beta_admin.email)
    supporter.goto(demand_url)
    supporter.get_by_role("button", name="Support as Beta").click()
    expect(supporter.locator(".messages")).to_contain_text(
        f"Beta supports amendment {amendment.pk}"
    )
    expect(supporter.locator(f"#amendment-{amendment.pk}")).to_contain_text("Supported by Beta")

    # A moderator opens a decision in the admin.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.set_default_timeout(15_000)
    admin_log_in(desk, base, moderator.email)
    desk.goto(f"{base}/admin/amendments/{amendment.pk}/")
    desk.get_by_role("link", name="Open a decision").click()
    closes = timezone.localtime(timezone.now() + timedelta(days=7))
    desk.get_by_label("Voting closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("Quorum (%)").fill("50")
    desk.get_by_role("button", name="Open the decision").click()
    expect(desk.locator("body")).to_contain_text("The decision is open until")
    decision = Decision.objects.get()

    # Both networks vote.
    vote(proposer, demand_url, "Alpha")
    expect(proposer.locator(f"#decision-{decision.pk}")).to_contain_text("So far 1 of 2 networks")
    accessible_at_both_widths(proposer)
    vote(supporter, demand_url, "Beta")

    # A week passes: the deadline is moved into the past, and beat closes the decision.
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert services.decisions_close_due() == 1

    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(demand_url)
    expect(reader.locator(".lede")).to_have_text(NEW_ASK)
    result = reader.locator(f"#decision-{decision.pk}")
    expect(result).to_contain_text("The networks' vote: carried")
    expect(result).to_contain_text("The new wording is version 2 of the demand.")
    expect(result.get_by_role("table", name="Who voted how")).to_contain_text("Alpha, Beta")
    expect(reader.locator(f"#amendment-{amendment.pk}")).to_contain_text("Carried")
    accessible_at_both_widths(reader)
    assert DemandVersion.objects.filter(demand=demand).order_by("-number").first().number == 2
