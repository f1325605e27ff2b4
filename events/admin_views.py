"""Who is coming: a Wagtail listing of events' attendees for hub moderators and, for their own
networks' events, the networks' members; per event and way of coming (in person, online), how
many places are taken, held and waiting. The same people may move someone between the two."""

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from hub.admin_access import ReadOnlyPermissionPolicy
from hub.exports import SpreadsheetSafeIndexView, SpreadsheetSafeRecordsViewSet, local_minutes

from . import services
from .choices import Attendance
from .forms import AttendanceMoveForm
from .models import HOLDS_PLACE, EventPage, Rsvp, RsvpStatus
from .selectors import event_lists, events_organised_by, user_sees_all_attendees


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
    attendance = django_filters.ChoiceFilter(
        label="Attendance", choices=Attendance.choices, empty_label="All", widget=forms.RadioSelect
    )

    class Meta:
        model = Rsvp
        fields = ["event", "status", "attendance", "created_at"]


class AttendeeIndexView(SpreadsheetSafeIndexView):
    page_title = "Event attendees"
    custom_field_preprocess = {
        field: {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}
        for field in ("created_at", "queued_at", "offer_expires_at")
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
            context["event_summary"] = self.chosen_event
            context["event_lists"] = event_lists(event=self.chosen_event)
        return context


class AttendeeInspectView(InspectView):
    move_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(attendees_seen_by(self.request.user), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rsvp = self.object
        movable = rsvp.status in (*HOLDS_PLACE, RsvpStatus.WAITING)
        context["move_to"] = [
            (attendance, Attendance(attendance).label)
            for attendance in rsvp.event.attendances
            if movable and attendance != rsvp.attendance
        ]
        context["move_url"] = reverse(self.move_url_name, args=[rsvp.pk])
        return context

    def get_page_title(self):
        return "Attendee"

    def get_field_label(self, field_name, field):
        labels = {
            "created_at": "Replied",
            "queued_at": "Place or queue since",
            "offer_expires_at": "Place held until",
        }
        return labels.get(field_name) or super().get_field_label(field_name, field)


class AttendeeMoveView(PermissionCheckedMixin, View):
    """Moves someone to the other way of coming (POST only), for exactly those who may see the
    attendee: another network's reply is not found."""

    permission_required = "view"
    http_method_names = ["post"]
    inspect_url_name = None

    def post(self, request, pk):
        rsvp = get_object_or_404(attendees_seen_by(request.user), pk=pk)
        back = reverse(self.inspect_url_name, args=[rsvp.pk])
        form = AttendanceMoveForm(request.POST)
        if not form.is_valid() or form.cleaned_data["attendance"] not in rsvp.event.attendances:
            messages.error(request, "Choose in person or online, as the event offers.")
            return redirect(back)
        before = (rsvp.attendance, rsvp.status)
        rsvp = services.rsvp_move(rsvp=rsvp, attendance=form.cleaned_data["attendance"])
        if (rsvp.attendance, rsvp.status) == before:
            messages.error(request, f"{rsvp.name} could not be moved: nothing changed.")
        else:
            messages.success(
                request,
                f"{rsvp.name} is moved to {rsvp.get_attendance_display().lower()}: "
                f"{rsvp.get_status_display().lower()}. We have emailed them.",
            )
        return redirect(back)


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
    inspect_template_name = "events/admin/attendee_inspect.html"
    move_view_class = AttendeeMoveView
    filterset_class = AttendeeFilterSet
    search_fields = ["name", "email"]
    ordering = ["-event__start", "event", "status", "queued_at", "pk"]
    list_display = [
        "name",
        "email",
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        Column(
            "attendance",
            label="Attendance",
            accessor="get_attendance_display",
            sort_key="attendance",
        ),
        Column("event", label="Event", accessor=event_link),
        DateColumn("created_at", label="Replied", sort_key="created_at"),
    ]
    list_export = ["name", "email", "get_status_display", "get_attendance_display", "event",
                   "created_at", "queued_at", "offer_expires_at"]  # fmt: skip
    export_headings = {
        "name": "Name",
        "email": "Email",
        "get_status_display": "Status",
        "get_attendance_display": "Attendance",
        "event": "Event",
        "created_at": "Replied",
        "queued_at": "Place or queue since",
        "offer_expires_at": "Place held until",
    }
    export_filename = "event-attendees"
    inspect_view_fields = ["name", "email", "status", "attendance", "event", "created_at",
                           "queued_at", "offer_expires_at", "cancelled_at"]  # fmt: skip

    @property
    def move_view(self):
        return self.construct_view(
            self.move_view_class, inspect_url_name=self.get_url_name("inspect")
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(move_url_name=self.get_url_name("move"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/move/", self.move_view, name="move"),
        ]
