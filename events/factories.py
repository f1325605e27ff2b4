import datetime as dt

import factory
import wagtail_factories
from django.utils import timezone

from hub.addresses import email_canonical
from hub.factories import IndexPageFactory

from .models import (
    Booking,
    CoOrganiserInvitation,
    CoOrganiserStatus,
    EventFormat,
    EventIndexPage,
    EventPage,
    EventType,
    Rsvp,
    RsvpStatus,
)


class EventIndexPageFactory(IndexPageFactory):
    title = "Events"
    slug = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Event {n}")
    parent = factory.SubFactory(EventIndexPageFactory)
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + dt.timedelta(hours=2))
    event_type = EventType.MEETING
    format = EventFormat.IN_PERSON
    venue = "Friends Meeting House"
    town = "Manchester"
    booking = Booking.RSVP

    class Meta:
        model = EventPage


class RsvpFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventPageFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    email_normalised = factory.LazyAttribute(
        lambda rsvp: email_canonical(rsvp.email, gmail_dots=False)
    )
    token = factory.Sequence(lambda n: f"token-{n}")
    status = RsvpStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Rsvp


class CoOrganiserInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation the network has already accepted, unless told otherwise."""

    event = factory.SubFactory(EventPageFactory)
    status = CoOrganiserStatus.ACCEPTED

    class Meta:
        model = CoOrganiserInvitation
        django_get_or_create = ("event", "network")
