import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from wagtail.models import Page

from events.factories import CoOrganiserInvitationFactory, EventIndexPageFactory, EventPageFactory
from events.models import LONDON, EventFormat, EventPage
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory

ONLINE = "https://meet.example.org/room"


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def call(django_capture_on_commit_callbacks):
    """Call a service as a request would: its emails are queued when it commits."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def event_index(db):
    return EventIndexPageFactory()


@pytest.fixture
def make_network(db):
    """Networks under /networks/ (the networks factory alone would make a second tree root)."""
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())

    def make(**fields):
        return NetworkPageFactory(parent=index, **fields)

    return make


@pytest.fixture
def make_event(event_index):
    def make(**fields):
        fields.setdefault("parent", event_index)
        if fields.get("format", EventFormat.IN_PERSON) != EventFormat.IN_PERSON:
            fields.setdefault("online_url", ONLINE)
        topics = fields.pop("topics", [])
        co_organisers = fields.pop("co_organisers", [])
        event = EventPageFactory(**fields)
        if topics or co_organisers:
            event.topics.set(topics)
            event.co_organisers.set(co_organisers)
            event.save()
        for network in co_organisers:
            CoOrganiserInvitationFactory(event=event, network=network)
        return event

    return make


def bulk_create_events(parent: Page, count: int, *, start: dt.datetime) -> None:
    """Add `count` live events below `parent` in a handful of queries.

    Wagtail's add_child takes a dozen queries and signal handlers per page; here the tree paths
    are computed directly, the page rows bulk-inserted and the event rows inserted in one go.
    """
    parent.refresh_from_db()
    depth = parent.depth + 1
    content_type = ContentType.objects.get_for_model(EventPage)
    pages = []
    for number in range(count):
        slug = f"bulk-{parent.numchild + number + 1}"
        pages.append(
            Page(
                title=f"Bulk event {number}",
                draft_title=f"Bulk event {number}",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(parent.path, depth, parent.numchild + number + 1),
                depth=depth,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                live=True,
                locale_id=parent.locale_id,
            )
        )
    Page.objects.bulk_create(pages)
    events = [
        EventPage(
            page_ptr_id=page.pk,
            start=start + dt.timedelta(hours=number),
            end=start + dt.timedelta(hours=number + 1),
            venue="Bulk venue",
        )
        for number, page in enumerate(pages)
    ]
    QuerySet(model=EventPage)._insert(events, fields=EventPage._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
