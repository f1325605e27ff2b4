from django.urls import reverse
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from hub.dashboard import WAITING_HOOK, WaitingItem
from networks.sections import SECTIONS_HOOK as NETWORK_SECTIONS_HOOK

from . import sections, selectors
from .admin_views import PledgePermissionPolicy, PledgeViewSet
from .models import Pledge, PledgeStatus

register_permission_policy(Pledge, PledgePermissionPolicy(Pledge))


@hooks.register("register_admin_viewset")
def register_pledge_viewset():
    return PledgeViewSet()


@hooks.register(WAITING_HOOK)
def waiting_pledges(request):
    if not selectors.can_review(request.user):
        return None
    return WaitingItem(
        count=Pledge.objects.filter(status=PledgeStatus.PENDING).count(),
        singular="pledge waiting for review",
        plural="pledges waiting for review",
        url=reverse("pledges_review:index") + f"?status={PledgeStatus.PENDING}",
    )


hooks.register(NETWORK_SECTIONS_HOOK, sections.network_pledges_section)
