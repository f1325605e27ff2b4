"""Our admin views at Wagtail's own addresses, included before Wagtail's admin URLs: those of
its `register_admin_urls` hook come after its own, which would answer first. Decorated as
Wagtail decorates its own."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .admin_access import (
    PublicOrOwnBrowseView,
    PublicOrOwnChosenMultipleView,
    PublicOrOwnPageTypesUsageReportView,
)

urlpatterns = [
    path("choose-page/", PublicOrOwnBrowseView.as_view()),
    path("choose-page/<int:parent_page_id>/", PublicOrOwnBrowseView.as_view()),
    path("choose-page/chosen-multiple/", PublicOrOwnChosenMultipleView.as_view()),
    path("reports/page-types-usage/", PublicOrOwnPageTypesUsageReportView.as_view()),
    path(
        "reports/page-types-usage/results/",
        PublicOrOwnPageTypesUsageReportView.as_view(results_only=True),
    ),
]
for decorator in [require_admin_access, display_custom_404, never_cache]:
    urlpatterns = decorate_urlpatterns(urlpatterns, decorator)
