"""Who is coming: a Wagtail listing of events' attendees for hub moderators and, for their own
networks' events, the networks' members; per event, how many places are taken and how many wait."""

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView

from hub.admin_access import ReadOnlyPermissionPolicy
from hub.exports import SpreadsheetSafeIndexView, SpreadsheetSafeRecordsViewSet, local_minutes

from .models import EventPage, Rsvp, RsvpStatus
from .selectors import events_organised_by, events_with_rsvp_counts, user_sees_all_attendees


def attendees_seen_by(user):
    """Everyone who confirmed their email, for the events `user` may see the attendees of."""
    return (
        Rsvp.objects.filter(event__in=events_organised_by(user=user))
        .exclude(status=RsvpStatus.PENDING)
        .select_related("event")
    )


def may_see_attendees(user) -> bool:
    return user_sees_all_attendees(user) or events_organised_by(user=user).exists()


class AttendeePermissionPolicy(ReadOnlyPermissionPolicy):
    """Replies are made by replying; the admin only reads them, per event."""

    def user_has_permission(self, user, action):
        return action == "view" and may_see_attendees(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and attendees_seen_by(user).filter(pk=instance.pk).exists()


class EventChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, event):
        return f"{event.title}, {date_format(timezone.localtime(event.start), 'j M Y')}"


class EventFilter(django_filters.ModelChoiceFilter):
    field_class = EventChoiceField


def events_for_filter(request):
    return events_organised_by(user=request.user) if request else EventPage.objects.none()


class AttendeeFilterSet(WagtailFilterSet):
    event = EventFilter(label="Event", queryset=events_for_filter, empty_label="All events")
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[choice for choice in RsvpStatus.choices if choice[0] != RsvpStatus.PENDING],
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Rsvp
        fields = ["event", "status", "created_at"]


class AttendeeIndexView(SpreadsheetSafeIndexView):
    page_title = "Event attendees"
    custom_field_preprocess = {
        field: {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}
        for field in ("created_at", "queued_at")
    }

    def get_base_queryset(self):
        return attendees_seen_by(self.request.user)

    @cached_property
    def chosen_event(self):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("event")
        return None

    @cached_property
    def no_results_message(self):
        if self.is_filtering or self.is_searching:
            return "No attendees match these filters."
        return "No one has replied to your events yet."

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.chosen_event:
            events = EventPage.objects.filter(pk=self.chosen_event.pk)
            context["event_summary"] = events_with_rsvp_counts(events).get()
        return context


class AttendeeInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(attendees_seen_by(self.request.user), pk=self.pk)

    def get_page_title(self):
        return "Attendee"

    def get_field_label(self, field_name, field):
        labels = {"created_at": "Replied", "queued_at": "Place or queue since"}
        return labels.get(field_name) or super().get_field_label(field_name, field)


def event_link(rsvp):
    return format_html('<a href="?event={}">{}</a>', rsvp.event_id, rsvp.event.title)


class AttendeeViewSet(SpreadsheetSafeRecordsViewSet):
    model = Rsvp
    name = "event_attendees"
    url_prefix = "event-attendees"
    icon = "group"
    menu_label = "Event attendees"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = AttendeeIndexView
    index_results_template_name = "events/admin/attendee_index_results.html"
    inspect_view_class = AttendeeInspectView
    filterset_class = AttendeeFilterSet
    search_fields = ["name", "email"]
    ordering = ["-event__start", "event", "status", "queued_at", "pk"]
    list_display = [
        "name",
        "email",
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        Column("event", label="Event", accessor=event_link),
        DateColumn("created_at", label="Replied", sort_key="created_at"),
    ]
    list_export = ["name", "email", "get_status_display", "event", "created_at", "queued_at"]
    export_headings = {
        "name": "Name",
        "email": "Email",
        "get_status_display": "Status",
        "event": "Event",
        "created_at": "Replied",
        "queued_at": "Place or queue since",
    }
    export_filename = "event-attendees"
    inspect_view_fields = ["name", "email", "status", "event", "created_at", "queued_at",
                           "cancelled_at"]  # fmt: skip
