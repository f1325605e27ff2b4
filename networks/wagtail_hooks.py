from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_moderate(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.application_index, name="application_index"),
        path("<int:pk>/", admin_views.application_detail, name="application_detail"),
        path("<int:pk>/approve/", admin_views.application_approve, name="application_approve"),
        path("<int:pk>/reject/", admin_views.application_reject, name="application_reject"),
    ]
    return [path("network-applications/", include((urls, "networks_admin")))]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ModeratorMenuItem(
        "Network applications",
        reverse("networks_admin:application_index"),
        icon_name="group",
        order=210,
    )
