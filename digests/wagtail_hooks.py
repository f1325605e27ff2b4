"""Digest runs and subscribers in the admin, for hub moderators, read only."""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns.sections import SECTIONS_HOOK
from hub.admin_access import (
    FoundByPkSnippetChooserViewSet,
    ListedSnippetChooserViewSet,
    PersonalDataPermissionPolicy,
    ReadOnlyPermissionPolicy,
    listed_only_delete_bulk_action,
)
from hub.exports import SpreadsheetSafeSnippetIndexView

from .models import DigestRun, Subscriber


class DigestRunViewSet(SnippetViewSet):
    """Digest runs, read only: the run and its workers write them."""

    model = DigestRun
    chooser_viewset_class = FoundByPkSnippetChooserViewSet
    icon = "mail"
    menu_label = "Digest runs"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "__str__", "started_at", "finished_at", "recipients", "sent", "skipped_empty", "failed",
    ]  # fmt: skip
    list_filter = ["frequency", "started_at"]
    list_export = [
        "frequency", "period", "started_at", "finished_at", "recipients", "sent", "skipped_empty",
        "failed",
    ]  # fmt: skip
    export_filename = "digest-runs"
    index_view_class = SpreadsheetSafeSnippetIndexView
    inspect_view_enabled = True


register_permission_policy(DigestRun, ReadOnlyPermissionPolicy(DigestRun))
register_snippet(DigestRunViewSet)


class SubscriberViewSet(SnippetViewSet):
    """Weekly digest subscribers without an account; members' preferences are their own."""

    model = Subscriber
    chooser_viewset_class = ListedSnippetChooserViewSet
    icon = "mail"
    menu_label = "Digest subscribers"
    menu_name = "digest-subscribers"
    menu_order = 211
    add_to_admin_menu = True
    list_display = ["email", "confirmed_at", "topic_names"]
    list_filter = ["confirmed_at", "topics"]
    list_export = ["email", "confirmed_at", "topic_names"]
    export_filename = "digest-subscribers"
    index_view_class = SpreadsheetSafeSnippetIndexView
    search_fields = ["email"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = ["email", "confirmed_at", "confirmation_sent_at", "topics", "regions"]

    def get_queryset(self, request):
        return Subscriber.objects.prefetch_related("topics")


register_permission_policy(Subscriber, PersonalDataPermissionPolicy(Subscriber))
register_snippet(SubscriberViewSet)
hooks.register("register_bulk_action", listed_only_delete_bulk_action(Subscriber), order=1)


@hooks.register(SECTIONS_HOOK)
def follow_demand_section(request, page):
    return render_to_string("digests/includes/follow_demand.html", {"page": page}, request=request)
