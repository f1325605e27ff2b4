from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hub.optin import OptInConfirmView
from hub.ratelimit import client_ip

from . import links, selectors, services
from .forms import PledgeMessageForm, PledgeProposalForm, PledgerChoicesForm, PledgerForm
from .models import Pledge, PledgeStatus

PER_PAGE = 20


def _verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@require_http_methods(["GET", "HEAD"])
def pledge_index(request):
    paginator = Paginator(selectors.pledges_public(), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "pledges/pledge_index.html", {"page_obj": page_obj, "pledges": page_obj}
    )


def _detail(request, pledge, *, form=None, status=200):
    is_open = services.pledge_is_open(pledge)
    user = request.user
    member_can_pledge = is_open and user.is_authenticated and _verified(user)
    if form is None and is_open:
        form = PledgerForm(pledge=pledge)
    named = selectors.pledge_named(pledge=pledge)
    context = {
        "pledge": pledge,
        "count": pledge.pledged_count,
        "days_left": (pledge.deadline - timezone.localdate()).days,
        "named": named,
        "others": pledge.pledged_count - len(named),
        "is_open": is_open,
        "form": form,
        "member_can_pledge": member_can_pledge,
        "member_form": PledgerChoicesForm(pledge=pledge) if member_can_pledge else None,
        "in_review": pledge.status in (PledgeStatus.PENDING, PledgeStatus.REJECTED),
    }
    return TemplateResponse(request, "pledges/pledge_detail.html", context, status=status)


def _pledge_or_404(request, slug):
    pledge = selectors.pledge_for_viewer(slug=slug, user=request.user)
    if pledge is None:
        raise Http404("No such pledge.")
    return pledge


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_detail(request, slug):
    pledge = _pledge_or_404(request, slug)
    if request.method != "POST":
        return _detail(request, pledge)
    if not services.pledge_is_open(pledge):
        return _detail(request, pledge, status=409)
    form = PledgerForm(request.POST, pledge=pledge)
    if not form.is_valid():
        return _detail(request, pledge, form=form, status=400)
    if not form.is_spam:
        services.pledger_create(
            pledge=pledge,
            email=form.cleaned_data["email"],
            ip=client_ip(request),
            **form.choices(),
        )
    # The same answer whether the address is new, pledged already, or spam.
    return TemplateResponse(request, "pledges/pledger_check_email.html", {"pledge": pledge})


@login_required
@require_POST
def pledge_as_member(request, slug):
    """One click for a member whose address is verified: their pledge is confirmed at once."""
    pledge = _pledge_or_404(request, slug)
    if not services.pledge_is_open(pledge):
        return _detail(request, pledge, status=409)
    if not _verified(request.user):
        return TemplateResponse(request, "pledges/verify_email.html", status=403)
    user = request.user
    form = PledgerChoicesForm(
        {**request.POST.dict(), "name": user.get_full_name() or user.email.partition("@")[0]},
        pledge=pledge,
    )
    if not form.is_valid():
        return _detail(request, pledge, status=400)
    result = services.pledger_create(
        pledge=pledge, email=user.email, user=user, confirmed=True, ip=client_ip(request),
        **form.choices(),
    )  # fmt: skip
    return _confirmed(request, result.pledger, newly=result.created)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pledge_new(request):
    user = request.user
    if not _verified(user):
        return TemplateResponse(request, "pledges/verify_email.html", status=403)
    networks = selectors.networks_administered(user=user)
    form = PledgeProposalForm(request.POST or None, networks=networks)
    if request.method != "POST":
        return TemplateResponse(request, "pledges/pledge_new.html", {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, "pledges/pledge_new.html", {"form": form}, status=400)
    fields = {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in ("topics", "network")
    }
    try:
        pledge = services.pledge_propose(
            user=user,
            network=form.cleaned_data.get("network"),
            topics=form.cleaned_data["topics"],
            **fields,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return TemplateResponse(request, "pledges/pledge_new.html", {"form": form}, status=429)
    return TemplateResponse(request, "pledges/pledge_proposed.html", {"pledge": pledge})


@login_required
@require_http_methods(["GET", "HEAD"])
def pledges_yours(request):
    pledges = selectors.pledges_proposed_by(user=request.user)
    return TemplateResponse(request, "pledges/pledges_yours.html", {"pledges": pledges})


def _link_invalid(request):
    return TemplateResponse(request, "pledges/pledger_link_invalid.html", status=404)


def _confirmed(request, pledger, *, newly: bool):
    pledge = selectors.with_pledged_counts(Pledge.objects.filter(pk=pledger.pledge_id)).get()
    context = {"pledge": pledge, "pledger": pledger, "newly": newly, "count": pledge.pledged_count}
    return TemplateResponse(request, "pledges/pledger_confirmed.html", context)


class PledgerConfirmView(OptInConfirmView):
    template_name = "pledges/pledger_confirm.html"

    def record_read(self, token):
        return links.pledger_from_token(token=token, action="confirm")

    def form_make(self, pledger, data):
        if data is None:
            initial = {
                "name": pledger.name,
                "kind": pledger.kind,
                "show_name": pledger.show_name,
                "contactable": pledger.contactable,
            }
            return PledgerChoicesForm(initial=initial, pledge=pledger.pledge)
        return PledgerChoicesForm(data, pledge=pledger.pledge)

    def context(self, pledger):
        return {"pledger": pledger, "pledge": pledger.pledge}

    def confirm(self, pledger, form):
        return services.pledger_confirm(pledger=pledger, **form.choices())

    def confirmed(self, pledger, *, newly):
        return _confirmed(self.request, pledger, newly=newly)

    def link_invalid(self):
        return _link_invalid(self.request)


pledger_confirm = PledgerConfirmView.as_view()


@require_http_methods(["GET", "HEAD", "POST"])
def pledger_withdraw(request, token):
    pledger = links.pledger_from_token(token=token, action="withdraw")
    if pledger is None:
        return _link_invalid(request)
    context = {"pledger": pledger, "pledge": pledger.pledge}
    if request.method != "POST":
        return TemplateResponse(request, "pledges/pledger_withdraw.html", context)
    services.pledger_withdraw(pledger=pledger)
    return TemplateResponse(request, "pledges/pledger_withdrawn.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def pledger_contact(request, token):
    pledger = links.pledger_from_token(token=token, action="contact")
    if pledger is None or not services.may_write(pledger):
        return _link_invalid(request)
    form = PledgeMessageForm(request.POST or None)
    context = {"pledger": pledger, "pledge": pledger.pledge, "form": form}
    if request.method != "POST":
        return TemplateResponse(request, "pledges/pledger_contact.html", context)
    if not form.is_valid():
        return TemplateResponse(request, "pledges/pledger_contact.html", context, status=400)
    try:
        sent = services.pledge_message_send(pledger=pledger, text=form.cleaned_data["text"])
    except ValidationError as error:
        form.add_error(None, error)
        return TemplateResponse(request, "pledges/pledger_contact.html", context, status=429)
    return TemplateResponse(
        request, "pledges/pledger_contact_sent.html", {**context, "sent": sent or 0}
    )
