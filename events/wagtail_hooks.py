from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.admin_access import FoundByPkSnippetChooserViewSet

from .admin_views import AttendeePermissionPolicy, AttendeeViewSet
from .models import AccessFeature, EventPage, Rsvp
from .selectors import events_organised_by

register_permission_policy(Rsvp, AttendeePermissionPolicy(Rsvp))
attendee_viewset = AttendeeViewSet()


class AccessFeatureViewSet(SnippetViewSet):
    """The list of access and safety features that events tick: hub moderators keep it, and
    Wagtail's Editors group may add to it and correct it (migration 0006)."""

    model = AccessFeature
    chooser_viewset_class = FoundByPkSnippetChooserViewSet
    icon = "success"
    menu_label = "Access and safety"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "slug", "schema_org_feature"]
    list_filter = ["kind"]
    ordering = ["kind", "sort_order", "name"]


register_snippet(AccessFeatureViewSet)


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
