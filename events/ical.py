"""iCalendar (RFC 5545) for single events and feeds, and "add to calendar" links."""

import datetime as dt
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.models import Page

from .choices import LONDON
from .locations import Location

PRODID = "-//Free Association//Events//EN"
FEED_MAX_EVENTS = 500


def uid_for(event: Page) -> str:
    # Built from the primary key and the site's host only, so the UID never changes when the
    # event is renamed, moved or republished, and calendars update the entry in place.
    return f"event-{event.pk}@{urlsplit(settings.BASE_URL).hostname}"


def event_description(event: Page, location: Location) -> str:
    lines = [event.search_description] if event.search_description else []
    # Not ORGANIZER: calendar apps read that as a meeting invitation from an email address.
    if event.organising_network_id:
        lines.append(f"Organised by {event.organising_network.title}")
    if location.joining_link:
        lines.append(f"Join online: {location.joining_link}")
    lines.extend(location.notes)
    lines.append("Free" if event.is_free else f"Cost: {event.cost}")
    lines += access_lines(event)
    lines.append(f"Details: {event.absolute_url}")
    return "\n\n".join(lines)


def access_lines(event: Page) -> list[str]:
    """Access and safety in words. The access contact by name only: their address is on the
    event page, where the organiser can change it, not in copies we cannot take back."""
    lines = []
    if event.closed_group:
        lines.append(f"Closed group: for {event.get_closed_group_display().lower()} only")
    if event.features:
        lines.append("Access and safety: " + ", ".join(f.name for f in event.features))
    if event.content_notes:
        lines.append(f"Content notes: {event.content_notes}")
    if event.accessibility:
        lines.append(f"More about access: {event.accessibility}")
    if event.access_contact_name:
        lines.append(
            f"Questions about access: ask {event.access_contact_name} (see the event page)"
        )
    return lines


def categories(event: Page) -> list[str]:
    """The event's type, then its access and safety features, for calendars that filter on
    categories."""
    names = [event.get_event_type_display(), *(feature.name for feature in event.features)]
    if event.is_free:
        names.append("Free")
    return names


def vevent(event: Page, location: Location) -> Event:
    item = Event()
    item.add("uid", uid_for(event))
    item.add(
        "dtstamp", event.last_published_at or event.latest_revision_created_at or timezone.now()
    )
    item.add("dtstart", event.start.astimezone(LONDON))
    item.add("dtend", event.end.astimezone(LONDON))
    item.add("summary", f"Cancelled: {event.title}" if event.cancelled else event.title)
    item.add("description", event_description(event, location))
    item.add("categories", categories(event))
    item.add("url", event.absolute_url)
    if location.text:
        item.add("location", location.text)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    return item


def calendar_for(events, *, name: str, location_for=None) -> bytes:
    """A calendar of `events` as the public sees them, or as `location_for(event)` says one
    person may (a reply's own file): the same UIDs, so their calendar updates its entry in
    place."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    events = list(events)
    for event in events:
        location = location_for(event) if location_for else event.public_location
        calendar.add_component(vevent(event, location))
    if events:
        # Transitions for the feed's own years only: the full 1970-2038 table triples the size.
        margin = dt.timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=min(event.start for event in events).date() - margin,
            last_date=max(event.end for event in events).date() + margin,
        )
    return calendar.to_ical()


def ics_response(content: bytes, *, filename: str, download: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _utc(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event: Page, location: Location) -> str:
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc(event.start)}/{_utc(event.end)}",
        "details": event_description(event, location),
        "location": location.text,
        "ctz": "Europe/London",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event: Page, location: Location) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.start.astimezone(dt.UTC).isoformat(),
        "enddt": event.end.astimezone(dt.UTC).isoformat(),
        "body": event_description(event, location),
        "location": location.text,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
