import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.addresses import email_canonical
from hub.ratelimit import client_ip, rate_limit_hit
from networks.models import NetworkPage
from networks.selectors import network_admin_membership

from . import attendees, ical, services
from .forms import AttendanceForm, CoOrganiserAnswerForm, RsvpForm
from .models import CoOrganiserInvitation, EventPage, Rsvp, RsvpStatus

# Calendar subscribers keep seeing last month's events rather than watching them vanish.
FEED_KEEPS_PAST = dt.timedelta(days=31)
RSVP_LIMITS = [(5, 60), (20, 60 * 60)]
RSVP_EMAIL_LIMIT = 3


@require_GET
def event_ics(request, pk: int):
    event = get_object_or_404(EventPage.objects.for_feeds(), pk=pk)
    content = ical.calendar_for([event], name=event.title)
    return ical.ics_response(content, filename=f"{event.slug}.ics", download=True)


@require_GET
def network_feed(request, slug: str):
    network = get_object_or_404(NetworkPage.objects.live().public(), slug=slug)
    events = (
        EventPage.objects.for_feeds()
        .for_network(network)
        .filter(end__gte=timezone.now() - FEED_KEEPS_PAST)
        .order_by("start", "pk")[: ical.FEED_MAX_EVENTS]
    )
    content = ical.calendar_for(events, name=f"{network.title}: events")
    return ical.ics_response(content, filename=f"{network.slug}-events.ics", download=False)


@require_GET
def rsvp_ics(request, token: str):
    """A reply's own calendar file, linked from its emails and the account page: the full
    address and joining link for a confirmed place, the public entry for any other reply."""
    answer = get_object_or_404(
        Rsvp.objects.select_related("event__organising_network", "event__region"),
        token=token,
        event__in=EventPage.objects.live().public(),
    )
    response = ical.ics_response(
        attendees.rsvp_calendar(answer), filename=f"{answer.event.slug}.ics", download=True
    )
    # The address in it is one person's to see: no shared cache keeps it, no search engine.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _rsvp_rate_limited(request) -> bool:
    ip = client_ip(request)
    hits = [
        rate_limit_hit(scope="event-rsvp", key=ip, limit=limit, period=period)
        for limit, period in RSVP_LIMITS
    ]
    return any(hits)


@require_POST
def rsvp(request, pk: int):
    event = get_object_or_404(EventPage.objects.live().public(), pk=pk)
    if not event.takes_rsvps:
        messages.error(request, "This event is not taking replies here.")
        return HttpResponseRedirect(event.url)
    places = event.places_now()
    if request.user.is_authenticated:
        form = AttendanceForm(request.POST, places=places)
        if not form.is_valid():
            return _rsvp_form_again(request, event, form)
        answer = services.rsvp_member(event=event, user=request.user, **form.cleaned_data)
        messages.success(request, _status_message(answer))
        return HttpResponseRedirect(event.url)
    if _rsvp_rate_limited(request):
        return TemplateResponse(
            request, "events/rsvp_rate_limited.html", {"event": event}, status=429
        )
    form = RsvpForm(request.POST, places=places)
    if not form.is_valid():
        return _rsvp_form_again(request, event, form)
    # Many addresses from one connection are caught above; this stops many connections
    # filling one person's inbox.
    if rate_limit_hit(
        scope="event-rsvp-email",
        key=email_canonical(form.cleaned_data["email"]),
        limit=RSVP_EMAIL_LIMIT,
        period=60 * 60,
    ):
        return TemplateResponse(
            request, "events/rsvp_rate_limited.html", {"event": event}, status=429
        )
    services.rsvp_request(event=event, **form.cleaned_data)
    messages.success(
        request,
        f"Nearly done: we have emailed {form.cleaned_data['email']} a link to confirm your "
        "reply. Nothing is held until you confirm.",
    )
    return HttpResponseRedirect(event.url)


def _rsvp_form_again(request, event, form):
    return TemplateResponse(
        request, "events/rsvp_form.html", {"event": event, "form": form}, status=400
    )


def _status_message(answer: Rsvp) -> str:
    if answer.status == RsvpStatus.CONFIRMED:
        return "You have a place. We have emailed you the details."
    if answer.status == RsvpStatus.WAITING:
        return (
            "The places are all taken, so you are on the waiting list. We will email you if "
            "a place comes up."
        )
    return "Your reply is saved."


def _rsvp_by_token(token: str) -> Rsvp:
    return get_object_or_404(Rsvp.objects.select_related("event"), token=token)


def _rsvp_act(request, token: str, *, when: tuple, service) -> tuple[Rsvp, bool]:
    """The reply behind an emailed link and whether this request acted on it: only a POST with
    the reply in one of the statuses `when` does, since mail scanners follow links."""
    answer = _rsvp_by_token(token)
    if request.method != "POST" or answer.status not in when:
        return answer, False
    return service(rsvp=answer), True


def _rsvp_page(request, name: str, answer: Rsvp, **context) -> TemplateResponse:
    return TemplateResponse(
        request, f"events/{name}.html", {"rsvp": answer, "event": answer.event, **context}
    )


@require_http_methods(["GET", "POST"])
def rsvp_confirm(request, token: str):
    """GET only shows a button: mail scanners follow links, and must not take places."""
    answer, acted = _rsvp_act(
        request, token, when=(RsvpStatus.PENDING,), service=services.rsvp_confirm
    )
    return _rsvp_page(
        request, "rsvp_confirm", answer, done=acted and answer.status != RsvpStatus.PENDING
    )


@require_http_methods(["GET", "POST"])
def rsvp_cancel(request, token: str):
    not_cancelled = tuple(status for status in RsvpStatus if status != RsvpStatus.CANCELLED)
    answer, acted = _rsvp_act(request, token, when=not_cancelled, service=services.rsvp_cancel)
    return _rsvp_page(request, "rsvp_cancel", answer, done=acted)


@require_http_methods(["GET", "POST"])
def rsvp_take(request, token: str):
    """A held place, from the emailed link: GET only shows the button, as for confirming."""
    answer, acted = _rsvp_act(
        request, token, when=(RsvpStatus.OFFERED,), service=services.rsvp_offer_take
    )
    # Past the deadline an offer is gone, whether or not the beat task has lapsed it yet.
    expired = answer.status == RsvpStatus.OFFERED and answer.offer_expires_at <= timezone.now()
    return _rsvp_page(
        request,
        "rsvp_take",
        answer,
        done=acted and answer.status == RsvpStatus.CONFIRMED,
        passed_on=answer.offer_lapsed or expired,
    )


@login_required
@require_http_methods(["GET", "POST"])
def co_organiser_invitation(request, pk: int):
    """Where the invited network's admins accept or decline, from the emailed link."""
    invitation = get_object_or_404(
        CoOrganiserInvitation.objects.select_related(
            "event", "network", "event__organising_network"
        ),
        pk=pk,
    )
    if network_admin_membership(network=invitation.network, user=request.user) is None:
        return TemplateResponse(
            request, "events/co_organiser_invitation.html", {"refused": True}, status=403
        )
    form = CoOrganiserAnswerForm(request.POST if request.method == "POST" else None)
    context = {"invitation": invitation, "event": invitation.event, "form": form}
    if request.method == "GET":
        return TemplateResponse(request, "events/co_organiser_invitation.html", context)
    if not form.is_valid():
        return TemplateResponse(request, "events/co_organiser_invitation.html", context, status=400)
    accept = form.cleaned_data["answer"] == "accept"
    services.co_organiser_answer(invitation=invitation, user=request.user, accept=accept)
    network = invitation.network.title
    messages.success(
        request,
        f"{network} now co-organises this event."
        if accept
        else f"Declined: {network} is not shown as a co-organiser.",
    )
    return HttpResponseRedirect(reverse("events:co_organiser_invitation", args=[pk]))
