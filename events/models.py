import datetime as dt
from itertools import groupby
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from hub.blocks import BaseStreamBlock
from hub.cache import cached
from hub.forms import TopLevelPageForm
from hub.pagecache import AnonymousCachedPageMixin, allow, filter_query
from hub.search import SearchSummary, snippet
from hub.subpages import RouteSafeSlugMixin
from networks.models import NetworkPage

from . import ical, locations
from .access import AccessFeature
from .choices import (
    LONDON,
    Attendance,
    Booking,
    ClosedGroup,
    EventFormat,
    EventType,
)
from .forms import MULTIPLE_FILTERS, AttendanceForm, EventFilterForm, RsvpForm
from .panels import CoOrganiserAnswersPanel
from .places import Places
from .widgets import CheckboxesByKind

FINDER_PAGE_SIZE = 20
# How many access and safety items an event card names before "and N more": enough for the
# usual few, short enough to keep a card on a phone a card.
CARD_ACCESS_ITEMS = 4
# Feeds show published pages only, so they are cached for the content version (hub.cache); this
# bounds how long an event that has just started or ended stays listed as it was.
FEED_CACHE_SECONDS = 120


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now: dt.datetime | None = None):
        """Events that have not finished yet, soonest first; ongoing events still count."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: dt.datetime | None = None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def starting_between(self, first_day: dt.date | None, last_day: dt.date | None):
        """Events starting on London calendar days `first_day`..`last_day`, both included."""
        qs = self
        if first_day:
            qs = qs.filter(start__gte=london_midnight(first_day))
        if last_day:
            qs = qs.filter(start__lt=london_midnight(last_day + dt.timedelta(days=1)))
        return qs

    def for_network(self, network):
        """The network's own events and those it agreed to co-organise."""
        co_organised = CoOrganiserInvitation.objects.accepted().filter(network=network)
        return self.filter(
            Q(organising_network=network) | Q(pk__in=co_organised.values("event_id"))
        )

    def with_topic(self, topic):
        tagged = EventPage.topics.through.objects.filter(topic=topic)
        return self.filter(pk__in=tagged.values("eventpage_id"))

    def matching_text(self, text: str):
        query = Q()
        for word in text.split():
            query &= (
                Q(title__icontains=word)
                | Q(search_description__icontains=word)
                # A private venue or postcode must not find its event: that would tell it.
                | Q(venue__icontains=word, address_private=False)
                | Q(town__icontains=word)
                | Q(postcode__istartswith=word, address_private=False)
                | Q(region__name__icontains=word)
                | Q(organising_network__title__icontains=word)
            )
        return self.filter(query)

    def going_ahead(self):
        """Not cancelled: what a listing offers as something to go to. Cancelled events keep
        their page and stay in calendar feeds, marked, so that subscribers' calendars update."""
        return self.filter(cancelled=False)

    def free(self):
        # The same test as `EventPage.is_free`: an empty cost is the one source of truth.
        return self.filter(cost="")

    def with_access_features(self, features):
        """Events offering every one of `features`."""
        tagged = EventPage.access_features.through.objects
        events = self
        for feature in features:
            events = events.filter(
                pk__in=tagged.filter(accessfeature=feature).values("eventpage_id")
            )
        return events

    def for_feeds(self):
        return (
            self.live()
            .public()
            .select_related("organising_network", "region")
            .prefetch_related("access_features")
        )

    def for_listing(self):
        """Everything a listing shows, in a fixed number of queries however many events."""
        return (
            self.live()
            .public()
            .select_related("region", "organising_network")
            .prefetch_related("topics", "access_features")
            .annotate(
                in_person_taken=places_taken(Attendance.IN_PERSON),
                online_taken=places_taken(Attendance.ONLINE),
            )
        )


def places_taken(attendance: str):
    """Places of one attendance taken or held, as a subquery: listings count in one query."""
    taken = (
        Rsvp.objects.filter(event=OuterRef("pk"), status__in=HOLDS_PLACE, attendance=attendance)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(taken), 0)


def page_absolute_url(page: Page) -> str:
    # BASE_URL, not the Site record: links in emails and feeds must match the public address.
    url = page.get_url() or ""
    return url if url.startswith("http") else settings.BASE_URL + url


def london_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def page_number(value: str | None) -> int:
    """Anything but a positive whole number means the first page; past the end, the last."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if number >= 1 else 1


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventIndexPage(RoutablePageMixin, AnonymousCachedPageMixin, Page):
    """The event finder at /events/; hub-wide events live directly below it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    page_description = "The event finder. There is only one; hub-wide events go below it."
    base_form_class = TopLevelPageForm

    class Meta:
        verbose_name = "event finder"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = EventFilterForm(request.GET)
        events = form.filter_events(self.get_events())
        page = Paginator(events, FINDER_PAGE_SIZE).get_page(page_number(request.GET.get("page")))
        # The feed gets only the filters that were used, never the ones we ignored.
        feed_query = urlencode(
            [(name, value) for name in form.filters for value in request.GET.getlist(name)]
        )
        feed_url = self.url + self.reverse_subpage("finder_feed")
        context.update(
            {
                "filter_form": form,
                "filters": form.filters,
                "ignored": form.ignored(),
                "archive": form.filters.get("when") == "past",
                "events": page,
                "days": [
                    (day, list(items))
                    for day, items in groupby(
                        page.object_list, key=lambda event: event.start_local.date()
                    )
                ],
                "feed_url": feed_url + (f"?{feed_query}" if feed_query else ""),
            }
        )
        return context

    def page_cache_query(self, request, context):
        # Free-text searches are rarely repeated and could fill the cache one entry each.
        names = [name for name in context["filters"] if name != "q"]
        return filter_query(request, names, multiple=MULTIPLE_FILTERS, page=context["events"])

    def get_events(self):
        """Every published event on the hub that is going ahead, wherever it sits in the tree."""
        return EventPage.objects.for_listing().going_ahead()

    @path("")
    def index(self, request):
        # Wagtail's own serve, through the anonymous page cache; the feed keeps a cache of its own.
        return super().serve(request)

    # Wagtail routes every sub-path with a trailing slash; calendars are subscribed to the feed
    # without one (config/urls.py hands *.ics paths to Wagtail), so reversing leaves it out.
    @re_path(r"^calendar\.ics/?$", name="finder_feed")
    @method_decorator(require_GET)
    def finder_feed(self, request):
        form = EventFilterForm(request.GET)

        def build():
            events = form.filter_events(EventPage.objects.for_feeds())[: ical.FEED_MAX_EVENTS]
            return ical.calendar_for(events, name="Free Association events")

        filters = form.filters
        if "q" in filters:
            # Free-text searches are rarely repeated and could fill the cache one entry each.
            content = build()
        else:
            # Keyed by what the filters validated to, never by what else the URL holds: an
            # unknown parameter or a refused value shares the entry of the feed it is served.
            query = urlencode(form.cache_pairs())
            content = cached(f"finder-feed:{query}", build, timeout=FEED_CACHE_SECONDS)
        response = ical.ics_response(
            content, filename="free-association-events.ics", download=False
        )
        # Into the anonymous page cache too, which answers before Wagtail walks the tree to
        # this route: the walk (site, three pages, view restrictions) cost more than the feed.
        names = [name for name in filters if name != "q"]
        return allow(response, query=filter_query(request, names, multiple=MULTIPLE_FILTERS))


class EventPage(RouteSafeSlugMixin, Page):
    """One event, organised by the network it sits under or, for hub-wide events, a chosen one."""

    start = models.DateTimeField(help_text="UK time.")
    end = models.DateTimeField(help_text="UK time.")
    event_type = models.CharField(
        "type", max_length=20, choices=EventType.choices, default=EventType.MEETING
    )
    format = models.CharField(
        max_length=10, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    venue = models.CharField(
        max_length=200, blank=True, help_text="Public, unless the address is private (below)."
    )
    address = models.TextField(
        blank=True, max_length=500, help_text="Public, unless the address is private (below)."
    )
    address_private = models.BooleanField(
        "only people with a place see the venue and address",
        default=False,
        help_text="For a meeting whose place must not be public, such as a small peer group's. "
        "The venue, street address and postcode then go only to people with a confirmed "
        "place: in their confirmation email, its calendar file and their account page. The "
        "public page, calendar feeds, search and the API show the town and region only.",
    )
    town = models.CharField(max_length=100, blank=True, help_text="Always public.")
    postcode = models.CharField(
        max_length=10, blank=True, help_text="Public, unless the address is private (below)."
    )
    region = models.ForeignKey(
        "hub.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="The nation or region the event takes place in; leave empty if online only.",
    )
    online_url = models.URLField(
        "online joining link", blank=True, help_text="Emailed to confirmed attendees."
    )
    online_url_public = models.BooleanField(
        "show the joining link on the public page",
        default=False,
        help_text="Leave unticked to keep the link private, as a private address is: it then "
        "goes only to people with a confirmed place, in their confirmation email, its calendar "
        "file and their account page.",
    )
    organising_network = models.ForeignKey(
        "networks.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        help_text="For events under a network this is always that network.",
    )
    # The networks the editor invites; only those whose admins accept (CoOrganiserInvitation)
    # are shown as co-organisers anywhere.
    co_organisers = ParentalManyToManyField(
        "networks.NetworkPage",
        blank=True,
        related_name="+",
        verbose_name="invite networks to co-organise",
        help_text="Their admins are emailed when you publish; a network is shown as a "
        "co-organiser once it accepts.",
    )
    description = StreamField(BaseStreamBlock(), blank=True)
    access_features = ParentalManyToManyField(
        AccessFeature, blank=True, related_name="events", verbose_name="access and safety"
    )
    closed_group = models.CharField(
        "who it is for",
        max_length=20,
        blank=True,
        choices=[("", "Open to everyone"), *ClosedGroup.choices],
        help_text="Choose a group if the event is closed to everyone else.",
    )
    content_notes = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Subjects that will come up, so that people can decide whether to come.",
    )
    access_contact_name = models.CharField(
        "access contact", max_length=120, blank=True, help_text="Who to ask about access."
    )
    access_contact_email = models.EmailField("access contact's email", blank=True)
    accessibility = models.TextField(
        "anything else about access",
        blank=True,
        max_length=2000,
        help_text="Anything the list above does not cover.",
    )
    cost = models.CharField(max_length=100, blank=True, help_text="Leave empty if free.")
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="events")
    booking = models.CharField(max_length=10, choices=Booking.choices, default=Booking.RSVP)
    booking_url = models.URLField("external booking link", blank=True)
    in_person_capacity = models.PositiveIntegerField(
        "in-person places",
        null=True,
        blank=True,
        help_text="Places in the room through RSVP; later replies join a waiting list. "
        "Leave empty for no limit.",
    )
    online_capacity = models.PositiveIntegerField(
        "online places",
        null=True,
        blank=True,
        help_text="Places online, with a waiting list of their own. Leave empty for no limit.",
    )
    cancelled = models.BooleanField(
        default=False, help_text="Keeps the page up, marked cancelled, and in calendar feeds."
    )

    objects = EventPageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        # The venue as the public sees it: a private one is indexed as nothing.
        index.SearchField("public_venue"),
        index.SearchField("town"),
        index.FilterField("start"),
        index.FilterField("event_type"),
        index.FilterField("format"),
    ]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldRowPanel([FieldPanel("event_type"), FieldPanel("format")]),
                FieldPanel("cancelled"),
            ],
            heading="When and what",
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")]),
                FieldPanel("region"),
                FieldPanel("address_private"),
                FieldPanel("online_url"),
                FieldPanel("online_url_public"),
            ],
            heading="Where",
        ),
        MultiFieldPanel(
            [
                FieldPanel("organising_network"),
                FieldPanel("co_organisers", widget=forms.CheckboxSelectMultiple),
                CoOrganiserAnswersPanel(heading="Answers from invited networks"),
            ],
            heading="Organisers",
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("access_features", widget=CheckboxesByKind),
                FieldPanel("closed_group"),
                FieldPanel("content_notes"),
                FieldRowPanel(
                    [
                        FieldPanel("access_contact_name"),
                        FieldPanel(
                            "access_contact_email",
                            help_text="Shown on the event page only, as a link to write to: "
                            "never in calendar feeds or the API.",
                        ),
                    ]
                ),
                FieldPanel("accessibility"),
            ],
            heading="Access and safety",
            help_text="Ticked items are shown with the event and can be searched for in the "
            "finder. If the cost below is empty, the event is listed as free.",
        ),
        FieldPanel("cost"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("booking"),
                FieldPanel("booking_url"),
                FieldRowPanel([FieldPanel("in_person_capacity"), FieldPanel("online_capacity")]),
            ],
            heading="Booking",
        ),
    ]

    parent_page_types = ["networks.NetworkPage", "events.EventIndexPage"]
    subpage_types = []
    page_description = "A meeting, workers' cafe, debate, training, retreat or protest."

    class Meta:
        verbose_name = "event"
        indexes = [models.Index(fields=["start"]), models.Index(fields=["end"])]

    search_prefetch = ["organising_network", "region"]

    def search_summary(self, ancestors):
        location = self.public_location
        where = ", ".join(part for part in (location.venue, location.town) if part)
        return SearchSummary(
            kind="Event",
            snippet=snippet(self.search_description, where or self.get_format_display()),
            network=self.organising_network.title if self.organising_network else "",
            date=self.start,
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The event must end after it starts."
        if self.booking == Booking.EXTERNAL and not self.booking_url:
            errors["booking_url"] = "Give the booking link, or choose another way to book."
        if self.booking != Booking.EXTERNAL and self.booking_url:
            errors["booking_url"] = "Choose “External booking link” to use a booking link."
        if self.format != EventFormat.IN_PERSON and not self.online_url:
            errors["online_url"] = "Online and hybrid events need a joining link."
        if self.format == EventFormat.IN_PERSON and self.online_capacity is not None:
            errors["online_capacity"] = (
                "An in-person event has no online places: leave this empty, or make it hybrid."
            )
        if self.format == EventFormat.ONLINE and self.in_person_capacity is not None:
            errors["in_person_capacity"] = (
                "An online event has no places in the room: leave this empty, or make it hybrid."
            )
        if errors:
            raise ValidationError(errors)
        # Network events always belong to their network: editors cannot file them elsewhere.
        parent = self.get_parent() if self.path else None
        if parent is not None and parent.specific_class is NetworkPage:
            self.organising_network_id = parent.pk

    def accepted_co_organisers(self):
        return (
            NetworkPage.objects.live()
            .public()
            .filter(
                co_organiser_invitations__event=self,
                co_organiser_invitations__status=CoOrganiserStatus.ACCEPTED,
            )
            .order_by("title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        answer = (
            self.rsvps.exclude(status=RsvpStatus.CANCELLED).filter(user=user).first()
            if user.is_authenticated
            else None
        )
        if answer is not None:
            answer.event = self  # the page in hand, not a second fetch of it
        places = self.places_now()
        # A signed-in person with a place sees what their email told them; everyone else, what
        # the feeds and the API show.
        location = answer.location if answer is not None else self.public_location
        context.update(
            {
                "rsvp": answer,
                "co_organisers": self.accepted_co_organisers(),
                "places": places,
                "places_limited": any(each.capacity is not None for each in places),
                "all_full": all(each.full for each in places),
                "hybrid": self.format == EventFormat.HYBRID,
                "rsvp_form": (AttendanceForm if user.is_authenticated else RsvpForm)(places=places),
                "location": location,
                "ics_url": answer.calendar_path
                if answer is not None and answer.status == RsvpStatus.CONFIRMED
                else reverse("events:event_ics", args=[self.pk]),
                "network_feed_url": reverse(
                    "events:network_feed", args=[self.organising_network.slug]
                )
                if self.organising_network_id
                else None,
                "google_calendar_url": ical.google_calendar_url(self, location),
                "outlook_calendar_url": ical.outlook_calendar_url(self, location),
                "json_ld": self.schema_org(),
            }
        )
        return context

    def schema_org(self) -> dict:
        """schema.org Event, for search engines and calendar tools."""
        modes = {
            EventFormat.IN_PERSON: "OfflineEventAttendanceMode",
            EventFormat.ONLINE: "OnlineEventAttendanceMode",
            EventFormat.HYBRID: "MixedEventAttendanceMode",
        }
        location = self.public_location
        places = []
        if location.in_person:
            address = {
                "@type": "PostalAddress",
                "streetAddress": " ".join(location.address_lines),
                "addressLocality": location.town,
                "postalCode": location.postcode,
                "addressRegion": location.region,
                "addressCountry": "GB",
            }
            places.append(
                {
                    "@type": "Place",
                    "name": location.venue or location.town or "To be confirmed",
                    # A private address gives the town and region alone, no empty street.
                    "address": {key: value for key, value in address.items() if value},
                }
            )
        if location.online:
            places.append(
                {"@type": "VirtualLocation", "url": location.joining_link or self.absolute_url}
            )
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "startDate": self.start_local.isoformat(),
            "endDate": self.end_local.isoformat(),
            "eventAttendanceMode": f"https://schema.org/{modes[self.format]}",
            "eventStatus": "https://schema.org/Event"
            + ("Cancelled" if self.cancelled else "Scheduled"),
            "url": self.absolute_url,
            "location": places[0] if len(places) == 1 else places,
        }
        if self.search_description:
            data["description"] = self.search_description
        organiser = self.organising_network
        data["organizer"] = {
            "@type": "Organization",
            "name": organiser.title if organiser else settings.WAGTAIL_SITE_NAME,
            "url": page_absolute_url(organiser) if organiser else settings.BASE_URL + "/",
        }
        if self.is_free:
            data["isAccessibleForFree"] = True
        else:
            data["offers"] = {"@type": "Offer", "description": self.cost, "url": self.absolute_url}
        schema_features = sorted(
            {feature.schema_org_feature for feature in self.features if feature.schema_org_feature}
        )
        if schema_features:
            data["accessibilityFeature"] = schema_features
        if self.closed_group:
            audience = self.get_closed_group_display()
            data["audience"] = {"@type": "Audience", "audienceType": audience}
        return data

    @cached_property
    def features(self) -> list[AccessFeature]:
        """The event's access and safety features, in the list's order (prefetched by the
        listing and feed querysets)."""
        return list(self.access_features.all())

    @property
    def is_free(self) -> bool:
        return not self.cost

    def card_access(self) -> dict:
        """For an event card: `items` as (icon, words), who it is for and "Free" first, and
        `more`, how many there are beyond what fits."""
        items = []
        if self.closed_group:
            items.append(("closed-group", f"{self.get_closed_group_display()} only"))
        if self.is_free:
            items.append(("free", "Free"))
        items += [(feature.icon_name, feature.name) for feature in self.features]
        if len(items) <= CARD_ACCESS_ITEMS:
            return {"items": items, "more": 0}
        shown = CARD_ACCESS_ITEMS - 1
        return {"items": items[:shown], "more": len(items) - shown}

    @cached_property
    def start_local(self) -> dt.datetime:
        return timezone.localtime(self.start, LONDON)

    @cached_property
    def end_local(self) -> dt.datetime:
        return timezone.localtime(self.end, LONDON)

    @property
    def absolute_url(self) -> str:
        return page_absolute_url(self)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @cached_property
    def public_location(self) -> locations.Location:
        return locations.public_location(self)

    @cached_property
    def attendee_location(self) -> locations.Location:
        return locations.attendee_location(self)

    @property
    def public_venue(self) -> str:
        return self.public_location.venue

    @property
    def location_text(self) -> str:
        """The public's one line; a person with a place gets `attendee_location`."""
        return self.public_location.text

    @property
    def takes_rsvps(self) -> bool:
        return self.booking == Booking.RSVP and not self.cancelled and not self.is_past

    @property
    def attendances(self) -> list[str]:
        """The ways to come, each with its own places and waiting list."""
        if self.format == EventFormat.HYBRID:
            return [Attendance.IN_PERSON, Attendance.ONLINE]
        if self.format == EventFormat.ONLINE:
            return [Attendance.ONLINE]
        return [Attendance.IN_PERSON]

    def capacity_for(self, attendance: str) -> int | None:
        """None is no limit."""
        if attendance == Attendance.ONLINE:
            return self.online_capacity
        return self.in_person_capacity

    def places(self, taken: dict[str, int]) -> list[Places]:
        return [
            Places(
                attendance=attendance,
                label=Attendance(attendance).label,
                capacity=self.capacity_for(attendance),
                taken=taken.get(attendance, 0),
            )
            for attendance in self.attendances
        ]

    def places_now(self) -> list[Places]:
        """Places per attendance, read in one query."""
        rows = (
            self.rsvps.filter(status__in=HOLDS_PLACE)
            .order_by()
            .values("attendance")
            .annotate(count=Count("pk"))
        )
        return self.places({row["attendance"]: row["count"] for row in rows})

    @property
    def listing_places(self) -> list[Places]:
        """Places per attendance from the annotations of `for_listing`."""
        return self.places(
            {Attendance.IN_PERSON: self.in_person_taken, Attendance.ONLINE: self.online_taken}
        )


class CoOrganiserStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CoOrganiserInvitationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=CoOrganiserStatus.ACCEPTED)


class CoOrganiserInvitation(models.Model):
    """An event's invitation to another network to co-organise it. Kept outside the page's
    revisions, so that only the invited network's admins, never the event's editors, can
    change the answer."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="co_organiser_invitations"
    )
    network = models.ForeignKey(
        NetworkPage, on_delete=models.CASCADE, related_name="co_organiser_invitations"
    )
    status = models.CharField(
        max_length=10, choices=CoOrganiserStatus.choices, default=CoOrganiserStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CoOrganiserInvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "network"], name="one_co_organiser_invitation_per_network"
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]
        ordering = ["event", "network"]

    def __str__(self):
        return f"{self.network} for {self.event} ({self.get_status_display()})"


class RsvpStatus(models.TextChoices):
    PENDING = "pending", "Waiting for email confirmation"
    CONFIRMED = "confirmed", "Confirmed place"
    WAITING = "waiting", "On the waiting list"
    # A place came up and is held for the head of the waiting list until `offer_expires_at`.
    OFFERED = "offered", "Place held, waiting for an answer"
    CANCELLED = "cancelled", "Cancelled"


# Replies that take up a place: a held place is nobody else's until its offer lapses.
HOLDS_PLACE = (RsvpStatus.CONFIRMED, RsvpStatus.OFFERED)


class Rsvp(models.Model):
    """One person's reply to one event; `email_normalised` makes it one reply per person."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rsvps",
    )
    name = models.CharField(max_length=120)
    email = models.EmailField()
    email_normalised = models.EmailField(editable=False)
    status = models.CharField(
        max_length=10, choices=RsvpStatus.choices, default=RsvpStatus.PENDING, db_index=True
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    attendance = models.CharField(
        "coming", max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # When the person last took a place or joined the queue: the waiting list's order.
    queued_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalised"], name="one_rsvp_per_person_per_event"
            )
        ]
        ordering = ["event", "queued_at", "pk"]
        verbose_name = "RSVP"

    def __str__(self):
        return f"{self.name} ({self.get_status_display()}) for {self.event_id}"

    @property
    def location(self) -> locations.Location:
        """What this person may see of where the event is: once they hold a place, the full
        address if they come in person and the joining link if they join online."""
        if self.status != RsvpStatus.CONFIRMED:
            return self.event.public_location
        return locations.reply_location(
            self.event, address=self.attendance == Attendance.IN_PERSON, link=self.joins_online
        )

    @property
    def calendar_path(self) -> str:
        """Their own calendar file, with the full address and joining link once confirmed."""
        return reverse("events:rsvp_ics", args=[self.token])

    @property
    def joins_online(self) -> bool:
        """Whether the joining link is theirs: a confirmed online place, never an in-person one,
        so that the online places stay as many as the organisers set."""
        return self.status == RsvpStatus.CONFIRMED and (
            self.attendance == Attendance.ONLINE or self.event.format == EventFormat.ONLINE
        )

    @property
    def way(self) -> str:
        """ "in-person" or "online" at a hybrid event, where it tells one list from the other;
        empty at an event with one way of coming."""
        if self.event.format != EventFormat.HYBRID:
            return ""
        return "online" if self.attendance == Attendance.ONLINE else "in-person"

    @property
    def offer_expires_local(self) -> dt.datetime | None:
        return self.offer_expires_at and timezone.localtime(self.offer_expires_at, LONDON)

    @property
    def offer_lapsed(self) -> bool:
        """A place was held for them and they did not take it in time."""
        return self.status == RsvpStatus.CANCELLED and self.offer_expires_at is not None
