"""Imported calendars in the Wagtail admin: a network's admins add and edit their own
network's feeds, hub moderators every network's; nobody else reaches any of them by any URL.
The listing shows each feed's last import, its counts and its error; "Sync now" queues one."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from hub.outbox import task_publish
from networks.models import Membership, MembershipRole, NetworkPage

from . import fetching
from .models import CalendarFeed
from .tasks import sync_calendar

MANAGE_ALL_PERMISSION = "calendars.change_calendarfeed"
ACTIONS = {"add", "change", "view"}


def manages_all_feeds(user) -> bool:
    return user.is_active and user.has_perm(MANAGE_ALL_PERMISSION)


def networks_managed_by(user):
    """The networks whose calendars `user` may import: every one for a hub moderator, else
    those they are an admin of."""
    if manages_all_feeds(user):
        return NetworkPage.objects.all()
    if not user.is_active:
        return NetworkPage.objects.none()
    administered = Membership.objects.filter(user=user, role=MembershipRole.ADMIN)
    return NetworkPage.objects.filter(pk__in=administered.values("network_id"))


def feeds_managed_by(user):
    return CalendarFeed.objects.filter(network__in=networks_managed_by(user)).select_related(
        "network"
    )


class FeedPermissionPolicy(ModelPermissionPolicy):
    """Feeds are added, edited and switched off, never deleted: their links keep each imported
    event from being made twice."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and networks_managed_by(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return action in ACTIONS and feeds_managed_by(user).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        return feeds_managed_by(user) if action in ACTIONS else CalendarFeed.objects.none()


class FeedForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="Calendar address",
        max_length=1000,
        assume_scheme="https",
        help_text=CalendarFeed._meta.get_field("url").help_text,
    )

    class Meta:
        model = CalendarFeed
        fields = ["network", "url", "publish", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        networks = networks_managed_by(self.for_user).order_by("title")
        self.fields["network"].queryset = networks
        if self.instance.pk:
            # Its events stay where they were imported: a feed does not move to another network.
            self.fields["network"].disabled = True
        elif networks.count() == 1:
            self.fields["network"].initial = networks.get().pk

    def save(self, commit=True):
        if "url" in self.changed_data:
            # Another address: what the old one's server said means nothing to the new one's.
            self.instance.etag = self.instance.last_modified = ""
        return super().save(commit=commit)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            fetching.url_parts(url)
        except fetching.FetchError as error:
            raise forms.ValidationError(str(error)) from error
        return url


class OwnFeedMixin:
    """Every view of one feed finds it among the user's own, or answers 404."""

    def get_object(self, queryset=None):
        # From the URL, not self.pk: the delete view finds its object before it sets that.
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(feeds_managed_by(self.request.user), pk=pk)


class FeedIndexView(generic.IndexView):
    sync_url_name = None

    @cached_property
    def permissions(self) -> dict:
        return {}

    def user_has_permission(self, permission):
        # Asked for every row's buttons: one query for the page, not one a row.
        if permission not in self.permissions:
            self.permissions[permission] = super().user_has_permission(permission)
        return self.permissions[permission]

    def get_base_queryset(self):
        return feeds_managed_by(self.request.user)

    @cached_property
    def no_results_message(self):
        return "No calendar is imported yet. Add one to bring its events onto the hub."

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem("Sync now", url=self.sync_url(instance), icon_name="resubmit", priority=15),
        ]

    def sync_url(self, instance):
        return reverse(self.sync_url_name, args=[instance.pk])


class RefusedFormMixin:
    """A form sent back with errors answers 400, not 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class FeedCreateView(RefusedFormMixin, generic.CreateView):
    pass


class FeedEditView(RefusedFormMixin, OwnFeedMixin, generic.EditView):
    pass


class FeedDeleteView(OwnFeedMixin, generic.DeleteView):
    pass


class FeedHistoryView(OwnFeedMixin, generic.HistoryView):
    pass


class FeedUsageView(OwnFeedMixin, generic.UsageView):
    pass


class FeedSyncView(WagtailAdminTemplateMixin, TemplateView):
    """Asks, then queues a sync of one feed (a POST: a link followed must not fetch)."""

    template_name = "calendars/admin/feed_sync.html"
    page_title = "Sync a calendar now"
    header_icon = "calendar"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.feed = get_object_or_404(feeds_managed_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.feed.url

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "feed": self.feed}

    def post(self, request, *args, **kwargs):
        feed_id = self.feed.pk
        transaction.on_commit(lambda: task_publish(sync_calendar, kwargs={"feed_id": feed_id}))
        messages.success(
            request, "The calendar will be imported in a moment: reload this page to see it."
        )
        return redirect(self.index_url_name)


def feed_network(feed):
    return feed.network.title


def feed_counts(feed):
    return (
        f"{feed.created_count} new, {feed.updated_count} updated, "
        f"{feed.cancelled_count} cancelled, {feed.unchanged_count} unchanged"
    )


class CalendarFeedViewSet(ModelViewSet):
    model = CalendarFeed
    name = "imported_calendars"
    url_prefix = "imported-calendars"
    icon = "calendar"
    menu_label = "Imported calendars"
    menu_order = 260
    add_to_admin_menu = True

    def get_form_class(self, for_update=False):
        return FeedForm

    index_view_class = FeedIndexView
    add_view_class = FeedCreateView
    edit_view_class = FeedEditView
    delete_view_class = FeedDeleteView
    history_view_class = FeedHistoryView
    usage_view_class = FeedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["network__title", "url"]
    list_display = [
        "url",
        Column("network", label="Network", accessor=feed_network),
        Column("last_status", label="Last import", accessor="get_last_status_display"),
        DateColumn("last_synced_at", label="When", sort_key="last_synced_at"),
        Column("counts", label="Events", accessor=feed_counts),
        Column("last_error", label="Errors"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(sync_url_name=self.get_url_name("sync"), **kwargs)

    def get_urlpatterns(self):
        sync = self.construct_view(FeedSyncView, index_url_name=self.get_url_name("index"))
        return [*super().get_urlpatterns(), path("sync/<int:pk>/", sync, name="sync")]
