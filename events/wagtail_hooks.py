from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from .admin_views import AttendeePermissionPolicy, AttendeeViewSet
from .models import EventPage, Rsvp
from .selectors import events_organised_by

register_permission_policy(Rsvp, AttendeePermissionPolicy(Rsvp))
attendee_viewset = AttendeeViewSet()


@hooks.register("register_admin_viewset")
def register_attendee_viewset():
    return attendee_viewset


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    if (
        page.specific_class is EventPage
        and events_organised_by(user=user).filter(pk=page.pk).exists()
    ):
        yield Button(
            "Attendees",
            reverse(attendee_viewset.get_url_name("index")) + f"?event={page.pk}",
            icon_name="group",
            priority=5,
        )
