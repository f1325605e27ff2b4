"""Writes for amendments and decisions. A network acts through one of its admins; hub moderators
open decisions; beat closes them at their deadline and applies what carried.

Errors are ValidationError (the request cannot be done: a 400 with the message) or
PermissionDenied (this person may not do it: a 403)."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import Page

from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from campaigns.models import Signature
from campaigns.versions import case_text
from hub.addresses import email_canonical
from hub.cache import content_changed
from hub.emails import email_render, email_send
from networks.models import NetworkPage
from networks.selectors import network_admin_membership

from .models import (
    Amendment,
    AmendmentComment,
    AmendmentStatus,
    AmendmentSupport,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Threshold,
    Vote,
    VoteChoice,
)
from .selectors import (
    can_decide,
    decision_open_for,
    decision_platform,
    decision_tally,
    network_admin_emails,
    networks_cosigning,
    networks_eligible,
)

logger = logging.getLogger(__name__)

ASK_MAX_LENGTH = Amendment._meta.get_field("ask").max_length
CASE_MAX_LENGTH = Amendment._meta.get_field("case").max_length
REASON_MAX_LENGTH = Amendment._meta.get_field("reason").max_length
COMMENT_MAX_LENGTH = AmendmentComment._meta.get_field("body").max_length


def _require_admin(*, user, network: NetworkPage) -> None:
    if user is None or network_admin_membership(network=network, user=user) is None:
        raise PermissionDenied(f"Only an admin of {network.title} can act for it.")


def _require_member_network(network: NetworkPage) -> None:
    if not network.live:
        raise ValidationError(f"{network.title} is not an approved network of the coalition.")


def _require_moderator(user) -> None:
    if not can_decide(user):
        raise PermissionDenied("Only the hub's moderators can open or close decisions.")


def _paragraphs(text: str) -> str:
    """Plain paragraphs as the amendment stores them: trimmed, one blank line between."""
    blocks = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(block for block in blocks if block)


def _demand_url(demand: Page) -> str:
    # A demand waiting for adoption is a draft: its platform is the public page to read.
    page = demand if demand.live else demand.get_parent()
    return settings.BASE_URL + (page.url or "/")


def _send_each(*, template_prefix: str, context: dict, emails) -> None:
    """One message per address: nobody sees another's address."""
    message = email_render(
        template_prefix=template_prefix, context={"site_name": settings.SITE_NAME, **context}
    )
    for email in emails:
        email_send(to=[email], **message)


# Amendments


def amendment_propose(
    *, demand: Page, network: NetworkPage, user, ask: str, case: str, reason: str
) -> Amendment:
    """A network proposes new wording for a published demand's ask, case or both; the admins
    of the co-signing networks hear of it."""
    _require_admin(user=user, network=network)
    _require_member_network(network)
    demand = demand.specific
    if not demand.live:
        raise ValidationError("Only a published demand can be amended.")
    ask = " ".join((ask or "").split())
    case = _paragraphs(case or "")
    reason = (reason or "").strip()
    errors = {}
    if ask == demand.ask:
        ask = ""
    if case == case_text(demand.case.get_prep_value()):
        case = ""
    if not ask and not case:
        errors["ask"] = "Give new wording for the ask or the case: this changes neither."
    if len(ask) > ASK_MAX_LENGTH:
        errors["ask"] = f"Keep the ask to {ASK_MAX_LENGTH} characters."
    if len(case) > CASE_MAX_LENGTH:
        errors["case"] = f"Keep the case to {CASE_MAX_LENGTH} characters."
    if not reason:
        errors["reason"] = "Say why the networks should make this change."
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"Keep the reason to {REASON_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    version = campaign_selectors.demand_version_current(demand=demand)
    if version is None:
        raise ValidationError("This demand has no published version to amend yet.")
    with transaction.atomic():
        amendment = Amendment.objects.create(
            demand=demand,
            network=network,
            proposed_by=user,
            version=version,
            ask=ask,
            case=case,
            reason=reason,
        )
        cosigning = networks_cosigning(demand=demand)
        emails = [
            email
            for email in network_admin_emails(networks=cosigning)
            if email_canonical(email) != email_canonical(user.email)
        ]
        _send_each(
            template_prefix="deliberation/emails/amendment_proposed",
            context={"amendment": amendment, "demand": demand, "demand_url": _demand_url(demand)},
            emails=emails,
        )
    content_changed()
    return amendment


def _require_amendment_open(amendment: Amendment, action: str) -> None:
    if amendment.status not in (AmendmentStatus.OPEN, AmendmentStatus.DECIDING):
        raise ValidationError(
            f"This amendment is {amendment.get_status_display().lower()}: it can no longer "
            f"be {action}."
        )


def amendment_support(*, amendment: Amendment, network: NetworkPage, user) -> AmendmentSupport:
    """Another network backs an amendment; supporting again changes nothing."""
    _require_admin(user=user, network=network)
    _require_member_network(network)
    if network.pk == amendment.network_id:
        raise ValidationError("A network cannot support its own amendment.")
    _require_amendment_open(amendment, "supported")
    try:
        with transaction.atomic():
            support, _ = AmendmentSupport.objects.get_or_create(
                amendment=amendment, network=network, defaults={"supported_by": user}
            )
    except IntegrityError:
        # A concurrent support by another admin of the same network won.
        support = AmendmentSupport.objects.get(amendment=amendment, network=network)
    content_changed()
    return support


def amendment_support_withdraw(*, amendment: Amendment, network: NetworkPage, user) -> bool:
    _require_admin(user=user, network=network)
    deleted, _ = AmendmentSupport.objects.filter(amendment=amendment, network=network).delete()
    content_changed()
    return bool(deleted)


def amendment_comment(
    *, amendment: Amendment, network: NetworkPage, user, body: str
) -> AmendmentComment:
    """A comment made as a network, by one of its admins."""
    _require_admin(user=user, network=network)
    _require_member_network(network)
    if amendment.status == AmendmentStatus.WITHDRAWN:
        raise ValidationError("This amendment has been withdrawn: it takes no more comments.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a comment first."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": f"Keep a comment to {COMMENT_MAX_LENGTH} characters."})
    comment = AmendmentComment.objects.create(
        amendment=amendment, network=network, author=user, body=body
    )
    content_changed()
    return comment


def amendment_withdraw(*, amendment: Amendment, user) -> Amendment:
    """The proposing network takes its amendment back, until a decision on it opens."""
    _require_admin(user=user, network=amendment.network)
    with transaction.atomic():
        # The lock orders this against a moderator opening a decision on it.
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if current.status != AmendmentStatus.OPEN:
            raise ValidationError(
                f"This amendment is {current.get_status_display().lower()}: it can no longer "
                "be withdrawn."
            )
        current.status = AmendmentStatus.WITHDRAWN
        current.save(update_fields=["status"])
    content_changed()
    return current


# Decisions


def decision_open(
    *,
    kind: str,
    demand: Page,
    amendment: Amendment | None = None,
    deadline: datetime,
    quorum: int,
    threshold: str,
    user,
) -> Decision:
    """A hub moderator opens a decision, on an amendment or on adopting a draft demand into
    its platform; the admins of the networks that may vote hear of it."""
    _require_moderator(user)
    demand = demand.specific
    errors = {}
    if kind not in DecisionKind.values:
        errors["kind"] = "Choose what is decided: an amendment, or adopting a demand."
    if threshold not in Threshold.values:
        errors["threshold"] = "Choose a simple majority, two thirds, or consensus."
    if not isinstance(quorum, int) or not 0 <= quorum <= 100:
        errors["quorum"] = "The quorum is a share of the networks: from 0 to 100 per cent."
    if deadline is None or timezone.is_naive(deadline) or deadline <= timezone.now():
        errors["deadline"] = "Give a deadline in the future."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if kind == DecisionKind.AMENDMENT:
            if amendment is None or amendment.demand_id != demand.pk:
                raise ValidationError("Choose an amendment to this demand.")
            # Locked, so two moderators cannot open two decisions on it, nor its network
            # withdraw it meanwhile.
            amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
            if amendment.status != AmendmentStatus.OPEN:
                raise ValidationError(
                    f"This amendment is {amendment.get_status_display().lower()}: "
                    "a decision can only be opened on an open amendment."
                )
            if not demand.live:
                raise ValidationError("Only a published demand can be amended.")
            current = campaign_selectors.demand_version_current(demand=demand)
            if current is not None and current.pk != amendment.version_id:
                raise ValidationError(
                    "The demand's wording has changed since this amendment was proposed: "
                    "ask its network to propose it again against the current version."
                )
            amendment.status = AmendmentStatus.DECIDING
            amendment.save(update_fields=["status"])
        else:
            if amendment is not None:
                raise ValidationError("An adoption decision is on a demand, not an amendment.")
            if demand.live or decision_platform(demand=demand) is None:
                raise ValidationError(
                    "Adoption is for a draft demand in a platform: the networks co-signing the "
                    "platform decide whether it joins."
                )
            # Decisions on one demand take turns, so only one adoption is open at a time.
            Page.objects.select_for_update().filter(pk=demand.pk).first()
            if decision_open_for(demand=demand) is not None:
                raise ValidationError("A decision on adopting this demand is open already.")
        decision = Decision.objects.create(
            kind=kind,
            amendment=amendment,
            demand=demand,
            opened_by=user,
            deadline=deadline,
            quorum=quorum,
            threshold=threshold,
        )
        _send_each(
            template_prefix="deliberation/emails/decision_opened",
            context=_decision_context(decision),
            emails=network_admin_emails(networks=networks_eligible(decision=decision)),
        )
    content_changed()
    return decision


def _decision_context(decision: Decision) -> dict:
    return {
        "decision": decision,
        "amendment": decision.amendment,
        "demand": decision.demand,
        "demand_url": _demand_url(decision.demand),
        "consensus": decision.threshold == Threshold.CONSENSUS,
    }


def _decision_locked(decision: Decision, *, skip_locked=False, **conditions) -> Decision | None:
    return (
        Decision.objects.select_for_update(of=("self",), skip_locked=skip_locked)
        .select_related("amendment", "demand")
        .filter(pk=decision.pk, **conditions)
        .first()
    )


def vote_cast(*, decision: Decision, network: NetworkPage, user, choice: str) -> Vote:
    """A network's vote, cast by one of its admins; voting again changes it, until the deadline.

    The decision's row is locked for the vote, so a network's concurrent votes take turns (the
    later one changes the earlier), and a vote never lands in a decision being closed."""
    _require_admin(user=user, network=network)
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": "Choose for, against or abstain."})
    with transaction.atomic():
        # The deadline is read against the database's clock, in the transaction that votes.
        locked = _decision_locked(decision, closed_at__isnull=True, deadline__gt=Now())
        if locked is None:
            raise ValidationError("This decision has closed: its deadline has passed.")
        if choice == VoteChoice.BLOCK and locked.threshold != Threshold.CONSENSUS:
            raise ValidationError(
                {"choice": "Blocking is only for decisions by consensus: vote against instead."}
            )
        if not networks_eligible(decision=locked).filter(pk=network.pk).exists():
            raise ValidationError(
                f"{network.title} does not co-sign this demand, so it has no vote in this "
                "decision. Co-sign it first."
            )
        now = timezone.now()
        vote, created = Vote.objects.get_or_create(
            decision=locked,
            network=network,
            defaults={"choice": choice, "cast_by": user, "cast_at": now, "changed_at": now},
        )
        if not created and vote.choice != choice:
            vote.choice = choice
            vote.cast_by = user
            vote.changed_at = now
            vote.save(update_fields=["choice", "cast_by", "changed_at"])
    content_changed()
    return vote


def decision_close(*, decision: Decision, user=None) -> Decision:
    """Count a decision whose deadline has passed, store the count and apply what carried.

    Idempotent: a closed decision is returned as it is. Beat calls it without a user; a user
    given (a moderator counting by hand) must be one of the hub's moderators. Nobody can
    close a decision before its deadline: the networks have until then to vote."""
    if user is not None:
        _require_moderator(user)
    with transaction.atomic():
        # Waits for a vote or another closer holding the row, then reads it as they left it.
        locked = _decision_locked(decision)
        if locked is None:
            raise ValidationError("This decision no longer exists.")
        if locked.closed_at is not None:
            return locked
        if not Decision.objects.filter(pk=locked.pk, deadline__lte=Now()).exists():
            raise ValidationError("This decision is open until its deadline.")
        _close(locked)
    content_changed()
    return locked


def decisions_close_due() -> int:
    """Close every decision past its deadline (beat, every minute); returns how many closed.

    Each is closed in its own transaction; one another process is closing, or a vote still
    holds, is skipped and is closed by that process or by the next run."""
    closed = 0
    due = Decision.objects.filter(closed_at__isnull=True, deadline__lte=Now()).order_by("deadline")
    for decision in list(due.only("pk")):
        try:
            with transaction.atomic():
                locked = _decision_locked(
                    decision,
                    closed_at__isnull=True,
                    deadline__lte=Now(),
                    skip_locked=True,
                )
                if locked is None:
                    continue
                _close(locked)
            closed += 1
        except Exception:
            # One decision that cannot be applied must not hold up the others; it is tried
            # again next minute.
            logger.exception("Decision %s could not be closed", decision.pk)
    if closed:
        content_changed()
    return closed


def _close(decision: Decision) -> None:
    """Count, store and apply, in the caller's transaction, with the decision's row locked."""
    eligible = list(networks_eligible(decision=decision).values_list("pk", flat=True))
    decision.eligible = len(eligible)
    decision.closed_at = timezone.now()
    decision.tally = {"networks": eligible}
    tally = decision_tally(decision=decision)
    decision.outcome = tally["outcome"]
    decision.save(update_fields=["eligible", "closed_at", "tally", "outcome"])
    if decision.kind == DecisionKind.AMENDMENT:
        _apply_amendment(decision)
    elif decision.outcome == DecisionOutcome.CARRIED:
        _apply_adoption(decision)
    _result_tell(decision, tally)


def _agreed_on(decision: Decision) -> str:
    return date_format(timezone.localtime(decision.closed_at), "j F Y")


def _apply_amendment(decision: Decision) -> None:
    amendment = decision.amendment
    if decision.outcome == DecisionOutcome.CARRIED:
        version = campaign_services.demand_version_publish(
            demand=decision.demand,
            ask=amendment.ask or None,
            case_text=amendment.case or None,
            agreed_by=(
                f"Amendment {amendment.pk} carried by the networks' vote on {_agreed_on(decision)}"
            ),
        )
        decision.result_version = version
        decision.save(update_fields=["result_version"])
        amendment.status = AmendmentStatus.CARRIED
    elif decision.outcome == DecisionOutcome.NOT_CARRIED:
        amendment.status = AmendmentStatus.NOT_CARRIED
    else:
        # Too few networks voted: nothing was decided, so it is open for another decision.
        amendment.status = AmendmentStatus.OPEN
    amendment.save(update_fields=["status"])


def _apply_adoption(decision: Decision) -> None:
    """Publish the draft demand as it stands: its latest revision joins the platform."""
    demand = decision.demand.specific
    revision = demand.get_latest_revision() or demand.save_revision()
    revision.publish()
    version = campaign_selectors.demand_version_current(demand=demand)
    if version is not None:
        version.agreed_by = f"Adopted by the networks' vote on {_agreed_on(decision)}"
        version.save(update_fields=["agreed_by"])
    decision.result_version = version
    decision.save(update_fields=["result_version"])


def _result_tell(decision: Decision, tally: dict) -> None:
    """The admins of the networks that could vote, and the demand's signers who asked to be
    kept updated, hear the result: each address once."""
    counted = NetworkPage.objects.filter(pk__in=decision.tally["networks"])
    context = {**_decision_context(decision), "tally": tally}
    admins = network_admin_emails(networks=counted)
    _send_each(
        template_prefix="deliberation/emails/decision_result", context=context, emails=admins
    )
    told = {email_canonical(email) for email in admins}
    signers = (
        Signature.objects.filter(
            demand=decision.demand, keep_updated=True, confirmed_at__isnull=False, held=False
        )
        .exclude(email_canonical__in=told)
        .values_list("email", flat=True)
    )
    _send_each(
        template_prefix="deliberation/emails/decision_result_signer",
        context=context,
        emails=signers,
    )
