from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_access import (
    PAGE_BULK_ACTIONS,
    FoundByPkSnippetChooserViewSet,
    PersonalDataPermissionPolicy,
    may_list,
    pages_public_or_own,
)
from .dashboard import ModerationPanel, waiting_items
from .models import OutboxMessage, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    chooser_viewset_class = FoundByPkSnippetChooserViewSet
    icon = "tag"
    menu_label = "Topics"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]


register_snippet(TopicViewSet)


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


register_permission_policy(OutboxMessage, PersonalDataPermissionPolicy(OutboxMessage))


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


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if items := waiting_items(request):
        panels.append(ModerationPanel(items))
