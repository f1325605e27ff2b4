"""Recording a demand's delivery to a target and the target's response.

The admin and the tests record through `delivery_record` and `response_record`; each changes
the demand's public page (its timeline), so the content version moves, and each is announced
after commit by a task (targets.announcements), with beat's sweep for a task the broker lost."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from campaigns.models import DemandPage
from hub.cache import content_changed
from hub.outbox import task_publish

from . import overdue, tasks, workdays
from .models import Delivery, Target, TargetResponse


def delivery_record(
    *,
    demand: DemandPage,
    target: Target,
    signature_count: int,
    user,
    delivered_on: datetime.date | None = None,
    method: str = "",
    networks: Iterable = (),
    document=None,
    note: str = "",
    response_due: datetime.date | None = None,
) -> Delivery:
    """A demand handed to one of its targets (any target, while the demand names none). The
    answer is due `DEFAULT_RESPONSE_WORKING_DAYS` working days later unless the moderator
    says when."""
    addressed = Target.objects.filter(demands=demand)
    if addressed.exists() and not addressed.filter(pk=target.pk).exists():
        raise ValidationError(f"“{demand.title}” is not addressed to {target.name}.")
    delivered_on = delivered_on or timezone.localdate()
    response_due = response_due or workdays.response_due(delivered_on)
    if response_due < delivered_on:
        raise ValidationError("The response cannot be due before the delivery.")
    with transaction.atomic():
        delivery = Delivery(
            demand=demand,
            target=target,
            delivered_on=delivered_on,
            signature_count=signature_count,
            document=document,
            note=note,
            response_due=response_due,
            days_overdue=overdue.days_overdue(response_due, today=timezone.localdate()),
            recorded_by=user,
        )
        if method:
            delivery.method = method
        delivery.save()
        delivery.networks.set(networks)
        content_changed()
        transaction.on_commit(lambda: _announce_later(tasks.announce_delivery, delivery.pk))
    return delivery


def delivery_update(*, delivery: Delivery) -> Delivery:
    """A moderator's correction (the admin has saved it): the count of days overdue follows a
    changed due date at once, not at the next night's count."""
    days = overdue.days_overdue(delivery.response_due, today=timezone.localdate())
    if not hasattr(delivery, "response") and delivery.days_overdue != days:
        Delivery.objects.filter(pk=delivery.pk).update(days_overdue=days)
        delivery.days_overdue = days
    content_changed()
    return delivery


def response_record(
    *,
    delivery: Delivery,
    user,
    received_on: datetime.date | None = None,
    text: str = "",
    document=None,
) -> TargetResponse:
    """The target's answer: its text, a document, or both; a delivery has one answer, and with
    it nothing is overdue."""
    # The editor sends an empty paragraph for no text.
    if not strip_tags(text).strip() and document is None:
        raise ValidationError("Give the response's text, its document, or both.")
    received_on = received_on or timezone.localdate()
    if received_on < delivery.delivered_on:
        raise ValidationError("The response cannot come before the delivery.")
    with transaction.atomic():
        if TargetResponse.objects.filter(delivery=delivery).exists():
            raise ValidationError("This delivery's response is recorded already.")
        response = TargetResponse.objects.create(
            delivery=delivery, received_on=received_on, text=text, document=document,
            recorded_by=user,
        )  # fmt: skip
        Delivery.objects.filter(pk=delivery.pk).update(days_overdue=0)
        content_changed()
        transaction.on_commit(lambda: _announce_later(tasks.announce_response, delivery.pk))
    return response


def response_update(*, response: TargetResponse) -> TargetResponse:
    """A moderator's correction (the admin has saved it), shown on the demand's page at once.
    Nobody is emailed again: they were told of the response and can read it there."""
    content_changed()
    return response


def _announce_later(task, delivery_id: int) -> None:
    # Not handed over (the broker is down): announcements_missed announces it within minutes.
    task_publish(task, kwargs={"delivery_id": delivery_id})
