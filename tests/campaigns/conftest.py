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
