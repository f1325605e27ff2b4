from django.urls import reverse
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from hub.dashboard import WAITING_HOOK, WaitingItem

from .admin_views import ApplicationPermissionPolicy, NetworkApplicationViewSet, can_moderate
from .models import ApplicationStatus, NetworkApplication

register_permission_policy(NetworkApplication, ApplicationPermissionPolicy(NetworkApplication))


@hooks.register("register_admin_viewset")
def register_network_application_viewset():
    return NetworkApplicationViewSet()


@hooks.register(WAITING_HOOK)
def waiting_applications(request):
    if not (request.user.is_active and can_moderate(request.user)):
        return None
    return WaitingItem(
        count=NetworkApplication.objects.filter(status=ApplicationStatus.PENDING).count(),
        singular="network application waiting",
        plural="network applications waiting",
        url=reverse("network_applications:index") + f"?status={ApplicationStatus.PENDING}",
    )
