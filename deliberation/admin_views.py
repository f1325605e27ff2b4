"""Amendments, decisions and votes in the Wagtail admin.

Hub moderators (selectors.can_decide) list everything and open decisions: on an amendment from
its inspect view, or on adopting a draft demand into its platform. Network admins see, read
only, their own networks' amendments and votes. Nobody else sees any of it, and no admin URL
here opens or closes a decision for anyone but a moderator: closing is beat's, at the deadline.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from campaigns.models import DemandPage, PlatformPage
from hub.admin_access import ReadOnlyPermissionPolicy
from hub.exports import SpreadsheetSafeIndexView, SpreadsheetSafeRecordsViewSet, local_minutes
from networks.models import Membership, MembershipRole

from . import display, selectors, services
from .forms import DecisionOpenForm
from .models import Amendment, AmendmentStatus, Decision, DecisionKind, Vote


def administered_network_ids(user):
    return Membership.objects.filter(
        user=user, role=MembershipRole.ADMIN, network__live=True
    ).values("network_id")


def is_network_admin(user) -> bool:
    return user.is_active and administered_network_ids(user).exists()


def amendments_seen_by(user):
    amendments = Amendment.objects.select_related("demand", "network", "version")
    if selectors.can_decide(user):
        return amendments
    return amendments.filter(network__in=administered_network_ids(user))


def votes_seen_by(user):
    votes = Vote.objects.select_related("decision", "decision__demand", "network")
    if selectors.can_decide(user):
        return votes
    return votes.filter(network__in=administered_network_ids(user))


class ModeratorOrNetworkAdminPolicy(ReadOnlyPermissionPolicy):
    """Read only: moderators see every row, a network's admins their own networks' rows."""

    seen_by = None

    def user_has_permission(self, user, action):
        return action == "view" and (selectors.can_decide(user) or is_network_admin(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and type(self).seen_by(user).filter(pk=instance.pk).exists()


class AmendmentPermissionPolicy(ModeratorOrNetworkAdminPolicy):
    seen_by = staticmethod(amendments_seen_by)


class VotePermissionPolicy(ModeratorOrNetworkAdminPolicy):
    seen_by = staticmethod(votes_seen_by)


class DecisionPermissionPolicy(ReadOnlyPermissionPolicy):
    """Decisions are listed for moderators only; each network's part in them is its votes."""

    def user_has_permission(self, user, action):
        return action == "view" and selectors.can_decide(user)


def demand_link(record):
    demand = record.demand if not isinstance(record, Vote) else record.decision.demand
    return format_html('<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[demand.pk]),
                       demand.title)  # fmt: skip


# --- Amendments -----------------------------------------------------------------------------
class AmendmentIndexView(SpreadsheetSafeIndexView):
    page_title = "Amendments"
    custom_field_preprocess = {"created_at": {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}}

    def get_base_queryset(self):
        return amendments_seen_by(self.request.user)

    @cached_property
    def no_results_message(self):
        if self.is_filtering or self.is_searching:
            return "No amendments match these filters."
        return "No network has proposed an amendment yet."


class AmendmentInspectView(InspectView):
    template_name = "deliberation/admin/amendment_inspect.html"
    open_url_name = None
    labels = {"network": "Proposed by", "version": "To version", "created_at": "Proposed"}

    def get_object(self, queryset=None):
        return get_object_or_404(amendments_seen_by(self.request.user), pk=self.pk)

    def get_page_title(self):
        return f"Amendment {self.object.pk}"

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_version_display_value(self):
        return f"Version {self.object.version.number}"

    def may_open(self) -> bool:
        return (
            selectors.can_decide(self.request.user)
            and self.object.status == AmendmentStatus.OPEN
            and selectors.decision_open_for(amendment=self.object) is None
        )

    @cached_property
    def header_buttons(self):
        if not self.may_open():
            return []
        url = reverse(self.open_url_name, args=[self.object.pk])
        return [HeaderButton("Open a decision", url=url, icon_name="tasks")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view = display.amendment_view(
            self.object,
            current_ask=self.object.demand.ask,
            current_case=display.case_text(self.object.demand.case.raw_data),
        )
        context.update({"view": view, "supports": view.supporters, "comments": view.comments})
        return context


class DecisionOpenMixin(WagtailAdminTemplateMixin):
    """A moderator's form that opens a decision; anyone else is refused before it is shown."""

    template_name = "deliberation/admin/decision_open.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_decide(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def decision_open(self, form, *, kind, demand, amendment=None):
        try:
            decision = services.decision_open(
                kind=kind,
                demand=demand,
                amendment=amendment,
                deadline=form.cleaned_data["deadline"],
                quorum=form.cleaned_data["quorum"],
                threshold=form.cleaned_data["threshold"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
            response = self.form_invalid(form)
            response.status_code = 400
            return response
        messages.success(
            self.request,
            f"The decision is open until {form.cleaned_data['deadline']:%d %B %Y, %H:%M}; the "
            "co-signing networks' admins are told.",
        )
        return redirect(reverse("deliberation_decisions:inspect", args=[decision.pk]))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class AmendmentDecisionOpenView(DecisionOpenMixin, FormView):
    form_class = DecisionOpenForm
    page_title = "Open a decision"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.amendment = get_object_or_404(
            Amendment.objects.select_related("demand", "network"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return f"Amendment {self.amendment.pk} to {self.amendment.demand.title}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "amendment": self.amendment}

    def form_valid(self, form):
        return self.decision_open(
            form, kind=DecisionKind.AMENDMENT, demand=self.amendment.demand,
            amendment=self.amendment,
        )  # fmt: skip


class AmendmentViewSet(SpreadsheetSafeRecordsViewSet):
    model = Amendment
    name = "deliberation_amendments"
    url_prefix = "amendments"
    icon = "edit"
    menu_label = "Amendments"
    menu_order = 230
    add_to_admin_menu = True
    index_view_class = AmendmentIndexView
    inspect_view_class = AmendmentInspectView
    list_display = [
        Column("title", label="Amendment", accessor=str),
        Column("demand", label="Demand", accessor=demand_link),
        Column("network", label="Proposed by", accessor="network.title"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        DateColumn("created_at", label="Proposed", sort_key="created_at"),
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["reason", "ask"]
    ordering = "-created_at"
    list_export = ["pk", "demand", "network", "get_status_display", "ask", "reason", "created_at"]
    export_headings = {
        "pk": "Amendment",
        "demand": "Demand",
        "network": "Proposed by",
        "get_status_display": "Status",
        "ask": "New ask",
        "reason": "Reason",
        "created_at": "Proposed",
    }
    export_filename = "amendments"
    inspect_view_fields = ["status", "demand", "network", "version", "ask", "case", "reason",
                           "created_at"]  # fmt: skip

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            open_url_name=self.get_url_name("open_decision"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/open-decision/",
                AmendmentDecisionOpenView.as_view(),
                name="open_decision",
            ),
        ]


# --- Decisions ------------------------------------------------------------------------------
class DecisionIndexView(SpreadsheetSafeIndexView):
    page_title = "Decisions"
    custom_field_preprocess = {
        field: {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}
        for field in ("opened_at", "deadline", "closed_at")
    }

    def get_base_queryset(self):
        return Decision.objects.select_related("demand", "amendment")

    @cached_property
    def header_buttons(self):
        url = reverse("deliberation_decisions:open_adoption")
        return [HeaderButton("Open a decision on adopting a demand", url=url, icon_name="plus")]

    @cached_property
    def no_results_message(self):
        if self.is_filtering or self.is_searching:
            return "No decisions match these filters."
        return "No decision has been opened yet."


class DecisionInspectView(InspectView):
    template_name = "deliberation/admin/decision_inspect.html"
    labels = {"opened_by": "Opened by", "result_version": "Version it published"}

    def get_page_title(self):
        return f"Decision {self.object.pk}"

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "dv": display.decision_view(self.object)}


class DraftDemandField(forms.ModelChoiceField):
    def label_from_instance(self, demand):
        return f"{demand.title} ({demand.get_parent().title})"


class AdoptionOpenForm(DecisionOpenForm):
    demand = DraftDemandField(
        label="Demand to adopt",
        queryset=DemandPage.objects.none(),
        help_text="A draft demand in a platform. If the networks carry it, it is published.",
    )

    field_order = ["demand", "deadline", "quorum", "threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        platforms = PlatformPage.objects.all()
        drafts = DemandPage.objects.filter(live=False)
        self.fields["demand"].queryset = (
            drafts.filter(pk__in=[d.pk for p in platforms for d in drafts.child_of(p)])
            .exclude(decisions__closed_at__isnull=True, decisions__kind=DecisionKind.ADOPTION)
            .order_by("title")
        )


class AdoptionDecisionOpenView(DecisionOpenMixin, FormView):
    form_class = AdoptionOpenForm
    page_title = "Open a decision on adopting a demand"

    def form_valid(self, form):
        return self.decision_open(
            form, kind=DecisionKind.ADOPTION, demand=form.cleaned_data["demand"]
        )


class DecisionViewSet(SpreadsheetSafeRecordsViewSet):
    model = Decision
    name = "deliberation_decisions"
    url_prefix = "decisions"
    icon = "tasks"
    menu_label = "Decisions"
    menu_order = 231
    add_to_admin_menu = True
    index_view_class = DecisionIndexView
    inspect_view_class = DecisionInspectView
    list_display = [
        Column("title", label="Decision", accessor=str),
        Column("demand", label="Demand", accessor=demand_link),
        DateColumn("deadline", label="Voting closes", sort_key="deadline"),
        Column("threshold", label="Threshold", accessor="get_threshold_display"),
        Column("outcome", label="Outcome", accessor="get_outcome_display", sort_key="outcome"),
    ]
    list_filter = ["kind", "outcome", "deadline"]
    ordering = "-opened_at"
    list_export = ["pk", "get_kind_display", "demand", "amendment_id", "opened_at", "deadline",
                   "quorum", "get_threshold_display", "closed_at", "get_outcome_display",
                   "eligible"]  # fmt: skip
    export_headings = {
        "pk": "Decision",
        "get_kind_display": "Kind",
        "demand": "Demand",
        "amendment_id": "Amendment",
        "opened_at": "Opened",
        "deadline": "Voting closes",
        "quorum": "Quorum (%)",
        "get_threshold_display": "Threshold",
        "closed_at": "Closed",
        "get_outcome_display": "Outcome",
        "eligible": "Networks entitled to vote",
    }
    export_filename = "decisions"
    inspect_view_fields = ["kind", "demand", "amendment", "opened_by", "opened_at", "deadline",
                           "quorum", "threshold", "closed_at", "outcome", "eligible",
                           "result_version"]  # fmt: skip

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("open-adoption/", AdoptionDecisionOpenView.as_view(), name="open_adoption"),
        ]


# --- Votes ----------------------------------------------------------------------------------
class VoteIndexView(SpreadsheetSafeIndexView):
    page_title = "Votes"
    custom_field_preprocess = {
        field: {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}
        for field in ("cast_at", "changed_at")
    }

    def get_base_queryset(self):
        return votes_seen_by(self.request.user)

    @cached_property
    def no_results_message(self):
        if self.is_filtering:
            return "No votes match these filters."
        return "No votes yet."


class VoteInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(votes_seen_by(self.request.user), pk=self.pk)

    def get_page_title(self):
        return "Vote"


class VoteViewSet(SpreadsheetSafeRecordsViewSet):
    model = Vote
    name = "deliberation_votes"
    url_prefix = "votes"
    icon = "tick"
    menu_label = "Votes"
    menu_order = 232
    add_to_admin_menu = True
    index_view_class = VoteIndexView
    inspect_view_class = VoteInspectView
    list_display = [
        Column("network", label="Network", accessor="network.title"),
        Column("decision", label="Decision", accessor="decision"),
        Column("demand", label="Demand", accessor=demand_link),
        Column("choice", label="Vote", accessor="get_choice_display", sort_key="choice"),
        DateColumn("changed_at", label="Last changed", sort_key="changed_at"),
    ]
    list_filter = ["choice", "changed_at"]
    ordering = ["-changed_at"]
    list_export = ["network", "decision", "get_choice_display", "cast_at", "changed_at"]
    export_headings = {
        "network": "Network",
        "decision": "Decision",
        "get_choice_display": "Vote",
        "cast_at": "Cast",
        "changed_at": "Last changed",
    }
    export_filename = "votes"
    inspect_view_fields = ["decision", "network", "choice", "cast_at", "changed_at"]
