from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.ratelimit import rate_limit_hit

from . import selectors, services
from .forms import InvitationForm, NetworkApplicationForm, PositionFilterForm, RoleForm
from .models import Membership, NetworkPage

POSITIONS_PAGE_SIZE = 20
APPLICATIONS_PER_HOUR = 5
INVITATIONS_PER_HOUR = 30


def _network(slug: str) -> NetworkPage:
    return get_object_or_404(NetworkPage.objects.live().public(), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    context = {
        "applications": request.user.network_applications.select_related("network"),
        "verified": EmailAddress.objects.filter(user=request.user, verified=True).exists(),
    }
    if not context["verified"]:
        return TemplateResponse(request, "networks/apply.html", context, status=403)
    # Bound on every POST, even an empty one, so that it reports what is missing.
    form = NetworkApplicationForm(request.POST if request.method == "POST" else None)
    context["form"] = form
    if request.method == "GET":
        return TemplateResponse(request, "networks/apply.html", context)
    if rate_limit_hit(
        scope="network-apply", key=str(request.user.pk), limit=APPLICATIONS_PER_HOUR, period=3600
    ):
        context["form"] = None
        context["rate_limited"] = True
        return TemplateResponse(request, "networks/apply.html", context, status=429)
    if form.is_valid():
        try:
            services.network_application_create(applicant=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(
                request,
                "Thank you: your application is with the hub's moderators. We will email you "
                "when they have decided.",
            )
            return redirect("networks:apply")
    return TemplateResponse(request, "networks/apply.html", context, status=400)


@require_GET
def position_index(request):
    filters = PositionFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    positions = selectors.position_list(network=cleaned.get("network"), topic=cleaned.get("topic"))
    page_obj = Paginator(positions, POSITIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.positions_with_networks(page_obj.object_list)
    network = cleaned.get("network")
    feed_url = (
        reverse("networks:network_feed", kwargs={"network": network.slug})
        if network
        else reverse("networks:feed")
    )
    return TemplateResponse(
        request,
        "networks/position_index.html",
        {"filters": filters, "positions": page_obj, "network": network, "feed_url": feed_url},
        status=400 if filters.errors else 200,
    )


def _members_page(request, network, *, invite_form=None, error=None, status=200):
    memberships = network.memberships.select_related("user").order_by("role", "user__email")
    context = {
        "network": network,
        "memberships": [
            (m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships
        ],
        "invitations": network.invitations.filter(accepted_at__isnull=True),
        "invite_form": invite_form or InvitationForm(),
        "error": error,
    }
    return TemplateResponse(request, "networks/members.html", context, status=status)


def network_admin_required(view):
    """Lets through only admins of the network named in the URL, handing the view the network."""

    @wraps(view)
    @login_required
    def wrapped(request, network, **kwargs):
        network = _network(network)
        if selectors.network_admin_membership(network=network, user=request.user) is None:
            return TemplateResponse(
                request, "networks/not_admin.html", {"network": network}, status=403
            )
        return view(request, network, **kwargs)

    return wrapped


@require_GET
@network_admin_required
def members(request, network):
    return _members_page(request, network)


@require_POST
@network_admin_required
def invite(request, network):
    form = InvitationForm(request.POST)
    if form.is_valid() and rate_limit_hit(
        scope="network-invite", key=str(request.user.pk), limit=INVITATIONS_PER_HOUR, period=3600
    ):
        return _members_page(
            request, network, error="Too many invitations this hour. Try later.", status=429
        )
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                network=network, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("networks:members", network=network.slug)
    return _members_page(request, network, invite_form=form, status=400)


@require_POST
@network_admin_required
def member_role(request, network, pk):
    membership = get_object_or_404(Membership, network=network, pk=pk)
    form = RoleForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        return _members_page(request, network, error="Choose admin or editor.", status=400)
    try:
        services.membership_role_change(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        return _members_page(request, network, error="; ".join(error.messages), status=400)
    messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    return redirect("networks:members", network=network.slug)


@require_POST
@network_admin_required
def member_remove(request, network, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), network=network, pk=pk
    )
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        return _members_page(request, network, error="; ".join(error.messages), status=400)
    if membership.user_id == request.user.pk:
        messages.success(request, f"You have left {network.title}.")
        return HttpResponseRedirect(network.get_url(request))
    messages.success(request, f"{membership.user} is no longer a member.")
    return redirect("networks:members", network=network.slug)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, network):
    network = _network(network)
    membership = get_object_or_404(Membership, network=network, user=request.user)
    context = {"network": network, "membership": membership}
    if request.method == "GET":
        return TemplateResponse(request, "networks/leave.html", context)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        context["error"] = "; ".join(error.messages)
        return TemplateResponse(request, "networks/leave.html", context, status=400)
    messages.success(request, f"You have left {network.title}.")
    return HttpResponseRedirect(network.get_url(request))


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    context = {"token": token}
    try:
        if request.method == "GET":
            context["invitation"] = services.invitation_from_token(token)
            return TemplateResponse(request, "networks/invitation.html", context)
        membership = services.invitation_accept(token=token, user=request.user)
    except services.InvitationError as error:
        context["error"] = "; ".join(error.messages)
        status = 403 if error.code == "wrong_account" else 400
        return TemplateResponse(request, "networks/invitation.html", context, status=status)
    network = membership.network
    messages.success(
        request,
        f"Welcome to {network.title}. You can now edit its pages in the admin.",
    )
    return HttpResponseRedirect(network.get_url(request))
