from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from hub.ratelimit import client_ip
from networks.models import NetworkPage

from . import services
from .forms import PreferencesForm, SubscribeForm


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
    preferences_id = services.unsubscribe_preferences_id(token=token)
    if preferences_id is None:
        return TemplateResponse(request, "hub/digest/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.digest_unsubscribe(preferences_id=preferences_id)
        return TemplateResponse(request, "hub/digest/unsubscribed.html")
    return TemplateResponse(request, "hub/digest/unsubscribe.html")


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        return TemplateResponse(request, "hub/digest/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "hub/digest/subscribe.html", {"form": form}, status=400)
    if services.subscribe_rate_limited(ip=client_ip(request), email=form.cleaned_data["email"]):
        return TemplateResponse(request, "hub/digest/subscribe_rate_limited.html", status=429)
    if not form.is_spam:
        services.subscriber_subscribe(
            email=form.cleaned_data["email"],
            topics=form.cleaned_data["topics"],
            regions=form.cleaned_data["regions"],
        )
    # The same answer for a new, pending, confirmed or account's address, and for spam.
    return TemplateResponse(request, "hub/digest/subscribe_check_email.html")


@require_http_methods(["GET", "HEAD", "POST"])
def subscriber_confirm(request, token):
    subscription = services.subscriber_from_token(token=token)
    if subscription is None:
        return TemplateResponse(request, "hub/digest/subscribe_link_invalid.html", status=400)
    # Mail scanners fetch every link: GET only shows a button, the POST does the work.
    if request.method != "POST":
        return TemplateResponse(
            request, "hub/digest/subscribe_confirm.html", {"subscription": subscription}
        )
    preferences = services.subscriber_confirm(subscription=subscription)
    if preferences is None:
        return TemplateResponse(request, "hub/digest/subscribe_link_invalid.html", status=400)
    return TemplateResponse(
        request, "hub/digest/subscribe_confirmed.html", {"merged": preferences.user_id is not None}
    )
