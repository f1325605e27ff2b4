from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import services as campaign_services
from campaigns.models import DemandPage
from events import services as event_services
from events.models import RsvpStatus
from hub.models import Topic
from hub.ratelimit import client_ip
from networks.models import NetworkPage

from . import services
from .forms import DigestFrequencyForm, PreferencesForm, SubscribeForm
from .home import member_home, member_rsvps, member_signatures
from .models import DigestFrequency


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_get(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Your preferences are saved.")
            return redirect("digests:preferences")
    else:
        form = PreferencesForm(
            initial={
                "digest_frequency": current.digest_frequency,
                "networks": current.networks.all(),
                "topics": current.topics.all(),
                "regions": current.regions.all(),
            }
        )
    return TemplateResponse(request, "digests/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    sections = member_home(user=request.user)
    form = DigestFrequencyForm(initial={"digest_frequency": sections["digest_frequency"]})
    return TemplateResponse(request, "digests/home.html", {**sections, "digest_form": form})


@login_required
@require_POST
def home_digest(request):
    form = DigestFrequencyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often you want the digest.")
        return redirect("home:index")
    frequency = form.cleaned_data["digest_frequency"]
    services.preferences_update(user=request.user, digest_frequency=frequency)
    if frequency == DigestFrequency.OFF:
        messages.success(request, "Your digest is off. We will not email you news.")
    else:
        label = DigestFrequency(frequency).label.lower()
        messages.success(request, f"Your digest is on: you will get it {label}.")
    return redirect("home:index")


@login_required
@require_POST
def home_rsvp_cancel(request, rsvp_id):
    # Only the member's own answers: another id is not found, whoever's it is.
    rsvp = get_object_or_404(member_rsvps(user=request.user).select_related("event"), pk=rsvp_id)
    status = rsvp.status
    event_services.rsvp_cancel(rsvp=rsvp)
    if status == RsvpStatus.WAITING:
        messages.success(request, f"You have left the waiting list for {rsvp.event.title}.")
    elif status == RsvpStatus.OFFERED:
        messages.success(
            request, f"You let go of the place at {rsvp.event.title}: it goes to the next person."
        )
    else:
        messages.success(request, f"Your place at {rsvp.event.title} is cancelled.")
    return redirect("home:index")


@login_required
@require_POST
def home_rsvp_take(request, rsvp_id):
    """A place held for the member, taken from their home as from the emailed link."""
    rsvp = get_object_or_404(member_rsvps(user=request.user).select_related("event"), pk=rsvp_id)
    rsvp = event_services.rsvp_offer_take(rsvp=rsvp)
    if rsvp.status == RsvpStatus.CONFIRMED:
        messages.success(request, f"You have a place at {rsvp.event.title}.")
    elif rsvp.offer_lapsed:
        messages.error(request, f"The place held for you at {rsvp.event.title} has passed on.")
    else:
        messages.error(request, f"There is no place held for you at {rsvp.event.title}.")
    return redirect("home:index")


@login_required
@require_POST
def home_signature_withdraw(request, signature_id):
    signature = get_object_or_404(
        member_signatures(user=request.user).select_related("demand"), pk=signature_id
    )
    campaign_services.signature_withdraw(signature=signature)
    messages.success(request, f"Your signature on “{signature.demand.title}” is withdrawn.")
    return redirect("home:index")


def _follow(request, *, follow_service, name: str, fallback_url: str, **item):
    """Follow or unfollow `item` as the POST says, then go back where the button was."""
    follow = request.POST.get("follow") == "1"
    follow_service(user=request.user, follow=follow, **item)
    messages.success(request, f"You follow {name}." if follow else f"You no longer follow {name}.")
    next_url = request.POST.get("next", "")
    # An absolute path on this site only: a relative one would resolve against this URL.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        next_url = fallback_url
    return HttpResponseRedirect(next_url)


@login_required
@require_POST
def network_follow(request, network_id):
    network = get_object_or_404(NetworkPage.objects.live(), pk=network_id)
    return _follow(
        request,
        follow_service=services.network_follow,
        network=network,
        name=network.title,
        fallback_url=network.url or "/",
    )


@login_required
@require_POST
def topic_follow(request, topic_id):
    topic = get_object_or_404(Topic, pk=topic_id)
    return _follow(
        request,
        follow_service=services.topic_follow,
        topic=topic,
        name=topic.name,
        fallback_url=topic.get_absolute_url(),
    )


@login_required
@require_POST
def demand_follow(request, demand_id):
    demand = get_object_or_404(DemandPage.objects.live().public(), pk=demand_id)
    return _follow(
        request,
        follow_service=services.demand_follow,
        demand=demand,
        name=f"“{demand.title}”",
        fallback_url=demand.url or "/",
    )


# Mail clients post the one-click unsubscribe (RFC 8058) without a session or CSRF token: the
# signed token in the address is the authentication.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    preferences_id = services.unsubscribe_preferences_id(token=token)
    if preferences_id is None:
        return TemplateResponse(request, "digests/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.digest_unsubscribe(preferences_id=preferences_id)
        return TemplateResponse(request, "digests/unsubscribed.html")
    return TemplateResponse(request, "digests/unsubscribe.html")


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        return TemplateResponse(request, "digests/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "digests/subscribe.html", {"form": form}, status=400)
    if services.subscribe_rate_limited(ip=client_ip(request), email=form.cleaned_data["email"]):
        return TemplateResponse(request, "digests/subscribe_rate_limited.html", status=429)
    if not form.is_spam:
        services.subscriber_subscribe(
            email=form.cleaned_data["email"],
            topics=form.cleaned_data["topics"],
            regions=form.cleaned_data["regions"],
        )
    # The same answer for a new, pending, confirmed or account's address, and for spam.
    return TemplateResponse(request, "digests/subscribe_check_email.html")


@require_http_methods(["GET", "HEAD", "POST"])
def subscriber_confirm(request, token):
    subscription = services.subscriber_from_token(token=token)
    if subscription is None:
        return TemplateResponse(request, "digests/subscribe_link_invalid.html", status=400)
    # Mail scanners fetch every link: GET only shows a button, the POST does the work.
    if request.method != "POST":
        return TemplateResponse(
            request, "digests/subscribe_confirm.html", {"subscription": subscription}
        )
    preferences = services.subscriber_confirm(subscription=subscription)
    if preferences is None:
        return TemplateResponse(request, "digests/subscribe_link_invalid.html", status=400)
    return TemplateResponse(
        request, "digests/subscribe_confirmed.html", {"merged": preferences.user_id is not None}
    )
