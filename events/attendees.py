"""What a person holding a place gets that the public does not: the calendar file with the full
address and joining link, attached to their emails and served at their reply's own link."""

from . import ical
from .models import Rsvp, RsvpStatus


def rsvp_calendar(rsvp: Rsvp) -> bytes:
    """The event as this person may see it (`Rsvp.location`): in full once confirmed, as the
    public sees it before (pending, waiting or offered) and after (cancelled)."""
    return ical.calendar_for(
        [rsvp.event], name=rsvp.event.title, location_for=lambda _event: rsvp.location
    )


def rsvp_attachments(rsvp: Rsvp) -> list[dict]:
    """Files for an email to `rsvp`'s person: their calendar entry, once they hold a place."""
    if rsvp.status != RsvpStatus.CONFIRMED:
        return []
    return [
        {
            "filename": f"{rsvp.event.slug}.ics",
            "content": rsvp_calendar(rsvp).decode(),
            "mimetype": "text/calendar",
        }
    ]
