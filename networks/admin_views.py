"""Hub moderators' review of network applications: a Wagtail listing with filters and a
formula-safe CSV, and an inspect view that approves or rejects."""

from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, DateColumn

from hub.admin_access import ReadOnlyPermissionPolicy
from hub.admin_decisions import ApproveMixin, DecisionInspectView, RejectMixin
from hub.exports import SpreadsheetSafeIndexView, SpreadsheetSafeRecordsViewSet, local_minutes

from . import approval
from .forms import RejectionForm
from .models import ApplicationStatus, NetworkApplication

MODERATE_PERMISSION = "networks.change_networkapplication"


def can_moderate(user) -> bool:
    return user.has_perm(MODERATE_PERMISSION)


class ApplicationPermissionPolicy(ReadOnlyPermissionPolicy):
    """Only hub moderators see applications. An application is made by applying and decided
    by approving or rejecting it, never added, edited or deleted in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and can_moderate(user)


class ApplicationIndexView(SpreadsheetSafeIndexView):
    page_title = "Network applications"
    custom_field_preprocess = {
        field: {SpreadsheetSafeIndexView.FORMAT_CSV: local_minutes}
        for field in ("created_at", "reviewed_at")
    }

    def get_base_queryset(self):
        return NetworkApplication.objects.select_related("applicant")

    @cached_property
    def no_results_message(self):
        if self.is_filtering or self.is_searching:
            return "No applications match these filters."
        return "No network has applied yet."


class ApplicationInspectView(DecisionInspectView):
    """The application in full and, while it waits, the forms that decide it."""

    template_name = "networks/admin/application_inspect.html"
    logo_url_name = None
    rejection_form_class = RejectionForm
    pending_status = ApplicationStatus.PENDING
    decision_fields = {"reviewed_by", "reviewed_at", "rejection_reason", "network"}
    paragraphs = {"description", "how_to_join", "rejection_reason"}
    labels = {
        "reviewed_by": "Decided by",
        "reviewed_at": "Decided",
        "rejection_reason": "Reason given",
        "network": "Network page",
        "public_contact_email": "Public contact",
        "description": "About",
        "founded_year": "Founded",
        "created_at": "Sent",
    }

    def get_page_title(self):
        return "Application"

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_logo_display_value(self):
        if not self.object.logo:
            return None
        url = reverse(self.logo_url_name, args=[self.object.pk])
        return format_html(
            '<img src="{}" alt="The logo sent with the application" width="96" height="96" '
            'style="object-fit: contain">',
            url,
        )

    def get_applicant_display_value(self):
        return f"{self.object.applicant} ({self.object.applicant.email})"

    def get_network_display_value(self):
        if network := self.object.network:
            edit_url = reverse("wagtailadmin_pages:edit", args=[network.pk])
            return format_html('<a href="{}">{}</a>', edit_url, network)
        return None

    def get_regions_display_value(self):
        return ", ".join(map(str, self.object.regions.all())) or "UK-wide"

    def get_topics_display_value(self):
        return ", ".join(map(str, self.object.topics.all()))

    def get_fields_context(self):
        # A blank answer reads as a dash; what only a decision fills is left out until then.
        fields = []
        for field in super().get_fields_context():
            if field["value"] in (None, ""):
                if field["name"] in self.decision_fields:
                    continue
                field["value"] = "—"
            fields.append(field)
        return fields

    def get_context_for_field(self, field_name):
        return {"name": field_name, **super().get_context_for_field(field_name)}


class ApplicationApproveView(ApproveMixin, ApplicationInspectView):
    def approve(self):
        network = approval.network_approve(application=self.object, moderator=self.request.user)
        return f"{network.title} is approved and its page is live."


class ApplicationLogoView(ApplicationInspectView):
    """The uploaded logo, to moderators only: it is in no public media folder."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not self.object.logo:
            raise Http404
        return FileResponse(self.object.logo.open("rb"))


class ApplicationRejectView(RejectMixin, ApplicationInspectView):
    def reject(self, cleaned_data):
        approval.network_reject(
            application=self.object, moderator=self.request.user, reason=cleaned_data["reason"]
        )
        return f"{self.object.name} is rejected; the applicant has been emailed."


class NetworkApplicationViewSet(SpreadsheetSafeRecordsViewSet):
    model = NetworkApplication
    name = "network_applications"
    url_prefix = "network-applications"
    icon = "group"
    menu_label = "Network applications"
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    list_display = [
        "name",
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        Column("applicant", label="Applicant", accessor="applicant.email"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        DateColumn("created_at", label="Sent", sort_key="created_at"),
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["name", "applicant__email"]
    ordering = "-created_at"
    list_export = [
        "name", "get_kind_display", "applicant.email", "get_status_display", "created_at",
        "reviewed_at", "website", "public_contact_email", "founded_year",
    ]  # fmt: skip
    export_headings = {
        "name": "Network",
        "get_kind_display": "Kind",
        "applicant.email": "Applicant",
        "get_status_display": "Status",
        "created_at": "Sent",
        "reviewed_at": "Decided",
        "website": "Website",
        "public_contact_email": "Public contact",
        "founded_year": "Founded",
    }
    export_filename = "network-applications"
    inspect_view_fields = [
        "status", "reviewed_by", "reviewed_at", "rejection_reason", "network", "name", "kind",
        "strapline", "logo", "applicant", "description", "website", "public_contact_email",
        "regions", "topics", "founded_year", "how_to_join", "created_at",
    ]  # fmt: skip

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            approve_url_name=self.get_url_name("approve"),
            reject_url_name=self.get_url_name("reject"),
            logo_url_name=self.get_url_name("logo"),
            **kwargs,
        )

    def decision_view(self, view_class):
        return self.construct_view(view_class, **self.get_inspect_view_kwargs())

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/approve/", self.decision_view(ApplicationApproveView), name="approve"),
            path("<int:pk>/reject/", self.decision_view(ApplicationRejectView), name="reject"),
            path("<int:pk>/logo/", self.decision_view(ApplicationLogoView), name="logo"),
        ]

    @cached_property
    def menu_url(self):
        # Moderators come for the applications that wait for them.
        return reverse(self.get_url_name("index")) + f"?status={ApplicationStatus.PENDING}"
