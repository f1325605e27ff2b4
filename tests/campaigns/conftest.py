import pytest

from campaigns.factories import DemandPageFactory


@pytest.fixture
def demand(db):
    return DemandPageFactory(title="A public inquiry", slug="inquiry")


def sign_data(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@gmail.com",
        "postcode": "SW1A 1AA",
        "kind": "worker",
        "affiliation": "",
        "website": "",
    }
    data.update(overrides)
    return data


def confirm_data(**overrides):
    """The confirmation form as prefilled for a signature made with `sign_data()`."""
    data = {"name": "Ada Lovelace", "postcode": "SW1A", "kind": "worker", "affiliation": ""}
    data.update(overrides)
    return data


def live_networks(count):
    """Networks under /networks/. (NetworkIndexPageFactory alone puts its page at the root.)"""
    from hub.models import HomePage
    from networks.factories import NetworkIndexPageFactory, NetworkPageFactory

    index = NetworkIndexPageFactory(parent=HomePage.objects.get())
    return NetworkPageFactory.create_batch(count, parent=index)


def confirm(signature) -> bool:
    """Confirm as the owner does who changes nothing on the confirmation page."""
    from campaigns import selectors, services

    return services.signature_confirm(
        signature=signature, **selectors.signature_choices(signature=signature)
    )
