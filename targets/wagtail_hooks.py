from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from campaigns.models import DemandPage
from campaigns.sections import SECTIONS_HOOK
from hub.search import SEARCH_RECORDS_HOOK, SearchRecord, snippet
from networks.sections import SECTIONS_HOOK as NETWORK_SECTIONS_HOOK

from . import sections, selectors, views
from .admin_views import DeliveriesGroup
from .models import Target
from .target_admin import TargetPermissionPolicy, TargetViewSet

register_permission_policy(Target, TargetPermissionPolicy(Target))
register_snippet(TargetViewSet)

hooks.register(SECTIONS_HOOK, views.demand_timeline_section)
hooks.register(NETWORK_SECTIONS_HOOK, sections.network_deliveries_section)


@hooks.register("register_admin_viewset")
def register_deliveries_viewsets():
    return DeliveriesGroup()


@hooks.register("register_page_header_buttons")
def record_delivery_button(page, user, view_name, next_url=None):
    # On a demand's edit page, for those who may record one (hub moderators).
    if issubclass(page.specific_class or type(page), DemandPage) and user.has_perm(
        "targets.add_delivery"
    ):
        url = reverse("deliveries:add") + f"?demand={page.pk}"
        yield Button("Record a delivery", url=url, icon_name="mail", priority=80)


@hooks.register(SEARCH_RECORDS_HOOK)
def targets_in_site_search(query):
    return [
        SearchRecord(
            kind="Target",
            title=target.name,
            url=target.get_absolute_url(),
            snippet=snippet(target.description),
        )
        for target in selectors.targets_matching(query=query)
    ]
