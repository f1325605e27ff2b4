from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import ApplicationPermissionPolicy, NetworkApplicationViewSet
from .models import NetworkApplication

register_permission_policy(NetworkApplication, ApplicationPermissionPolicy(NetworkApplication))


@hooks.register("register_admin_viewset")
def register_network_application_viewset():
    return NetworkApplicationViewSet()
