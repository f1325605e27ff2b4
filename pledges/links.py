"""Pledgers' signed links and the emails that carry them, shared by pledging (services) and by
the announcements of a pledge's outcome (outcomes)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from hub.emails import email_render
from hub.tokens import token_make, token_read

from .models import Pledger

LINK_NAMESPACE = "pledges.pledger"
CONFIRM_MAX_AGE = timedelta(days=7)


def bound_key(pledge_id: int) -> str:
    return f"pledge-bound:{pledge_id}"


def lapsed_key(pledge_id: int) -> str:
    return f"pledge-lapsed:{pledge_id}"


def confirmed_count(pledge_id: int) -> int:
    return Pledger.objects.filter(pledge_id=pledge_id, confirmed_at__isnull=False).count()


def pledger_token(*, pledger: Pledger, action: str) -> str:
    payload = {"p": pledger.pk, "a": action}
    if action == "confirm":
        payload["n"] = pledger.confirm_nonce
    return token_make(purpose=LINK_NAMESPACE, payload=payload)


def pledger_from_token(*, token: str, action: str) -> Pledger | None:
    """The pledger a link names, or None when the link is tampered, expired or replaced.

    Confirmation links expire with the unconfirmed pledger and when a newer submission replaced
    its details; withdrawal and contact links do not (each went to the address's owner)."""
    max_age = CONFIRM_MAX_AGE if action == "confirm" else None
    payload = token_read(purpose=LINK_NAMESPACE, token=token, max_age=max_age)
    if not isinstance(payload, dict) or payload.get("a") != action:
        return None
    pledger = Pledger.objects.select_related("pledge").filter(pk=payload.get("p")).first()
    if pledger is None or (action == "confirm" and payload.get("n") != pledger.confirm_nonce):
        return None
    return pledger


def pledger_link(*, pledger: Pledger, action: str) -> str:
    token = pledger_token(pledger=pledger, action=action)
    return settings.BASE_URL + reverse(f"pledges:pledger_{action}", kwargs={"token": token})


def pledger_email(*, pledger: Pledger, template_prefix: str, **extra) -> dict:
    withdraw_url = pledger_link(pledger=pledger, action="withdraw")
    context = {
        "pledger": pledger,
        "pledge": pledger.pledge,
        "pledge_url": settings.BASE_URL + pledger.pledge.get_absolute_url(),
        "withdraw_url": withdraw_url,
        **extra,
    }
    message = email_render(template_prefix=template_prefix, context=context)
    return {**message, "to": [pledger.email], "headers": {"List-Unsubscribe": f"<{withdraw_url}>"}}


def pledge_bound_email(*, pledger: Pledger, count: int | None = None) -> dict:
    pledge = pledger.pledge
    contact_url = pledger_link(pledger=pledger, action="contact") if pledge.allow_contact else ""
    return pledger_email(
        pledger=pledger,
        template_prefix="pledges/emails/bound",
        count=confirmed_count(pledge.pk) if count is None else count,
        contact_url=contact_url,
    )


def pledge_lapsed_email(*, pledger: Pledger, count: int) -> dict:
    return pledger_email(pledger=pledger, template_prefix="pledges/emails/lapsed", count=count)
