import datetime as dt
from itertools import groupby

from django import forms
from django.utils import timezone

from hub.cache import cached
from hub.models import Region, Topic
from hub.widgets import PageChoiceField
from networks.models import NetworkPage

from .access import AccessFeature
from .choices import LONDON, AccessFeatureKind, Attendance, EventFormat, EventType
from .widgets import CheckboxGroups

TEXT_MAX_LENGTH = 200


WHEN_CHOICES = [
    ("", "Upcoming"),
    ("this-week", "This week"),
    ("this-month", "This month"),
    ("past", "Past events"),
]
# A hybrid event can be attended either way, so it is found by both of the other formats.
FORMAT_CHOICES = [
    ("", "Any format"),
    (EventFormat.IN_PERSON, "In person (and hybrid)"),
    (EventFormat.ONLINE, "Online (and hybrid)"),
    (EventFormat.HYBRID, "Hybrid only"),
]
FORMATS_FOUND = {
    EventFormat.IN_PERSON: [EventFormat.IN_PERSON, EventFormat.HYBRID],
    EventFormat.ONLINE: [EventFormat.ONLINE, EventFormat.HYBRID],
    EventFormat.HYBRID: [EventFormat.HYBRID],
}
# Filters given by several values at once (checkboxes): `access=step-free&access=bsl-booked`.
MULTIPLE_FILTERS = ("access",)


class EventFilterForm(forms.Form):
    """The finder's filters, read from GET; a value that does not validate is left out."""

    q = forms.CharField(label="Search", required=False, max_length=TEXT_MAX_LENGTH)
    # Chosen by the shortcut links above the form (they work without JavaScript and show at
    # once on a phone); carried through the form so that filtering keeps the period.
    when = forms.ChoiceField(
        label="When", choices=WHEN_CHOICES, required=False, widget=forms.HiddenInput
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    type = forms.ChoiceField(
        label="Type", choices=[("", "Any type"), *EventType.choices], required=False
    )
    format = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, required=False)
    region = forms.ModelChoiceField(
        label="Nation or region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Anywhere",
    )
    network = PageChoiceField(
        label="Network",
        queryset=NetworkPage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any network",
    )
    topic = forms.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any topic",
    )
    access = forms.ModelMultipleChoiceField(
        label="Access and safety",
        help_text="Events with every one you tick.",
        queryset=AccessFeature.objects.all(),
        to_field_name="slug",
        required=False,
        widget=CheckboxGroups,
    )
    free = forms.BooleanField(label="Free events only", required=False)

    def __init__(self, data=None, **kwargs):
        # Only a parameter that was given can be wrong: an empty query string is a valid search.
        super().__init__(data or None, label_suffix="", **kwargs)
        # Only a network that was asked for needs the queryset, to be validated against.
        if self.is_bound and self.data.get("network"):
            self.fields["network"].queryset = filter_networks()
        # The options shown are the same for everyone: cached for the content version.
        for name in ("region", "network", "topic", "access"):
            self.fields[name].widget.choices = cached(
                f"event-filter-choices:{name}", lambda name=name: filter_choices(name)
            )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date is before the start date, so we ignored it.")
        return cleaned

    @property
    def filters(self) -> dict:
        """The values that validated; the rest are ignored and explained by `errors`."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter_events(self, events, *, now: dt.datetime | None = None):
        now = now or timezone.now()
        filters = self.filters
        when = filters.get("when", "")
        events = events.past(now) if when == "past" else events.upcoming(now)
        first_day, last_day = date_range(when, today=timezone.localtime(now, LONDON).date())
        events = events.starting_between(
            filters.get("date_from", first_day), filters.get("date_to", last_day)
        )
        if event_type := filters.get("type"):
            events = events.filter(event_type=event_type)
        if event_format := filters.get("format"):
            events = events.filter(format__in=FORMATS_FOUND[event_format])
        if region := filters.get("region"):
            events = events.filter(region=region)
        if network := filters.get("network"):
            events = events.for_network(network)
        if topic := filters.get("topic"):
            events = events.with_topic(topic)
        if features := filters.get("access"):
            events = events.with_access_features(features)
        if filters.get("free"):
            events = events.free()
        if text := " ".join(filters.get("q", "").split()):
            events = events.matching_text(text)
        return events

    def cache_pairs(self) -> list[tuple[str, str]]:
        """The filters that validated, sorted as (name, value) pairs for a cache key: a row
        by its key, each of several values (checkboxes) once."""
        pairs = []
        for name, value in self.filters.items():
            values = value if name in MULTIPLE_FILTERS else [value]
            pairs += [(name, str(getattr(item, "pk", item))) for item in values]
        return sorted(set(pairs))

    def ignored(self) -> list[str]:
        """Plain words for every parameter we could not use."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label if name in self.fields else 'Filters'}: {' '.join(msgs)}"
            for name, msgs in self.errors.items()
        ]


def filter_networks():
    # Built per call: `public()` reads the view restrictions when called.
    return NetworkPage.objects.live().public().order_by("title").only("title", "slug")


def filter_choices(name: str) -> list[tuple[str, str]]:
    field = EventFilterForm.base_fields[name]
    if name == "access":
        # Under a heading for each kind; the queryset's order puts each kind together.
        kinds = dict(AccessFeatureKind.choices)
        features = AccessFeature.objects.order_by("kind", "sort_order", "name")
        return [
            (kinds.get(kind, kind), [(feature.slug, feature.name) for feature in group])
            for kind, group in groupby(features, key=lambda feature: feature.kind)
        ]
    if name == "network":
        field = forms.ModelChoiceField(
            queryset=filter_networks(), to_field_name="slug", empty_label=field.empty_label
        )
    return [(str(value), str(label)) for value, label in field.choices]


def date_range(when: str, *, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    if when == "this-week":
        return today, today + dt.timedelta(days=6 - today.weekday())
    if when == "this-month":
        next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return today, next_month - dt.timedelta(days=1)
    return None, None


class AttendanceForm(forms.Form):
    """How someone will come to a hybrid event: in person or online, each with its own places.
    An event with one way of coming asks nothing, and the field is left out."""

    attendance = forms.ChoiceField(
        label="How will you come?",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you will come in person or online."},
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if len(places) < 2:
            del self.fields["attendance"]
        else:
            self.fields["attendance"].choices = [
                (each.attendance, each.choice_label) for each in places
            ]

    @property
    def asks(self) -> bool:
        return "attendance" in self.fields


class RsvpForm(AttendanceForm):
    name = forms.CharField(
        label="Your name", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Your email",
        help_text="We email you a link to confirm. Only the event's organisers see your address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["name", "email", "attendance"]


class AttendanceMoveForm(forms.Form):
    """An organiser moves someone to the other way of coming."""

    attendance = forms.ChoiceField(choices=Attendance.choices)


class CoOrganiserAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
