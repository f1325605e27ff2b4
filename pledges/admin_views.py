"""Hub moderators' review of proposed pledges: a listing filtered by status and an inspect view
that approves or rejects. Pledgers' names and addresses are in none of it: only counts."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from hub.admin_decisions import ApproveMixin, DecisionInspectView, RejectMixin

from . import selectors, services
from .forms import RejectionForm
from .models import Pledge, PledgeStatus


class PledgePermissionPolicy(ModelPermissionPolicy):
    """Only hub moderators see pledges here. A pledge is proposed on the site and decided by
    approving or rejecting it, never added, edited or deleted in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and selectors.can_review(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class PledgeIndexView(IndexView):
    page_title = "Pledges"

    def get_base_queryset(self):
        return selectors.with_pledged_counts(Pledge.objects.select_related("network", "created_by"))

    @cached_property
    def no_results_message(self):
        if self.is_filtering or self.is_searching:
            return "No pledges match these filters."
        return "No one has proposed a pledge yet."


class PledgeInspectView(DecisionInspectView):
    template_name = "pledges/admin/pledge_inspect.html"
    rejection_form_class = RejectionForm
    pending_status = PledgeStatus.PENDING
    paragraphs = {"details", "next_steps", "review_note"}

    def get_page_title(self):
        return "Pledge"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.with_pledged_counts(Pledge.objects.all()), pk=self.pk)

    def get_created_by_display_value(self):
        user = self.object.created_by
        return f"{user} ({user.email})" if user else "—"

    def get_topics_display_value(self):
        return ", ".join(map(str, self.object.topics.all())) or "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirmed"] = self.object.pledged_count
        context["public_url"] = self.object.get_absolute_url()
        return context


class PledgeApproveView(ApproveMixin, PledgeInspectView):
    def approve(self):
        services.pledge_approve(pledge=self.object, moderator=self.request.user)
        return f"“{self.object}” is open to pledges."


class PledgeRejectView(RejectMixin, PledgeInspectView):
    def reject(self, cleaned_data):
        services.pledge_reject(
            pledge=self.object, moderator=self.request.user, note=cleaned_data["note"]
        )
        return f"“{self.object}” is rejected; whoever proposed it is emailed."


class PledgeViewSet(ModelViewSet):
    model = Pledge
    name = "pledges_review"
    url_prefix = "pledges"
    icon = "tick-inverse"
    menu_label = "Pledges"
    menu_order = 215
    add_to_admin_menu = True
    index_view_class = PledgeIndexView
    inspect_view_class = PledgeInspectView
    inspect_view_enabled = True
    list_display = [
        Column("action", label="I will", accessor="action", sort_key="action"),
        Column("threshold", label="If this many", sort_key="threshold"),
        Column("pledged_count", label="Pledged", sort_key="pledged_count"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        DateColumn("deadline", label="Deadline", sort_key="deadline"),
        DateColumn("created_at", label="Proposed", sort_key="created_at"),
    ]
    list_filter = ["status", "audience"]
    search_fields = ["action", "details"]
    ordering = "-created_at"
    inspect_view_fields = [
        "status", "action", "threshold", "audience", "deadline", "details", "next_steps",
        "allow_contact", "network", "topics", "created_by", "created_at", "reviewed_by",
        "reviewed_at", "review_note", "bound_at", "lapsed_at",
    ]  # fmt: skip

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            approve_url_name=self.get_url_name("approve"),
            reject_url_name=self.get_url_name("reject"),
            **kwargs,
        )

    def decision_view(self, view_class):
        return self.construct_view(view_class, **self.get_inspect_view_kwargs())

    def get_urlpatterns(self):
        # Only the listing, the inspect view and the two decisions: no add, edit or delete.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/approve/", self.decision_view(PledgeApproveView), name="approve"),
            path("<int:pk>/reject/", self.decision_view(PledgeRejectView), name="reject"),
        ]

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("index")) + f"?status={PledgeStatus.PENDING}"
