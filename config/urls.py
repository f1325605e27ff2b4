from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api_router
from hub import views as hub_views
from hub.topics.sitemaps import TopicSitemap

urlpatterns = [
    path("admin/", include("hub.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("preferences/", include("hub.digest.urls")),
    path("api/v2/", api_router.urls),
    path("search/", hub_views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap, "topics": TopicSitemap}}),
    path("robots.txt", hub_views.robots_txt, name="robots_txt"),
    path("networks/", include("networks.urls")),
    path("events/", include("events.urls")),
    path("signatures/", include("campaigns.urls")),
    # Shadows any Wagtail page with the slug "topics" directly under the home page.
    path("topics/", include("hub.topics.urls")),
]

urlpatterns += [
    # Editors' uploads (logos, images) on the shared media volume; a CDN or proxy may take over.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include(wagtail_urls)),
]
