"""Writes for demands: signatures and their confirmation, counting, network co-signatures,
and the versions of a demand's wording and of a platform's list of demands."""

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Page

from hub.addresses import email_canonical
from hub.cache import content_changed
from hub.emails import email_render, email_send
from hub.optin import (
    OptInLinks,
    confirmation_queue,
    details_replace,
    nonce_new,
    record_confirm,
    record_get_or_create,
)
from hub.outbox import task_publish
from hub.ratelimit import ip_hash, rate_limits_hit
from networks.models import Membership, MembershipRole, NetworkPage

from .postcodes import postcode_outward, postcode_region
from .records import DemandTally, DemandVersion, NetworkCoSignature, PlatformVersion, Signature
from .selectors import (
    cosignatures_outdated,
    demand_count_changed,
    demand_version_current,
    platform_version_current,
)
from .versions import case_blocks, case_wording

logger = logging.getLogger(__name__)

LINK_NAMESPACE = "campaigns.signature"
UNCONFIRMED_PURGE_AFTER = timedelta(days=7)
RESEND_INTERVAL = timedelta(hours=1)
FOLD_BATCH = 1000
# Imported when it is queued, by name: the tasks import the pages, which import this module,
# and a web process may not have imported the tasks (Celery's registry would not know it).
RECORD_MILESTONES_TASK = "campaigns.tasks.record_milestones"

# (scope, limit, period in seconds): a burst window paired with a sustained one (hub.ratelimit).
IP_LIMITS = [("sign-ip-burst", 10, 60), ("sign-ip-hour", 60, 3600)]
DOMAIN_LIMITS = [("sign-domain-burst", 20, 60), ("sign-domain-hour", 200, 3600)]
EMAIL_RESEND_LIMITS = [("resend-email-day", 10, 86400)]
# An address that has signed is told so at most once an hour per demand, within the day's limit.
ALREADY_SIGNED_LIMITS = [("already-signed-hour", 1, 3600)]


LINKS = OptInLinks(
    model=Signature,
    purpose=LINK_NAMESPACE,
    key="s",
    url_prefix="campaigns:signature_",
    related=("demand", "affiliation"),
)


def signature_token(*, signature: Signature, action: str) -> str:
    return LINKS.token(record=signature, action=action)


def signature_from_token(*, token: str, action: str) -> Signature | None:
    """The signature a link names, or None when the link is tampered, expired or replaced."""
    return LINKS.record(token=token, action=action)


def signature_is_suspect(*, ip: str, email_canonical: str) -> bool:
    held = rate_limits_hit(limits=IP_LIMITS, key=ip) if ip else False
    domain = email_canonical.rpartition("@")[2]
    if domain not in settings.CAMPAIGNS_WEBMAIL_DOMAINS:
        held = rate_limits_hit(limits=DOMAIN_LIMITS, key=domain) or held
    return held


@dataclass
class SignResult:
    signature: Signature
    created: bool


def _stored_choices(
    *,
    name: str,
    kind: str,
    postcode: str,
    affiliation: NetworkPage | None,
    show_name: bool,
    keep_updated: bool,
) -> dict:
    """A signer's choices as the fields that store them."""
    outward = postcode_outward(postcode) if postcode.strip() else ""
    return {
        "name": name.strip(),
        "kind": kind,
        "postcode_outward": outward,
        "region": postcode_region(outward),
        "affiliation_id": affiliation.pk if affiliation else None,
        "show_name": show_name,
        "keep_updated": keep_updated,
    }


def signature_create(
    *,
    demand: Page,
    name: str,
    email: str,
    kind: str,
    postcode: str = "",
    affiliation: NetworkPage | None = None,
    show_name: bool = False,
    keep_updated: bool = False,
    ip: str = "",
    user=None,
    confirmed: bool = False,
) -> SignResult:
    """Sign a demand: one signature per canonical email, however concurrently it is submitted.

    Anyone may type any address, so nothing submitted here is published or shared until the
    address's owner confirms it (a verified member's `confirmed` submission is the owner's).
    A new unconfirmed signature is emailed a confirmation once the transaction commits. Signing
    again before confirming replaces the details and emails a fresh link (the old one stops
    working), within the mailbox's resend limits; the same details again re-send at most once
    an hour. A confirmed signature is never changed by a submission: its address is told by
    email that it has signed already (the page answers the same either way, so nothing shows
    who has signed), at most once an hour per demand and within the same limits.
    """
    canonical = email_canonical(email)
    choices = _stored_choices(
        name=name, kind=kind, postcode=postcode, affiliation=affiliation, show_name=show_name,
        keep_updated=keep_updated,
    )  # fmt: skip
    held = signature_is_suspect(ip=ip, email_canonical=canonical)
    now = timezone.now()
    submission = {
        **choices, "email": email.strip(), "user": user, "held": held, "ip_hash": ip_hash(ip)
    }  # fmt: skip
    defaults = {
        **submission,
        "confirm_nonce": nonce_new(),
        "confirmed_at": now if confirmed else None,
    }
    signature, created = record_get_or_create(
        model=Signature,
        lookup={"demand": demand, "email_canonical": canonical},
        defaults=defaults,
        on_created=None if confirmed else _confirmation_queue,
    )
    if created:
        if confirmed:
            _count_raised(demand.pk)
    elif confirmed:
        # The member's own choices replace whatever someone typed in with their address.
        if Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
            **submission, confirmed_at=now
        ):
            _count_raised(demand.pk)
    elif signature.confirmed_at is None:
        if not rate_limits_hit(limits=EMAIL_RESEND_LIMITS, key=canonical):
            _confirmation_resend(signature_id=signature.pk, choices=choices, submission=submission)
    elif not (
        rate_limits_hit(limits=ALREADY_SIGNED_LIMITS, key=f"{demand.pk}:{canonical}")
        or rate_limits_hit(limits=EMAIL_RESEND_LIMITS, key=canonical)
    ):
        email_send(**signature_already_signed_email(signature=signature))
    return SignResult(signature=signature, created=created)


def _confirmation_queue(signature: Signature) -> None:
    confirmation_queue(record=signature, message=signature_confirmation_email(signature=signature))


@transaction.atomic
def _confirmation_resend(*, signature_id: int, choices: dict, submission: dict) -> None:
    # The row lock makes concurrent submissions take turns, so the hourly rule and a
    # replacement each see the email the one before them queued.
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("demand", "affiliation", "confirmation_message")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None:
        return
    previous = signature.confirmation_message
    if all(getattr(signature, field) == value for field, value in choices.items()):
        if previous is not None and previous.created_at > timezone.now() - RESEND_INTERVAL:
            return
    else:
        # Past the resend limits nothing is replaced either, so the last link sent works.
        details_replace(record=signature, fields=submission)
    _confirmation_queue(signature)


@dataclass
class SignatureRow:
    name: str
    email: str
    kind: str
    postcode: str = ""
    affiliation_id: int | None = None
    show_name: bool = False
    keep_updated: bool = False
    confirmed_at: object = None


def signature_bulk_create(*, demand: Page, rows: list[SignatureRow]) -> int:
    """Import already-confirmed signatures (the demo, a paper petition typed in) in bulk.

    The same canonical email and postcode rules as `signature_create`; an email that has
    signed is skipped. Returns how many were new, and folds them into the stored count.
    """
    signatures = []
    for row in rows:
        outward = postcode_outward(row.postcode) if row.postcode else ""
        signatures.append(
            Signature(
                demand=demand,
                name=row.name,
                email=row.email,
                email_canonical=email_canonical(row.email),
                kind=row.kind,
                postcode_outward=outward,
                region=postcode_region(outward),
                affiliation_id=row.affiliation_id,
                show_name=row.show_name,
                keep_updated=row.keep_updated,
                created_at=row.confirmed_at,
                confirmed_at=row.confirmed_at,
            )
        )
    before = Signature.objects.filter(demand=demand).count()
    Signature.objects.bulk_create(signatures, batch_size=2000, ignore_conflicts=True)
    created = Signature.objects.filter(demand=demand).count() - before
    while tally_fold(demand_id=demand.pk):
        pass
    if created:
        _milestones_check(demand.pk)
    return created


def _count_raised(*demand_ids: int) -> None:
    demand_count_changed(*demand_ids)
    _milestones_check(*demand_ids)


def _milestones_check(*demand_ids: int) -> None:
    """Once the count's change commits, a task records the milestones it reached: never in the
    signer's request, and never failing it (a task the broker loses, beat's sweep replaces)."""

    def publish():
        task = import_string(RECORD_MILESTONES_TASK)
        for demand_id in set(demand_ids):
            task_publish(task, kwargs={"demand_id": demand_id})

    transaction.on_commit(publish)


def signature_email(*, signature: Signature, template_prefix: str, **extra) -> dict:
    """A message to a signer about their signature, with its withdraw link (hub.optin)."""
    context = {"signature": signature, "demand": signature.demand, **extra}
    return LINKS.email(record=signature, template_prefix=template_prefix, context=context)


def signature_confirmation_email(*, signature: Signature) -> dict:
    return signature_email(
        signature=signature,
        template_prefix="campaigns/emails/confirm",
        confirm_url=LINKS.url(record=signature, action="confirm"),
    )


def signature_already_signed_email(*, signature: Signature) -> dict:
    """To an address that signs again a demand it has signed: kind, and sent only to it."""
    return signature_email(
        signature=signature,
        template_prefix="campaigns/emails/already_signed",
        demand_url=settings.BASE_URL + signature.demand.url,
    )


def signature_confirm(*, signature: Signature, **choices) -> bool:
    """Confirm a signature with the choices its owner made on the confirmation page (the
    arguments of `_stored_choices`, as SignatureChoicesForm cleans them): those take effect, not
    what was submitted with the address. False if it was confirmed already, or its details were
    replaced since `signature` was read from its link."""
    confirmed = record_confirm(record=signature, **_stored_choices(**choices))
    if confirmed:
        _count_raised(signature.demand_id)
    return confirmed


def signature_withdraw(*, signature: Signature) -> bool:
    """Delete a signature, taking it out of the stored count if it had been folded in."""
    with transaction.atomic():
        # The row lock waits for a fold in progress, so `folded` is read as it was committed.
        current = Signature.objects.select_for_update().filter(pk=signature.pk).first()
        if current is None:
            return False
        if current.folded:
            DemandTally.objects.filter(demand_id=current.demand_id).update(count=F("count") - 1)
        current.delete()
        demand_count_changed(current.demand_id)
    return True


def signatures_clear(*, signature_ids) -> int:
    """A moderator clears held signatures: they count at once."""
    held = Signature.objects.filter(pk__in=signature_ids, held=True)
    _count_raised(*held.values_list("demand_id", flat=True).distinct())
    return held.update(held=False)


def signatures_invalidate(*, signature_ids) -> int:
    """A moderator throws held signatures away; they were never counted."""
    deleted, _ = Signature.objects.filter(pk__in=signature_ids, held=True).delete()
    return deleted


def signatures_purge_unconfirmed() -> int:
    cutoff = timezone.now() - UNCONFIRMED_PURGE_AFTER
    deleted, _ = Signature.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def tally_fold(*, demand_id: int, batch: int = FOLD_BATCH) -> int:
    """Fold one batch of a demand's newly confirmed signatures into its stored count."""
    with transaction.atomic():
        # SKIP LOCKED: two folds running at once take different rows, never the same row twice.
        ids = list(
            Signature.objects.select_for_update(skip_locked=True)
            .filter(demand_id=demand_id, confirmed_at__isnull=False, held=False, folded=False)
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return 0
        folded = Signature.objects.filter(pk__in=ids).update(folded=True)
        DemandTally.objects.get_or_create(demand_id=demand_id)
        DemandTally.objects.filter(demand_id=demand_id).update(
            count=F("count") + folded, folded_at=timezone.now()
        )
    return folded


def tally_fold_all(*, batch: int = FOLD_BATCH, rounds: int = 10) -> int:
    """Fold every demand's backlog, a batch per transaction; a surge left over after `rounds`
    batches waits for the next run (the displayed count is exact meanwhile)."""
    demand_ids = (
        Signature.objects.filter(confirmed_at__isnull=False, held=False, folded=False)
        .values_list("demand_id", flat=True)
        .order_by()
        .distinct()
    )
    total = 0
    for demand_id in list(demand_ids):
        for _round in range(rounds):
            folded = tally_fold(demand_id=demand_id, batch=batch)
            total += folded
            if folded < batch:
                break
    return total


def tally_recount(*, demand_id: int) -> int:
    """Recount a demand's folded signatures and correct the stored count; returns the drift."""
    with transaction.atomic():
        DemandTally.objects.get_or_create(demand_id=demand_id)
        tally = DemandTally.objects.select_for_update().get(demand_id=demand_id)
        actual = Signature.objects.filter(
            demand_id=demand_id, confirmed_at__isnull=False, held=False, folded=True
        ).count()
        drift = tally.count - actual
        tally.count = actual
        tally.last_drift = drift
        tally.recounted_at = timezone.now()
        tally.save(update_fields=["count", "last_drift", "recounted_at"])
    if drift:
        logger.warning("Demand %s: stored count was off by %+d, corrected", demand_id, drift)
    return drift


def tally_recount_all(*, demand_ids) -> dict[int, int]:
    return {demand_id: tally_recount(demand_id=demand_id) for demand_id in demand_ids}


def _require_admin(*, user, network: NetworkPage) -> None:
    is_admin = (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            user=user, network=network, role=MembershipRole.ADMIN
        ).exists()
    )
    if not is_admin:
        raise PermissionDenied("Only an admin of the network can act for it.")


def _mandate(*, mandate: str, decided_on: date | None, members: int | None) -> dict:
    if decided_on is not None and decided_on > timezone.localdate():
        raise ValidationError("The date the network decided cannot be in the future.")
    return {"mandate": mandate, "decided_on": decided_on, "members": members}


def network_cosignature_create(
    *,
    network: NetworkPage,
    demand: Page,
    user,
    statement: str = "",
    mandate: str = "",
    decided_on: date | None = None,
    members: int | None = None,
) -> NetworkCoSignature:
    """A network admin co-signs a demand's current wording, with the mandate the network
    decided by; co-signing again updates the statement and mandate, and agrees to the current
    wording."""
    _require_admin(user=user, network=network)
    fields = {
        "statement": statement.strip(),
        "version": demand_version_current(demand=demand),
        **_mandate(mandate=mandate, decided_on=decided_on, members=members),
    }
    cosignature, _ = NetworkCoSignature.objects.update_or_create(
        network=network,
        demand=demand,
        defaults=fields,
        create_defaults={**fields, "signed_by": user},
    )
    # The coalition on the demand's cached summary changes.
    content_changed()
    return cosignature


def network_cosignature_confirm(
    *,
    network: NetworkPage,
    demand: Page,
    user,
    mandate: str,
    decided_on: date,
    members: int | None = None,
) -> NetworkCoSignature:
    """A network admin confirms that the network agrees to the demand's current wording, with
    the mandate it decided that by."""
    _require_admin(user=user, network=network)
    version = demand_version_current(demand=demand)
    if version is None:
        raise ValidationError("This demand has no published wording to confirm yet.")
    fields = {
        "version": version,
        **_mandate(mandate=mandate, decided_on=decided_on, members=members),
    }
    with transaction.atomic():
        cosignature = (
            NetworkCoSignature.objects.select_for_update()
            .filter(network=network, demand=demand)
            .first()
        )
        if cosignature is None:
            raise ValidationError(f"{network.title} does not co-sign this demand.")
        for field, value in fields.items():
            setattr(cosignature, field, value)
        cosignature.save(update_fields=list(fields))
        content_changed()
    return cosignature


def network_cosignature_withdraw(*, network: NetworkPage, demand: Page, user) -> bool:
    _require_admin(user=user, network=network)
    deleted, _ = NetworkCoSignature.objects.filter(network=network, demand=demand).delete()
    content_changed()
    return bool(deleted)


def platform_cosign(
    *,
    network: NetworkPage,
    platform: Page,
    user,
    statement: str = "",
    mandate: str = "",
    decided_on: date | None = None,
    members: int | None = None,
) -> int:
    """Co-sign every live demand of a platform at once, each at its current wording."""
    _require_admin(user=user, network=network)
    with transaction.atomic():
        demands = platform.get_demands().live()
        for demand in demands:
            network_cosignature_create(
                network=network, demand=demand, user=user, statement=statement,
                mandate=mandate, decided_on=decided_on, members=members,
            )  # fmt: skip
    return len(demands)


def platform_cosign_withdraw(*, network: NetworkPage, platform: Page, user) -> int:
    _require_admin(user=user, network=network)
    deleted, _ = NetworkCoSignature.objects.filter(
        network=network, demand__in=platform.get_demands()
    ).delete()
    content_changed()
    return deleted


# How a wording was agreed when nothing else says: its first publication, or editors' changes.
FIRST_PUBLISHED = "First published"
EDITORS_CHANGED = "Changed by the hub's editors"
# What the publish under way (demand_version_publish) says of how its wording was agreed: the
# version is recorded by the page_published handler, which has only the page and revision.
_agreed_by: ContextVar[str | None] = ContextVar("campaigns_agreed_by", default=None)


def _page_lock(page: Page) -> None:
    # Publishes of one page take turns here, so each reads the version the one before it wrote.
    list(Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True))


def demand_version_publish(
    *, demand: Page, ask: str | None, case_text: str | None, agreed_by: str, user=None
) -> DemandVersion:
    """Publish a new wording of `demand`: `ask`, and `case_text` (plain paragraphs separated by
    blank lines) as the case's paragraphs; None leaves that part as it is published now. The
    new revision starts from the live page, not from an editor's unpublished draft. Returns the
    version recorded for it, or the current one if the wording is unchanged."""
    with transaction.atomic():
        _page_lock(demand)
        live = demand.specific_class.objects.get(pk=demand.pk)
        if ask is not None:
            if not ask.strip():
                raise ValidationError("The ask cannot be empty.")
            live.ask = " ".join(ask.split())
        if case_text is not None:
            live.case = case_blocks(case_text)
        revision = live.save_revision(user=user, log_action=True)
        token = _agreed_by.set(agreed_by)
        try:
            revision.publish(user=user)
        finally:
            _agreed_by.reset(token)
        return demand_version_current(demand=live)


def demand_version_record(*, demand: Page, revision=None) -> DemandVersion | None:
    """Record `demand`'s just-published wording as its next version, if its ask or case
    changed (the page_published handler calls this). Numbers have no gaps or duplicates,
    however many publishes race. The admins of networks that co-signed an older wording are
    asked to confirm the new one or withdraw."""
    case = demand.case.get_prep_value()
    with transaction.atomic():
        _page_lock(demand)
        latest = demand_version_current(demand=demand)
        if (
            latest is not None
            and latest.ask == demand.ask
            and case_wording(latest.case) == case_wording(case)
        ):
            return None
        version = DemandVersion.objects.create(
            demand=demand,
            number=latest.number + 1 if latest else 1,
            ask=demand.ask,
            case=case,
            revision=revision,
            published_at=timezone.now(),
            agreed_by=_agreed_by.get() or (EDITORS_CHANGED if latest else FIRST_PUBLISHED),
        )
        if latest is not None:
            _cosignatures_outdated_email(demand=demand, version=version)
        content_changed()
    return version


def _cosignatures_outdated_email(*, demand: Page, version: DemandVersion) -> int:
    """One email to each admin of the networks whose co-signature names an older wording."""
    network_ids = cosignatures_outdated(demand=demand, version=version).values("network_id")
    admins: dict = {}
    memberships = (
        Membership.objects.filter(network__in=network_ids, role=MembershipRole.ADMIN)
        .exclude(user__email="")
        .select_related("user", "network")
        .order_by("network__title")
    )
    for membership in memberships:
        admins.setdefault(membership.user.email, []).append(membership.network)
    demand_url = settings.BASE_URL + demand.url
    for email, networks in admins.items():
        message = email_render(
            template_prefix="campaigns/emails/version_confirm",
            context={
                "demand": demand,
                "version": version,
                "networks": networks,
                "demand_url": demand_url,
                "history_url": demand_url + "history/",
            },
        )
        email_send(**message, to=[email])
    return len(admins)


def platform_version_record(
    *, platform: Page, leaving: Page | None = None, agreed_by: str = ""
) -> PlatformVersion | None:
    """Record the platform's next version if its live demands (less `leaving`, a demand being
    unpublished), or the version of one, changed since the last; `agreed_by` defaults to the
    change in words."""
    with transaction.atomic():
        _page_lock(platform)
        latest = platform_version_current(platform=platform)
        demands = platform.get_demands().live().order_by("path")
        if leaving is not None:
            demands = demands.exclude(pk=leaving.pk)
        demands = list(demands)
        numbers = dict(
            DemandVersion.objects.filter(demand__in=demands)
            .order_by("demand_id", "number")
            .values_list("demand_id", "number")
        )
        listed = [{"demand": demand.pk, "title": demand.title, "version": numbers.get(demand.pk)}
                  for demand in demands]  # fmt: skip
        before = latest.demands if latest else []

        def key(rows):
            return [(row["demand"], row["version"]) for row in rows]

        if latest is not None and key(before) == key(listed):
            return None
        version = PlatformVersion.objects.create(
            platform=platform,
            number=latest.number + 1 if latest else 1,
            demands=listed,
            published_at=timezone.now(),
            agreed_by=agreed_by or _platform_change(before=before, after=listed, first=not latest),
        )
        content_changed()
    return version


def _platform_change(*, before: list, after: list, first: bool) -> str:
    if first:
        return FIRST_PUBLISHED
    old = {row["demand"]: row for row in before}
    new = {row["demand"]: row for row in after}
    changes = [f"“{row['title']}” added" for pk, row in new.items() if pk not in old]
    changes += [f"“{row['title']}” removed" for pk, row in old.items() if pk not in new]
    changes += [
        f"“{row['title']}” now at version {row['version']}"
        for pk, row in new.items()
        if pk in old and old[pk]["version"] != row["version"]
    ]
    return "; ".join(changes)[:200] if changes else EDITORS_CHANGED
