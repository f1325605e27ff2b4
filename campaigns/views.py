import json
from functools import lru_cache

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from hub.exports import SpreadsheetSafeWriter
from hub.optin import OptInConfirmView
from networks.models import NetworkPage

from . import selectors, services
from .forms import SignatureChoicesForm
from .milestones import milestones_parse
from .sharing import share_links


def demand_progress_fragment(*, demand: str, milestones: str, promises: str = "") -> str:
    """The count and milestone bar, rendered live into every demand page, cached or not.
    `promises` is `milestone_promises_param`'s JSON (none in pages cached before it was)."""
    count = selectors.demand_live_count(demand_id=int(demand))
    return _progress_html(count, milestones_parse(milestones), promises)


def milestone_promises_param(promises: dict[int, str]) -> str:
    return json.dumps({str(count): text for count, text in promises.items()}, sort_keys=True)


def _promises_read(param: str) -> dict[int, str]:
    try:
        promises = json.loads(param) if param else {}
        return {int(count): str(text) for count, text in promises.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


@lru_cache(maxsize=1024)
def _progress_html(count: int, milestones: tuple[int, ...], promises: str) -> str:
    # A function of its arguments alone: in a surge each process renders each count once.
    return render_to_string(
        "campaigns/includes_progress.html",
        selectors.demand_progress(
            count=count, milestones=list(milestones), promises=_promises_read(promises)
        ),
    )


def _confirmed(request, signature, *, newly: bool):
    """Thanks, the new count, ways to pass the demand on, and what else there is to sign."""
    demand = signature.demand
    url = demand.get_full_url(request)
    context = {
        "signature": signature,
        "demand": demand,
        "newly": newly,
        "count": selectors.demand_live_count(demand_id=demand.pk),
        "share_url": url,
        "share_links": share_links(url=url, title=demand.title),
        "unsigned": demand.platform_demands_unsigned(canonical_email=signature.email_canonical),
    }
    return TemplateResponse(request, "campaigns/signature_confirmed.html", context)


def _link_invalid(request):
    return TemplateResponse(request, "campaigns/signature_link_invalid.html", status=404)


class SignatureConfirmView(OptInConfirmView):
    template_name = "campaigns/signature_confirm.html"

    def record_read(self, token):
        return services.signature_from_token(token=token, action="confirm")

    def form_make(self, signature, data):
        if data is None:
            return SignatureChoicesForm(initial=selectors.signature_choices(signature=signature))
        return SignatureChoicesForm(data)

    def context(self, signature):
        return {"signature": signature, "demand": signature.demand}

    def confirm(self, signature, form):
        return services.signature_confirm(signature=signature, **form.cleaned_data)

    def confirmed(self, signature, *, newly):
        return _confirmed(self.request, signature, newly=newly)

    def link_invalid(self):
        return _link_invalid(self.request)


signature_confirm = SignatureConfirmView.as_view()


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
