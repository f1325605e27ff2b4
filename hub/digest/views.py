from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from networks.models import NetworkPage

from . import services
from .forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_get(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Your preferences are saved.")
            return redirect("hub:preferences")
    else:
        form = PreferencesForm(
            initial={
                "digest_frequency": current.digest_frequency,
                "networks": current.networks.all(),
                "topics": current.topics.all(),
                "regions": current.regions.all(),
            }
        )
    return TemplateResponse(request, "hub/digest/preferences.html", {"form": form})


@login_required
@require_POST
def network_follow(request, network_id):
    network = get_object_or_404(NetworkPage.objects.live(), pk=network_id)
    follow = request.POST.get("follow") == "1"
    services.network_follow(user=request.user, network=network, follow=follow)
    messages.success(
        request,
        f"You follow {network.title}." if follow else f"You no longer follow {network.title}.",
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = network.url or "/"
    return redirect(next_url)


# Mail clients post the one-click unsubscribe (RFC 8058) without a session or CSRF token: the
# signed token in the address is the authentication.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user_id = services.unsubscribe_user_id(token=token)
    if user_id is None:
        return TemplateResponse(request, "hub/digest/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.digest_unsubscribe(user_id=user_id)
        return TemplateResponse(request, "hub/digest/unsubscribed.html")
    return TemplateResponse(request, "hub/digest/unsubscribe.html")
