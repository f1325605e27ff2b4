"""The event fields an import fills, read from and written to an EventPage in the form the
import keeps them (JSON-ready), so that a page's value can be compared with the one imported."""

import datetime as dt

from events.models import EventPage

TIMES = ("start", "end")


def field_values(event: EventPage, names) -> dict:
    values = {}
    for name in names:
        if name in TIMES:
            values[name] = getattr(event, name).astimezone(dt.UTC).isoformat()
        elif name == "description":
            values[name] = [[item["type"], item["value"]] for item in event.description.raw_data]
        else:
            values[name] = getattr(event, name)
    return values


def field_apply(event: EventPage, values: dict) -> None:
    for name, value in values.items():
        if name in TIMES:
            setattr(event, name, dt.datetime.fromisoformat(value))
        elif name == "description":
            event.description = [(block_type, html) for block_type, html in value]
        else:
            setattr(event, name, value)
