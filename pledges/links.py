"""Pledgers' signed links and the emails that carry them, shared by pledging (services) and by
the announcements of a pledge's outcome (outcomes)."""

from django.conf import settings

from hub.optin import OptInLinks

from .models import Pledger

LINK_NAMESPACE = "pledges.pledger"
LINKS = OptInLinks(
    model=Pledger,
    purpose=LINK_NAMESPACE,
    key="p",
    url_prefix="pledges:pledger_",
    related=("pledge",),
)


def bound_key(pledge_id: int) -> str:
    return f"pledge-bound:{pledge_id}"


def lapsed_key(pledge_id: int) -> str:
    return f"pledge-lapsed:{pledge_id}"


def confirmed_count(pledge_id: int) -> int:
    return Pledger.objects.filter(pledge_id=pledge_id, confirmed_at__isnull=False).count()


def pledger_token(*, pledger: Pledger, action: str) -> str:
    return LINKS.token(record=pledger, action=action)


def pledger_from_token(*, token: str, action: str) -> Pledger | None:
    """The pledger a link names, or None when the link is tampered, expired or replaced."""
    return LINKS.record(token=token, action=action)


def pledger_link(*, pledger: Pledger, action: str) -> str:
    return LINKS.url(record=pledger, action=action)


def pledger_email(*, pledger: Pledger, template_prefix: str, **extra) -> dict:
    context = {
        "pledger": pledger,
        "pledge": pledger.pledge,
        "pledge_url": settings.BASE_URL + pledger.pledge.get_absolute_url(),
        **extra,
    }
    return LINKS.email(record=pledger, template_prefix=template_prefix, context=context)


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
