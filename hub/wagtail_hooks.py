from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_access import (
    PAGE_BULK_ACTIONS,
    FoundByPkSnippetChooserViewSet,
    ListedSnippetChooserViewSet,
    listed_only_delete_bulk_action,
    may_list,
    pages_public_or_own,
)
from .exports import SpreadsheetSafeSnippetIndexView
from .models import DigestRun, OutboxMessage, Subscriber, Topic


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class TopicViewSet(SnippetViewSet):
    model = Topic
    chooser_viewset_class = FoundByPkSnippetChooserViewSet
    icon = "tag"
    menu_label = "Topics"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]


register_snippet(TopicViewSet)


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


class SubscriberPermissionPolicy(ReadOnlyPermissionPolicy):
    """Those who may see signers' addresses (hub moderators) may see subscribers', read only."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.has_perm("campaigns.view_signature")


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


register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber))
register_snippet(SubscriberViewSet)
hooks.register("register_bulk_action", listed_only_delete_bulk_action(Subscriber), order=1)


@hooks.register("construct_page_chooser_queryset")
def chooser_pages_public_or_own(pages, request):
    return pages_public_or_own(pages, request.user)


for action in PAGE_BULK_ACTIONS:
    hooks.register("register_bulk_action", action, order=1)


@hooks.register("before_move_page")
def move_only_into_pages_one_may_see(request, page, destination):
    # Wagtail's confirmation names both pages before it checks the move is allowed.
    named = Page.objects.filter(pk__in=[page.pk, destination.pk])
    if pages_public_or_own(named, request.user).count() < len({page.pk, destination.pk}):
        raise Http404


class UndeliveredEmailView(ReportView):
    """Emails not sent yet (waiting for the broker or a retry) or given up on (hub.outbox).

    A report, not a snippet: a snippet's chooser would list the addresses to any editor.
    """

    model = OutboxMessage
    permission_required = "view"
    page_title = "Undelivered email"
    header_icon = "warning"
    index_url_name = "hub_undelivered_email"
    index_results_url_name = "hub_undelivered_email_results"
    columns = [
        Column("to", label="To", accessor=lambda message: ", ".join(message.to)),
        Column("subject", label="Subject"),
        DateColumn("created_at", label="Queued"),
        Column("attempts", label="Attempts"),
        DateColumn("next_attempt_at", label="Next try"),
        DateColumn("failed_at", label="Given up"),
        Column("last_error", label="Last error"),
    ]

    def get_queryset(self):
        return OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at")


register_permission_policy(OutboxMessage, SubscriberPermissionPolicy(OutboxMessage))


@hooks.register("register_admin_urls")
def register_undelivered_email_urls():
    view = UndeliveredEmailView
    return [
        path("reports/undelivered-email/", view.as_view(), name=view.index_url_name),
        path(
            "reports/undelivered-email/results/",
            view.as_view(results_only=True),
            name=view.index_results_url_name,
        ),
    ]


class UndeliveredEmailMenuItem(MenuItem):
    def is_shown(self, request):
        return may_list(request.user, OutboxMessage)


@hooks.register("register_reports_menu_item")
def register_undelivered_email_menu_item():
    return UndeliveredEmailMenuItem(
        "Undelivered email", reverse(UndeliveredEmailView.index_url_name), icon_name="warning"
    )
