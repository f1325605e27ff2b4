"""Telling a demand's people, once each, that it was delivered and what the target answered:
keep-me-updated signers and the demand's followers, one email per person per event."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors import COUNTED
from campaigns.services import signature_email
from hub.addresses import email_canonical
from hub.announcements import announce
from hub.emails import email_render
from hub.models import Announcement

from .models import Delivery, TargetResponse


def delivery_key(delivery_id: int) -> str:
    return f"delivery:{delivery_id}"


def response_key(delivery_id: int) -> str:
    return f"response:{delivery_id}"


def delivery_announce(*, delivery_id: int) -> int | None:
    """Tell the demand's people that it was delivered: once (None when told before)."""
    delivery = _delivery(delivery_id)
    if delivery is None:
        return None
    return announce(
        key=delivery_key(delivery.pk),
        messages=_messages(delivery=delivery, template_prefix="targets/emails/delivered"),
    )


def response_announce(*, delivery_id: int) -> int | None:
    """Tell the demand's people what the target answered: once."""
    delivery = _delivery(delivery_id)
    if delivery is None or not hasattr(delivery, "response"):
        return None
    return announce(
        key=response_key(delivery.pk),
        messages=_messages(delivery=delivery, template_prefix="targets/emails/responded"),
    )


def announcements_missed() -> int:
    """Announce the deliveries and responses whose task never ran (the broker was down, the
    worker died): those recorded in the last 30 days with no announcement yet."""
    since = timezone.now() - datetime.timedelta(days=30)
    recent = Delivery.objects.filter(created_at__gte=since).values_list("pk", flat=True)
    answered = TargetResponse.objects.filter(created_at__gte=since).values_list(
        "delivery_id", flat=True
    )
    wanted = {delivery_key(pk): pk for pk in recent}
    wanted_responses = {response_key(pk): pk for pk in answered}
    done = set(
        Announcement.objects.filter(key__in=[*wanted, *wanted_responses]).values_list(
            "key", flat=True
        )
    )
    count = 0
    for key, pk in wanted.items():
        if key not in done:
            count += delivery_announce(delivery_id=pk) is not None
    for key, pk in wanted_responses.items():
        if key not in done:
            count += response_announce(delivery_id=pk) is not None
    return count


def _delivery(delivery_id: int) -> Delivery | None:
    return (
        Delivery.objects.select_related("demand", "target", "response", "document")
        .filter(pk=delivery_id)
        .first()
    )


def _messages(*, delivery: Delivery, template_prefix: str) -> Iterator[dict]:
    """One message per person: each keep-me-updated signer (with their withdraw link), then
    each follower of the demand with an account not already written to as a signer (with the
    way to stop following). Followers of the co-signing networks are not written to: they
    follow a network's news in their digest, not each demand's events."""
    demand = delivery.demand
    context = {
        "delivery": delivery,
        "demand": demand,
        "target": delivery.target,
        "response": getattr(delivery, "response", None),
        # A delivery recorded after its answer was due must not promise a date already past.
        "response_late": bool(
            delivery.response_due and delivery.response_due < timezone.localdate()
        ),
        "demand_url": settings.BASE_URL + demand.url,
    }
    seen: set[str] = set()
    signers = demand.signatures.filter(COUNTED, keep_updated=True).order_by("pk")
    for signature in signers.iterator():
        if signature.email_canonical in seen:
            continue
        seen.add(signature.email_canonical)
        yield signature_email(signature=signature, template_prefix=template_prefix, **context)
    preferences_url = settings.BASE_URL + reverse("digests:preferences")
    followers = (
        demand.followers.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .order_by("pk")
    )
    for email in followers.iterator():
        canonical = email_canonical(email)
        if canonical in seen:
            continue
        seen.add(canonical)
        message = email_render(
            template_prefix=template_prefix,
            context={**context, "preferences_url": preferences_url},
        )
        yield {**message, "to": [email], "headers": {"List-Unsubscribe": f"<{preferences_url}>"}}
