"""Versions in the Wagtail admin: read only, for hub moderators. Editors change a demand's
wording by publishing it, which records the version; nobody edits a version afterwards."""

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from hub.exports import SpreadsheetSafeRecordsViewSet

from .models import DemandVersion, PlatformVersion


class DemandVersionViewSet(SpreadsheetSafeRecordsViewSet):
    model = DemandVersion
    name = "demand_versions"
    url_prefix = "demand-versions"
    icon = "history"
    menu_label = "Demand versions"
    list_display = [
        Column("demand", label="Demand", accessor="demand"),
        "number",
        "agreed_by",
        DateColumn("published_at", label="Published", sort_key="published_at"),
    ]
    list_filter = ["demand"]
    search_fields = ["ask", "agreed_by"]
    ordering = ["demand__title", "-number"]
    list_export = ["demand", "number", "ask", "agreed_by", "published_at"]
    export_filename = "demand-versions"
    inspect_view_fields = ["demand", "number", "ask", "agreed_by", "published_at", "revision"]

    def get_queryset(self, request):
        return DemandVersion.objects.select_related("demand")


class PlatformVersionViewSet(SpreadsheetSafeRecordsViewSet):
    model = PlatformVersion
    name = "platform_versions"
    url_prefix = "platform-versions"
    icon = "list-ol"
    menu_label = "Platform versions"
    list_display = [
        Column("platform", label="Platform", accessor="platform"),
        "number",
        "agreed_by",
        DateColumn("published_at", label="Published", sort_key="published_at"),
    ]
    list_filter = ["platform"]
    ordering = ["platform__title", "-number"]
    list_export = ["platform", "number", "agreed_by", "published_at"]
    export_filename = "platform-versions"
    inspect_view_fields = ["platform", "number", "demands", "agreed_by", "published_at"]

    def get_queryset(self, request):
        return PlatformVersion.objects.select_related("platform")


class VersionsViewSetGroup(ViewSetGroup):
    menu_label = "Versions"
    menu_icon = "history"
    menu_order = 220
    items = (DemandVersionViewSet, PlatformVersionViewSet)
