"""A demand's versions in a real browser: the history's differences, and a network admin's
confirm and co-sign forms on the demand page, pass axe-core at both widths; the confirm form
works without JavaScript's help."""

import datetime as dt

import pytest

from campaigns import services
from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import NetworkCoSignature
from tests.browser.conftest import assert_accessible
from tests.networks.conftest import verified_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]
PASSWORD = "a long demo password"


@pytest.fixture
def reworded(db):
    from networks.factories import MembershipFactory

    demand = DemandPageFactory(parent=PlatformPageFactory(), title="A public inquiry",
                               ask="Hold a public inquiry.",
                               case=[("paragraph", "<p>Targets harm people.</p>")])  # fmt: skip
    demand.save_revision().publish()
    admin = verified_user("admin@example.org")
    admin.set_password(PASSWORD)
    admin.save()
    membership = MembershipFactory(user=admin, network__title="Tyneside Voices")
    services.network_cosignature_create(
        network=membership.network, demand=demand, user=admin, mandate="committee",
        decided_on=dt.date(2026, 3, 3), members=120,
    )  # fmt: skip
    services.demand_version_publish(
        demand=demand, ask="Hold an independent public inquiry.",
        case_text="Targets and waits harm people.\n\nWorkers say so.", agreed_by="Amendment 1",
    )  # fmt: skip
    demand.refresh_from_db()
    return demand


def test_the_history_and_the_confirm_form_are_accessible_and_confirm(live_server, page, reworded):
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}{reworded.url}history/")
        assert page.locator("ins.diff__ins").count() >= 2
        assert page.locator("del.diff__del").count() >= 1
        assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.goto(live_server.url + reworded.url)
        assert page.locator(".coalition__version").inner_text() == "signed version 1"
        assert_accessible(page)

    form = page.locator("#confirm-version")
    form.get_by_label("How your network decided").select_option("members-vote")
    form.get_by_label("When it decided").fill("2026-11-30")
    form.get_by_role("button", name="Confirm version 2").click()
    page.wait_for_load_state()
    assert page.locator(".coalition__version").count() == 0
    assert NetworkCoSignature.objects.get().version.number == 2
