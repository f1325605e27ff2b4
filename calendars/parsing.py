"""Reading an iCalendar file into the occurrences to import: recurring events expanded for the
coming months (RRULE, RDATE, EXDATE and moved occurrences, by recurring-ical-events), times
in their own zones (floating times, with no zone, are taken as UK time), all-day events from
midnight UK time, and each occurrence's values as the hub's event fields hold them."""

import datetime as dt
from dataclasses import dataclass

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils.html import linebreaks
from django.utils.text import Truncator

from events.choices import LONDON, Booking, EventFormat

TITLE_MAX = 255
VENUE_MAX = 200
URL_MAX = 200
SEARCH_DESCRIPTION_MAX = 300
UNTITLED = "Untitled event"


class FeedError(Exception):
    """The file is not an iCalendar we can read; the message says why, for the feed's editors."""


@dataclass(frozen=True)
class Occurrence:
    uid: str
    # The RECURRENCE-ID of an occurrence of a recurring event, in UTC; empty for a single one.
    occurrence: str
    # The event's fields as imported, JSON-ready (calendars.fields reads and writes them).
    values: dict

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.values["start"])


def _aware(value) -> dt.datetime:
    """A DATE as midnight UK time; a floating time as UK time; any other time as it is."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time.min, tzinfo=LONDON)
    return value if value.tzinfo else value.replace(tzinfo=LONDON)


def utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def occurrence_key(value) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    return _aware(value).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(component, name: str) -> str:
    value = component.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _web_url(text: str) -> str:
    text = text.strip()
    ok = text.lower().startswith(("https://", "http://")) and " " not in text
    return text if ok and len(text) <= URL_MAX else ""


def occurrence_values(component) -> dict:
    """The hub's event fields for one expanded VEVENT."""
    start_value = component.decoded("DTSTART")
    end_value = component.decoded("DTEND") if component.get("DTEND") else start_value
    start, end = _aware(start_value), _aware(end_value)
    if end <= start:
        # An event with no end (or an end before its start) is given an hour, or the day.
        all_day = not isinstance(start_value, dt.datetime)
        end = start + (dt.timedelta(days=1) if all_day else dt.timedelta(hours=1))
    description = str(component.get("DESCRIPTION") or "").strip()
    location = " ".join(str(component.get("LOCATION") or "").split())
    online_url = _web_url(location)
    link = _web_url(_text(component, "URL"))
    return {
        "title": Truncator(_text(component, "SUMMARY") or UNTITLED).chars(TITLE_MAX),
        "search_description": Truncator(" ".join(description.split())).chars(
            SEARCH_DESCRIPTION_MAX
        ),
        "description": [["paragraph", linebreaks(description)]] if description else [],
        "format": EventFormat.ONLINE.value if online_url else EventFormat.IN_PERSON.value,
        "online_url": online_url,
        "venue": "" if online_url else Truncator(location).chars(VENUE_MAX),
        "booking": Booking.EXTERNAL.value if link else Booking.NONE.value,
        "booking_url": link,
        "start": utc_text(start),
        "end": utc_text(end),
        "cancelled": _text(component, "STATUS").upper() == "CANCELLED",
    }


def calendar_read(content: bytes) -> icalendar.Calendar:
    head = content.lstrip()[:200].lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"{")):
        raise FeedError("This address gives a web page or other file, not an iCalendar (.ics).")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError("The calendar is not in UTF-8 text.") from error
    if "END:VCALENDAR" not in text.upper():
        raise FeedError("The calendar file is cut short: it has no END:VCALENDAR.")
    try:
        return icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise FeedError(f"The calendar could not be read: {error}"[:500]) from error


def occurrences(content: bytes, *, now: dt.datetime) -> list[Occurrence]:
    """Every event in the file from `now` to the import horizon, recurring ones expanded."""
    calendar = calendar_read(content)
    horizon = now + dt.timedelta(days=settings.CALENDAR_IMPORT_HORIZON_DAYS)
    recurring = {
        str(event.get("UID"))
        for event in calendar.walk("VEVENT")
        if any(event.get(name) is not None for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    found, without_uid = [], 0
    try:
        for component in recurring_ical_events.of(calendar).between(now, horizon):
            uid = _text(component, "UID")[:500]
            if not uid:
                without_uid += 1
                continue
            recurrence = component.get("RECURRENCE-ID")
            key = occurrence_key(recurrence.dt) if uid in recurring and recurrence else ""
            found.append(Occurrence(uid=uid, occurrence=key, values=occurrence_values(component)))
    except FeedError:
        raise
    except Exception as error:  # noqa: BLE001 -- any fault in the file is the feed's, reported
        raise FeedError(f"The calendar could not be read: {error}"[:500]) from error
    if without_uid and not found:
        raise FeedError("The calendar's events have no UID, so they cannot be kept up to date.")
    if len(found) > settings.CALENDAR_IMPORT_MAX_EVENTS:
        raise FeedError(
            f"The calendar has more than {settings.CALENDAR_IMPORT_MAX_EVENTS} events in the "
            "coming months: it is not imported."
        )
    return found
