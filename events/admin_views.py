"""Attendee lists for organisers in the Wagtail admin, checked per event."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from hub.exports import SpreadsheetSafeWriter

from .models import EventPage
from .selectors import event_attendees, events_organised_by, events_with_rsvp_counts


def _organised_event(request, pk: int):
    events = events_organised_by(user=request.user)
    event = get_object_or_404(EventPage, pk=pk)
    if not events.filter(pk=event.pk).exists():
        raise PermissionDenied
    return event


def attendee_events(request):
    events = events_with_rsvp_counts(events_organised_by(user=request.user))
    page = Paginator(events, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "events/admin/event_list.html",
        {"page_title": "Event attendees", "header_icon": "group", "events": page},
    )


def attendees(request, pk: int):
    event = _organised_event(request, pk)
    return TemplateResponse(
        request,
        "events/admin/attendees.html",
        {
            "page_title": f"Attendees: {event.title}",
            "header_icon": "group",
            "event": event,
            "attendees": event_attendees(event=event),
        },
    )


def attendees_csv(request, pk: int):
    event = _organised_event(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(["name", "email", "status", "replied", "place or queue since"])
    for rsvp in event_attendees(event=event):
        writer.writerow(
            [
                rsvp.name,
                rsvp.email,
                rsvp.get_status_display(),
                timezone.localtime(rsvp.created_at).isoformat(timespec="minutes"),
                timezone.localtime(rsvp.queued_at).isoformat(timespec="minutes")
                if rsvp.queued_at
                else "",
            ]
        )
    return response
