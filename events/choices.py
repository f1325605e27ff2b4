"""What an event can be, and the clock its times are read on. Below the event pages: forms and
the iCalendar module import this, and the page module imports them."""

from zoneinfo import ZoneInfo

from django.db import models

LONDON = ZoneInfo("Europe/London")


class EventType(models.TextChoices):
    WORKERS_CAFE = "workers-cafe", "Workers' cafe"
    MEETING = "meeting", "Meeting"
    DEBATE = "debate", "Debate"
    CONFERENCE = "conference", "Conference"
    TRAINING = "training", "Training"
    RETREAT = "retreat", "Retreat"
    PROTEST = "protest", "Protest"
    SOCIAL = "social", "Social"
    OTHER = "other", "Other"


class EventFormat(models.TextChoices):
    IN_PERSON = "in-person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


class Booking(models.TextChoices):
    RSVP = "rsvp", "Built-in RSVP on this site"
    EXTERNAL = "external", "External booking link"
    NONE = "none", "No booking: just turn up"


class Attendance(models.TextChoices):
    """How one person comes to an event: each way has its own places and waiting list."""

    IN_PERSON = "in-person", "In person"
    ONLINE = "online", "Online"


class ClosedGroup(models.TextChoices):
    """Who a closed group is for; an event with none is open to everyone."""

    WORKERS = "workers", "Workers"
    SERVICE_USERS = "service-users", "People who use services"
    CARERS = "carers", "Carers"


class AccessFeatureKind(models.TextChoices):
    ACCESS = "access", "Access"
    SAFETY = "safety", "Safety"
