from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin_views
from .models import EventPage
from .selectors import events_organised_by


@hooks.register("register_admin_urls")
def register_attendee_urls():
    return [
        path("event-attendees/", admin_views.attendee_events, name="events_attendee_events"),
        path("event-attendees/<int:pk>/", admin_views.attendees, name="events_attendees"),
        path(
            "event-attendees/<int:pk>/csv/", admin_views.attendees_csv, name="events_attendees_csv"
        ),
    ]


class AttendeesMenuItem(MenuItem):
    def is_shown(self, request):
        return events_organised_by(user=request.user).exists()


@hooks.register("register_admin_menu_item")
def register_attendees_menu_item():
    return AttendeesMenuItem(
        "Event attendees", reverse("events_attendee_events"), icon_name="group", order=250
    )


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    if (
        page.specific_class is EventPage
        and events_organised_by(user=user).filter(pk=page.pk).exists()
    ):
        yield Button(
            "Attendees",
            reverse("events_attendees", args=[page.pk]),
            icon_name="group",
            priority=5,
        )
