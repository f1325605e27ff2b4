import pytest
from django.contrib.auth.models import Group

from hub.factories import UserFactory
from pledges import links, services
from pledges.factories import PledgeFactory

from ..networks.conftest import approved_network, verified_user

__all__ = ["approved_network", "verified_user"]


@pytest.fixture
def pledge(db):
    return PledgeFactory(
        action="refuse unpaid overtime for a month", slug="refuse-overtime", threshold=3
    )


@pytest.fixture
def hub_moderator(db):
    user = UserFactory(email="mod@hub.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def pledge_data(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "kind": "worker",
        "show_name": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def confirm_data(**overrides):
    data = {"name": "Ada Lovelace", "kind": "worker", "show_name": "on"}
    data.update(overrides)
    return data


def pledge_and_confirm(pledge, email, **choices):
    """A pledger made and confirmed the way the site does it (confirmation page's choices)."""
    result = services.pledger_create(
        pledge=pledge, name=choices.get("name", email.split("@")[0]), email=email, kind="worker",
        show_name=choices.get("show_name", False), contactable=choices.get("contactable", False),
    )  # fmt: skip
    pledger = result.pledger
    pledger.refresh_from_db()
    services.pledger_confirm(
        pledger=pledger,
        name=pledger.name,
        kind=pledger.kind,
        show_name=pledger.show_name,
        contactable=pledger.contactable,
    )
    pledger.refresh_from_db()
    return pledger


def link_path(pledger, action):
    return links.pledger_link(pledger=pledger, action=action).removeprefix("http://testserver")
