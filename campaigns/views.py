from functools import lru_cache

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from hub import pagecache
from hub.exports import SpreadsheetSafeWriter
from hub.ratelimit import client_ip
from networks.models import NetworkPage

from . import selectors, services
from .forms import CoSignForm, SignatureChoicesForm, SignatureForm
from .milestones import milestones_parse

COUNTS_CACHE_SECONDS = 5
NAMES_PER_PAGE = 50


def _render_demand(request, demand, *, form=None, status=200):
    response = demand.render(
        request, context_overrides={"form": form} if form is not None else None
    )
    response.status_code = status
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def demand_sign(request, *, demand):
    if request.method != "POST":
        return pagecache.allow(_render_demand(request, demand))
    if not demand.is_open:
        return _render_demand(request, demand, status=409)
    form = SignatureForm(request.POST)
    if not form.is_valid():
        return _render_demand(request, demand, form=form, status=400)
    if not form.is_spam:
        _sign(request, demand, form.cleaned_data)
    # The same answer whether the email is new, had signed before, or the form was spam.
    return TemplateResponse(
        request, "campaigns/signature_check_email.html", {"page": demand, "demand": demand}
    )


def _sign(request, demand, data, **extra):
    fields = ["name", "email", "kind", "postcode", "affiliation", "show_name", "keep_updated"]
    return services.signature_create(
        demand=demand, ip=client_ip(request), **{name: data[name] for name in fields}, **extra
    )


@require_POST
def demand_sign_as_member(request, *, demand):
    user = request.user
    if not user.is_authenticated:
        return redirect(f"/accounts/login/?next={demand.url}")
    if not demand.is_open:
        return _render_demand(request, demand, status=409)
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise PermissionDenied("Verify your email address to sign in one click.")
    form = SignatureForm(
        {
            "name": user.get_full_name() or user.email.partition("@")[0],
            "email": user.email,
            "kind": request.POST.get("kind", ""),
            "postcode": request.POST.get("postcode", ""),
            "affiliation": request.POST.get("affiliation", ""),
            "show_name": request.POST.get("show_name", ""),
            "keep_updated": request.POST.get("keep_updated", ""),
        }
    )
    if not form.is_valid():
        return _render_demand(request, demand, form=form, status=400)
    _sign(request, demand, form.cleaned_data, user=user, confirmed=True)
    messages.success(request, "Thank you: your signature is confirmed and counted.")
    return redirect(demand.url)


@require_POST
def demand_withdraw_as_member(request, *, demand):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={demand.url}")
    signature = selectors.member_signature(demand=demand, user=request.user)
    if signature is not None:
        services.signature_withdraw(signature=signature)
    messages.success(request, "Your signature is withdrawn and deleted.")
    return redirect(demand.url)


def demand_progress_fragment(*, demand: str, milestones: str) -> str:
    """The count and milestone bar, rendered live into every demand page, cached or not."""
    count = selectors.demand_live_count(demand_id=int(demand))
    return _progress_html(count, milestones_parse(milestones))


@lru_cache(maxsize=1024)
def _progress_html(count: int, milestones: tuple[int, ...]) -> str:
    # A function of its arguments alone: in a surge each process renders each count once.
    return render_to_string(
        "campaigns/includes_progress.html",
        selectors.demand_progress(count=count, milestones=list(milestones)),
    )


@require_http_methods(["GET", "HEAD"])
def demand_names(request, *, demand):
    paginator = Paginator(selectors.signature_names(demand=demand), NAMES_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "campaigns/demand_names.html",
        {"page": demand, "demand": demand, "page_obj": page_obj},
    )


@require_http_methods(["GET", "HEAD"])
def demand_counts(request, *, demand):
    key = f"campaigns:counts:{demand.pk}"
    payload = cache.get(key)
    if payload is None:
        payload = selectors.demand_counts_payload(demand=demand)
        cache.set(key, payload, COUNTS_CACHE_SECONDS)
    response = JsonResponse(payload)
    response["Cache-Control"] = f"public, max-age={COUNTS_CACHE_SECONDS}"
    return response


def _cosign_form(request):
    networks = selectors.networks_administered(user=request.user)
    if not networks.exists():
        raise PermissionDenied("Only a network's admins can co-sign for it.")
    return CoSignForm(request.POST, networks=networks)


@require_POST
def demand_cosign(request, *, demand):
    form = _cosign_form(request)
    if not form.is_valid():
        return _render_demand(request, demand, status=400)
    network = form.cleaned_data["network"]
    if form.cleaned_data["action"] == "withdraw":
        services.network_cosignature_withdraw(network=network, demand=demand, user=request.user)
        messages.success(request, f"{network.title} no longer co-signs this demand.")
    else:
        services.network_cosignature_create(
            network=network,
            demand=demand,
            user=request.user,
            statement=form.cleaned_data["statement"],
        )
        messages.success(request, f"{network.title} co-signs this demand.")
    return redirect(demand.url)


@require_POST
def platform_cosign(request, *, platform):
    form = _cosign_form(request)
    if not form.is_valid():
        response = platform.render(request)
        response.status_code = 400
        return response
    network = form.cleaned_data["network"]
    if form.cleaned_data["action"] == "withdraw":
        services.platform_cosign_withdraw(network=network, platform=platform, user=request.user)
        messages.success(request, f"{network.title} no longer co-signs this platform.")
    else:
        count = services.platform_cosign(
            network=network,
            platform=platform,
            user=request.user,
            statement=form.cleaned_data["statement"],
        )
        messages.success(request, f"{network.title} co-signs all {count} demands.")
    return redirect(platform.url)


def _link_invalid(request):
    return TemplateResponse(request, "campaigns/signature_link_invalid.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def signature_confirm(request, token):
    signature = services.signature_from_token(token=token, action="confirm")
    if signature is None:
        return _link_invalid(request)
    context = {"signature": signature, "demand": signature.demand}
    if signature.confirmed_at is not None:
        return TemplateResponse(
            request, "campaigns/signature_confirmed.html", {**context, "newly": False}
        )
    # Mail scanners fetch every link: GET only shows the form, the POST confirms. The choices
    # on the form are the ones that take effect: whoever typed the address in made the others.
    if request.method != "POST":
        form = SignatureChoicesForm(initial=selectors.signature_choices(signature=signature))
        return TemplateResponse(
            request, "campaigns/signature_confirm.html", {**context, "form": form}
        )
    form = SignatureChoicesForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "campaigns/signature_confirm.html", {**context, "form": form}, status=400
        )
    newly = services.signature_confirm(signature=signature, **form.cleaned_data)
    if not newly and services.signature_from_token(token=token, action="confirm") is None:
        return _link_invalid(request)
    return TemplateResponse(
        request, "campaigns/signature_confirmed.html", {**context, "newly": newly}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def signature_withdraw(request, token):
    signature = services.signature_from_token(token=token, action="withdraw")
    if signature is None:
        return _link_invalid(request)
    context = {"signature": signature, "demand": signature.demand}
    if request.method != "POST":
        return TemplateResponse(request, "campaigns/signature_withdraw.html", context)
    services.signature_withdraw(signature=signature)
    return TemplateResponse(request, "campaigns/signature_withdrawn.html", context)


@require_http_methods(["GET", "HEAD"])
def network_signers_csv(request, network_id):
    network = get_object_or_404(NetworkPage.objects.live(), pk=network_id)
    if not selectors.networks_administered(user=request.user).filter(pk=network.pk).exists():
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-signers.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(["demand", "name", "email", "postcode area", "i am", "confirmed"])
    for signature in selectors.signers_for_network_export(network=network).iterator():
        writer.writerow(
            [
                signature.demand.title,
                signature.name,
                signature.email,
                signature.postcode_outward,
                signature.get_kind_display(),
                signature.confirmed_at.date().isoformat(),
            ]
        )
    return response
