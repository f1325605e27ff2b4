from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from campaigns.models import DemandPage
from campaigns.sections import SECTIONS_HOOK
from networks.sections import SECTIONS_HOOK as NETWORK_SECTIONS_HOOK

from . import sections, views
from .admin_views import DeliveriesGroup

hooks.register(SECTIONS_HOOK, views.demand_timeline_section)


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


hooks.register(NETWORK_SECTIONS_HOOK, sections.network_deliveries_section)
