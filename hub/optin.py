"""Double opt-in, as demands' signatures and pledges' pledgers do it: anyone may type any
address, so a record counts only once the address's owner confirms it from an emailed link.

The record keeps the canonical address it is unique by, the latest confirmation email (written
to the outbox in the submitting transaction) and a nonce its confirmation link carries, changed
whenever a resubmission replaces the details, so that only the latest email's link confirms.
The confirmation page is safe from mail scanners, which fetch every link: GET only shows the
form, and the POST confirms."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from .emails import email_render, email_send
from .outbox import outbox_message_cancel
from .tokens import token_make, token_read

CONFIRM_MAX_AGE = timedelta(days=7)


def nonce_new() -> str:
    return secrets.token_urlsafe(9)


class OptInRecord(models.Model):
    """The fields a double opt-in record stores about its address and its confirmation."""

    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    email_canonical = models.CharField(max_length=254, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The latest confirmation email: its age is the resend rule, and it is withdrawn from the
    # outbox when its link is replaced.
    confirmation_message = models.ForeignKey(
        "hub.OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    confirm_nonce = models.CharField(max_length=16, blank=True, editable=False)
    ip_hash = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class OptInLinks:
    """The signed links of one kind of record: `<url_prefix><action>` routes take the token.

    `key` names the record's id in the payload and `purpose` salts the signature: both are in
    links already mailed, so they never change. Confirmation links expire with the unconfirmed
    record and when a resubmission replaced its details; the others do not (each went to the
    address's owner)."""

    model: type[OptInRecord]
    purpose: str
    key: str
    url_prefix: str
    related: tuple[str, ...] = ()

    def token(self, *, record: OptInRecord, action: str) -> str:
        payload = {self.key: record.pk, "a": action}
        if action == "confirm":
            payload["n"] = record.confirm_nonce
        return token_make(purpose=self.purpose, payload=payload)

    def record(self, *, token: str, action: str) -> OptInRecord | None:
        """The record a link names, or None when the link is tampered, expired or replaced."""
        max_age = CONFIRM_MAX_AGE if action == "confirm" else None
        payload = token_read(purpose=self.purpose, token=token, max_age=max_age)
        if not isinstance(payload, dict) or payload.get("a") != action:
            return None
        record = (
            self.model.objects.select_related(*self.related)
            .filter(pk=payload.get(self.key))
            .first()
        )
        # Links sent before the nonce existed carry none, as their rows have none.
        if record is None or (action == "confirm" and payload.get("n", "") != record.confirm_nonce):
            return None
        return record

    def url(self, *, record: OptInRecord, action: str) -> str:
        token = self.token(record=record, action=action)
        return settings.BASE_URL + reverse(f"{self.url_prefix}{action}", kwargs={"token": token})

    def email(self, *, record: OptInRecord, template_prefix: str, context: dict) -> dict:
        """A message to the record's address: every one carries its withdraw link (also as
        List-Unsubscribe), the way out of whatever else the hub sends it about the record."""
        withdraw_url = self.url(record=record, action="withdraw")
        message = email_render(
            template_prefix=template_prefix, context={**context, "withdraw_url": withdraw_url}
        )
        headers = {"List-Unsubscribe": f"<{withdraw_url}>"}
        return {**message, "to": [record.email], "headers": headers}


def record_get_or_create(*, model, lookup: dict, defaults: dict, on_created=None):
    """One record per `lookup`, however concurrently submitted: `(record, created)`.

    `on_created(record)` runs in the creating transaction (the confirmation email, so that a
    concurrent resubmission sees it queued). get_or_create settles a race on the unique
    constraint by reading the winner's row; if the winner was withdrawn in between there is
    none to read, so it tries once more."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                record, created = model.objects.get_or_create(**lookup, defaults=defaults)
                if created and on_created is not None:
                    on_created(record)
            break
        except IntegrityError:
            if attempt:
                raise
    return record, created


def confirmation_queue(*, record: OptInRecord, message: dict) -> None:
    """Write the confirmation email to the outbox, in the caller's transaction."""
    record.confirmation_message = email_send(**message)
    type(record).objects.filter(pk=record.pk).update(
        confirmation_message=record.confirmation_message
    )


def details_replace(*, record: OptInRecord, fields: dict) -> None:
    """Replace an unconfirmed record's details with a resubmission's (the caller holds its row
    lock): the new nonce kills the link sent before, whose email leaves the outbox unless a
    worker holds it already (then it goes out, as a dead link)."""
    previous_id = record.confirmation_message_id
    for field, value in {**fields, "confirm_nonce": nonce_new()}.items():
        setattr(record, field, value)
    record.created_at = timezone.now()
    record.save(update_fields=[*fields, "confirm_nonce", "created_at"])
    if previous_id is not None:
        outbox_message_cancel(message_id=previous_id)


def record_confirm(*, record: OptInRecord, **fields) -> bool:
    """Confirm, storing `fields` (the owner's choices on the confirmation page); False if it was
    confirmed already, or its details were replaced since `record` was read from its link."""
    return bool(
        type(record)
        .objects.filter(pk=record.pk, confirmed_at__isnull=True, confirm_nonce=record.confirm_nonce)
        .update(**fields, confirmed_at=timezone.now())
    )


class OptInConfirmView(View):
    """The confirmation link's page. GET shows the owner's choices as a form, and only the POST
    confirms: the choices on the form take effect, since whoever typed the address made the
    others.

    A subclass names its `template_name` and defines `record_read(token)` (the record or None),
    `form_make(record, data)` (unbound when `data` is None), `context(record)` (the page's,
    besides the form), `confirm(record, form)` (True when newly confirmed), `confirmed(record,
    newly=...)` (the answer once confirmed) and `link_invalid()`."""

    http_method_names = ["get", "head", "post"]
    template_name: str

    def get(self, request, token):
        return self.answer(token, data=None)

    def post(self, request, token):
        return self.answer(token, data=request.POST)

    def answer(self, token: str, *, data):
        record = self.record_read(token)
        if record is None:
            return self.link_invalid()
        if record.confirmed_at is not None:
            return self.confirmed(record, newly=False)
        form = self.form_make(record, data)
        if data is None or not form.is_valid():
            context = {**self.context(record), "form": form}
            status = 200 if data is None else 400
            return TemplateResponse(self.request, self.template_name, context, status=status)
        newly = self.confirm(record, form)
        # Not newly confirmed: confirmed meanwhile by another request, or replaced since read.
        if not newly and self.record_read(token) is None:
            return self.link_invalid()
        return self.confirmed(record, newly=newly)
