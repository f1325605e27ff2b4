"""The public side of amendments and decisions: the section on each demand's page, and the forms
network admins use under /amendments/. Every write goes through deliberation.services; a refusal
there is a 400 (what was typed is shown again) or a 403, never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.models import DemandPage
from campaigns.selectors import networks_administered
from hub.ratelimit import rate_limit_hit

from . import display, selectors, services
from .forms import AmendmentForm, CommentForm, SupportForm, VoteForm
from .models import Amendment, Decision, Threshold

# (limit, period in seconds) per signed-in user, as the other public forms are limited.
RATE_LIMITS = {
    "propose": (10, 3600),
    "support": (60, 3600),
    "comment": (30, 3600),
    "withdraw": (20, 3600),
    "vote": (60, 3600),
}


def demand_amendments_section(request, page) -> str:
    """The `demand_page_sections` hook: the demand's amendments, and what the user may do."""
    section = display.demand_section(demand=page)
    acting = display.acting_for(user=request.user, cosigning_ids=section["cosigning_ids"])
    context = {
        "page": page,
        "items": [display.mine(view, acting) for view in section["amendments"]],
        "propose_networks": acting.cosigning,
    }
    return render_to_string("deliberation/demand_section.html", context, request=request)


def _rate_limited(request, action: str) -> bool:
    limit, period = RATE_LIMITS[action]
    return rate_limit_hit(
        scope=f"deliberation-{action}", key=str(request.user.pk), limit=limit, period=period
    )


def _refused(request, *, heading: str, message: str, status: int, demand=None):
    return TemplateResponse(
        request,
        "deliberation/refused.html",
        {"heading": heading, "message": message, "demand": demand},
        status=status,
    )


def _too_many(request, demand):
    return _refused(
        request,
        heading="Too many at once",
        message="Your account has done this a lot in the last hour. Please wait a while and "
        "try again.",
        status=429,
        demand=demand,
    )


def _not_admin(request, demand, message: str):
    return _refused(
        request, heading="Only for network admins", message=message, status=403, demand=demand
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _demand_url(demand, anchor: str) -> str:
    return f"{demand.url}#{anchor}"


# --- Proposing ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request, demand_id: int):
    demand = get_object_or_404(DemandPage.objects.live().public(), pk=demand_id)
    section = display.demand_section(demand=demand)
    networks = display.acting_for(
        user=request.user, cosigning_ids=section["cosigning_ids"]
    ).cosigning
    if not networks:
        return _not_admin(
            request,
            demand,
            "Only the admins of a network that co-signs this demand can propose an amendment "
            "to it.",
        )
    current = {"current_ask": demand.ask, "current_case": display.case_text(demand.case.raw_data)}
    if request.method != "POST":
        form = AmendmentForm(
            networks=networks,
            initial={"ask": current["current_ask"], "case": current["current_case"]},
            **current,
        )
        return TemplateResponse(
            request, "deliberation/amendment_propose.html", {"demand": demand, "form": form}
        )
    if _rate_limited(request, "propose"):
        return _too_many(request, demand)
    form = AmendmentForm(request.POST, networks=networks, **current)
    status = 400
    if form.is_valid():
        try:
            amendment = services.amendment_propose(
                demand=demand,
                network=form.cleaned_data["network"],
                user=request.user,
                ask=form.cleaned_data["ask"],
                case=form.cleaned_data["case"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        except PermissionDenied as error:
            form.add_error(None, str(error) or "Your network cannot propose this amendment.")
            status = 403
        else:
            messages.success(
                request,
                f"Amendment {amendment.pk} is proposed for {amendment.network.title}. The "
                "other co-signing networks' admins are told.",
            )
            return HttpResponseRedirect(_demand_url(demand, f"amendment-{amendment.pk}"))
    return TemplateResponse(
        request,
        "deliberation/amendment_propose.html",
        {"demand": demand, "form": form},
        status=status,
    )


# --- One amendment --------------------------------------------------------------------------
def _amendment(pk: int) -> Amendment:
    return get_object_or_404(
        Amendment.objects.filter(demand__live=True).select_related("demand", "network"), pk=pk
    )


def _amendment_page(request, amendment, *, status=200, problem="", **forms):
    demand = amendment.demand
    section = display.demand_section(demand=demand)
    view = next((view for view in section["amendments"] if view.amendment.pk == amendment.pk), None)
    if view is None:
        # Read before this amendment was made: build it now.
        view = display.amendment_view(
            selectors.demand_amendments(demand=demand).get(pk=amendment.pk),
            current_ask=demand.ask,
            current_case=display.case_text(demand.case.raw_data),
        )
    acting = display.acting_for(user=request.user, cosigning_ids=section["cosigning_ids"])
    context = {"demand": demand, "item": display.mine(view, acting), "problem": problem, **forms}
    return TemplateResponse(request, "deliberation/amendment_page.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def amendment_detail(request, pk: int):
    return _amendment_page(request, _amendment(pk))


@login_required
@require_POST
def support(request, pk: int):
    amendment = _amendment(pk)
    demand = amendment.demand
    section = display.demand_section(demand=demand)
    networks = [
        network
        for network in display.acting_for(
            user=request.user, cosigning_ids=section["cosigning_ids"]
        ).cosigning
        if network.pk != amendment.network_id
    ]
    if not networks:
        return _not_admin(
            request,
            demand,
            "Only the admins of another network that co-signs this demand can support this "
            "amendment.",
        )
    if _rate_limited(request, "support"):
        return _too_many(request, demand)
    form = SupportForm(request.POST, networks=networks)
    if not form.is_valid():
        return _amendment_page(request, amendment, status=400, support_form=form)
    network = form.cleaned_data["network"]
    withdraw = form.cleaned_data["action"] == "withdraw"
    try:
        if withdraw:
            services.amendment_support_withdraw(
                amendment=amendment, network=network, user=request.user
            )
        else:
            services.amendment_support(amendment=amendment, network=network, user=request.user)
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _amendment_page(request, amendment, status=400, support_form=form)
    except PermissionDenied as error:
        return _not_admin(request, demand, str(error) or "Your network cannot support it.")
    if withdraw:
        messages.success(request, f"{network.title} no longer supports amendment {pk}.")
    else:
        messages.success(request, f"{network.title} supports amendment {pk}.")
    return HttpResponseRedirect(_demand_url(demand, f"amendment-{pk}"))


@login_required
@require_POST
def comment(request, pk: int):
    amendment = _amendment(pk)
    demand = amendment.demand
    networks = list(networks_administered(user=request.user).order_by("title"))
    if not networks:
        return _not_admin(
            request, demand, "Only a network's admins can comment on an amendment, as the network."
        )
    if _rate_limited(request, "comment"):
        return _too_many(request, demand)
    form = CommentForm(request.POST, networks=networks)
    if form.is_valid():
        try:
            services.amendment_comment(
                amendment=amendment,
                network=form.cleaned_data["network"],
                user=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        except PermissionDenied as error:
            return _not_admin(request, demand, str(error) or "Your network cannot comment here.")
        else:
            messages.success(
                request, f"Your comment is published as {form.cleaned_data['network'].title}."
            )
            return HttpResponseRedirect(_demand_url(demand, f"amendment-{pk}"))
    return _amendment_page(request, amendment, status=400, comment_form=form)


@login_required
@require_POST
def withdraw(request, pk: int):
    amendment = _amendment(pk)
    demand = amendment.demand
    administered = networks_administered(user=request.user).filter(pk=amendment.network_id)
    if not administered.exists():
        return _not_admin(
            request,
            demand,
            f"Only the admins of {amendment.network.title}, which proposed it, can withdraw "
            "this amendment.",
        )
    if _rate_limited(request, "withdraw"):
        return _too_many(request, demand)
    try:
        services.amendment_withdraw(amendment=amendment, user=request.user)
    except ValidationError as error:
        return _amendment_page(request, amendment, status=400, problem=_error_text(error))
    except PermissionDenied as error:
        return _not_admin(request, demand, str(error) or "You cannot withdraw it.")
    messages.success(request, f"Amendment {pk} is withdrawn.")
    return HttpResponseRedirect(_demand_url(demand, f"amendment-{pk}"))


# --- Decisions ------------------------------------------------------------------------------
def _decision(pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("demand", "amendment"), pk=pk)


def _decision_demand(decision: Decision):
    """The demand as the networks vote on it: for an adoption, its latest draft."""
    if decision.demand.live:
        return decision.demand
    return decision.demand.get_latest_revision_as_object()


def _vote_networks(request, decision: Decision, dv) -> list[dict]:
    if not (request.user.is_authenticated and decision.is_open):
        return []
    eligible = selectors.networks_eligible(decision=decision)
    networks = networks_administered(user=request.user).filter(pk__in=eligible.values("pk"))
    votes = {vote.network_id: vote for vote in dv.tally["votes"]}
    return [{"network": n, "vote": votes.get(n.pk)} for n in networks.order_by("title")]


def _decision_page(request, decision, *, status=200, problem="", vote_form=None):
    dv = display.decision_view(decision)
    context = {
        "demand": _decision_demand(decision),
        "dv": dv,
        "vote_networks": _vote_networks(request, decision, dv),
        "vote_form": vote_form,
        "problem": problem,
    }
    return TemplateResponse(request, "deliberation/decision_page.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def decision_detail(request, pk: int):
    decision = _decision(pk)
    if decision.kind == "amendment" and not decision.demand.live:
        # Nothing of a demand that is not published is shown, but an adoption's own draft.
        return _refused(
            request,
            heading="Not found",
            message="This demand is not published.",
            status=404,
        )
    return _decision_page(request, decision)


def _after_deadline(decision: Decision) -> str:
    closed = date_format(timezone.localtime(decision.deadline), "j F Y, H:i")
    return f"Voting closed on {closed}: votes can no longer be cast or changed."


@login_required
@require_POST
def vote(request, pk: int):
    decision = _decision(pk)
    if not decision.is_open:
        return _decision_page(request, decision, status=409, problem=_after_deadline(decision))
    eligible = selectors.networks_eligible(decision=decision)
    networks = list(networks_administered(user=request.user).filter(pk__in=eligible.values("pk")))
    if not networks:
        return _not_admin(
            request,
            decision.demand if decision.demand.live else None,
            "Only the admins of a network entitled to vote in this decision can vote in it.",
        )
    if _rate_limited(request, "vote"):
        return _too_many(request, decision.demand)
    form = VoteForm(
        request.POST, networks=networks, consensus=decision.threshold == Threshold.CONSENSUS
    )
    if form.is_valid():
        network = form.cleaned_data["network"]
        try:
            cast = services.vote_cast(
                decision=decision,
                network=network,
                user=request.user,
                choice=form.cleaned_data["choice"],
            )
        except ValidationError as error:
            decision.refresh_from_db()
            problem = _after_deadline(decision) if not decision.is_open else ""
            form.add_error(None, problem or _error_text(error))
            return _decision_page(request, decision, status=409 if problem else 400,
                                  vote_form=form, problem=problem)  # fmt: skip
        except PermissionDenied as error:
            return _not_admin(request, None, str(error) or "Your network cannot vote in this.")
        messages.success(
            request,
            f"{network.title} votes {cast.get_choice_display().lower()}. Its admins can change "
            f"the vote until {date_format(timezone.localtime(decision.deadline), 'j F Y, H:i')}.",
        )
        if decision.demand.live:
            return HttpResponseRedirect(_demand_url(decision.demand, f"decision-{decision.pk}"))
        return HttpResponseRedirect(request.path.removesuffix("vote/"))
    return _decision_page(request, decision, status=400, vote_form=form)
