"""Links already mailed keep working: each token below was made by the code each scheme used
before hub.tokens (signing.dumps, or TimestampSigner.sign for invitations), under the test
settings' key, and must still read with that scheme's salt and expiry."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import override_settings

from campaigns.services import LINK_NAMESPACE
from digests.services import (
    SUBSCRIBE_MAX_AGE,
    SUBSCRIBE_SALT,
    UNSUBSCRIBE_SALT,
    unsubscribe_preferences_id,
)
from hub.optin import CONFIRM_MAX_AGE
from hub.tokens import token_make, token_read
from networks.services import INVITATION_MAX_AGE, INVITATION_SALT

OLD_KEY = "django-insecure-free-association-tests-only"
SIGNATURE_CONFIRM = "eyJzIjo0MSwiYSI6ImNvbmZpcm0iLCJuIjoibm9uY2UtYWJjIn0:1xYLbA:eodt0pdLmEcVGZDTGpvBQIcC5yXuXIMg4oS-KFA6ZAw"  # noqa: E501
SIGNATURE_WITHDRAW = (
    "eyJzIjo0MSwiYSI6IndpdGhkcmF3In0:1xYLbA:zP7R1Q2PuHedqghcIEG3MK3uKfyPwkwhidkvztc5YLk"  # noqa: E501
)
UNSUBSCRIBE = "NDE:1xYLbA:anxaUnVexzl-heCE7nAsOS53l6zwcX5zKR_v8QB0Occ"
SUBSCRIBE = "NDE:1xYLbA:7N2YY7KQMX542WehotuEtUuhQqcTVCahALfHYfGmHAA"
INVITATION = "41:1xYLbA:f0hUS38eoHfk51NP0x_Qdr5ZBZRqkmMy9BL2O2M8RBk"


@pytest.fixture
def an_hour_after_they_were_mailed(monkeypatch):
    made = signing.b62_decode(SUBSCRIBE.split(":")[1])
    monkeypatch.setattr(signing.time, "time", lambda: made + 3600)
    with override_settings(SECRET_KEY=OLD_KEY):
        yield


@pytest.mark.parametrize(
    ("purpose", "token", "max_age", "payload"),
    [
        (
            LINK_NAMESPACE,
            SIGNATURE_CONFIRM,
            CONFIRM_MAX_AGE,
            {"s": 41, "a": "confirm", "n": "nonce-abc"},
        ),  # noqa: E501
        (LINK_NAMESPACE, SIGNATURE_WITHDRAW, None, {"s": 41, "a": "withdraw"}),
        (UNSUBSCRIBE_SALT, UNSUBSCRIBE, None, 41),
        (SUBSCRIBE_SALT, SUBSCRIBE, SUBSCRIBE_MAX_AGE, 41),
    ],
)
def test_links_mailed_before_the_helper_still_read(
    an_hour_after_they_were_mailed, purpose, token, max_age, payload
):
    assert token_read(purpose=purpose, token=token, max_age=max_age) == payload


def test_unsubscribe_links_mailed_before_the_helper_still_name_their_row(
    an_hour_after_they_were_mailed,
):
    assert unsubscribe_preferences_id(token=UNSUBSCRIBE) == 41


def test_invitations_mailed_as_plain_signed_strings_read_until_they_expire(
    an_hour_after_they_were_mailed, monkeypatch
):
    read = {"purpose": INVITATION_SALT, "token": INVITATION, "plain": True}
    assert token_read(**read, max_age=INVITATION_MAX_AGE) == "41"
    assert token_read(**{**read, "plain": False}, max_age=INVITATION_MAX_AGE) is None
    made = signing.b62_decode(INVITATION.split(":")[1])
    monkeypatch.setattr(
        signing.time,
        "time",
        lambda: made + (INVITATION_MAX_AGE + timedelta(hours=1)).total_seconds(),
    )  # noqa: E501
    assert token_read(**read, max_age=INVITATION_MAX_AGE) is None


def test_a_token_opens_only_its_own_purpose_and_only_untampered():
    token = token_make(purpose="one", payload={"pk": 7})
    assert token_read(purpose="one", token=token) == {"pk": 7}
    assert token_read(purpose="two", token=token) is None
    assert token_read(purpose="two", token=token, plain=True) is None
    assert token_read(purpose="one", token=token[:-2] + "xx") is None
    assert token_read(purpose="one", token="junk") is None
    expired = token_read(purpose="one", token=token, max_age=timedelta(seconds=-1))
    assert expired is None
