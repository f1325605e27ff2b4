from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api_router
from hub import views as hub_views
from targets.sitemaps import TargetSitemap
from topics.sitemaps import TopicSitemap

urlpatterns = [
    path("admin/", include("hub.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("account/surveys/", include("surveys.urls")),
    path("account/", include("digests.home_urls")),
    path("preferences/", include("digests.urls")),
    path("api/v2/", api_router.urls),
    path("search/", hub_views.search, name="search"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "topics": TopicSitemap, "targets": TargetSitemap}},
    ),
    path("robots.txt", hub_views.robots_txt, name="robots_txt"),
    path("event-links/", include("events.urls")),
    path("signatures/", include("campaigns.urls")),
    path("amendments/", include("deliberation.urls")),
    path("pledges/", include("pledges.urls")),
    # These shadow any Wagtail page with the slug "topics" or "targets" directly under the home
    # page (hub.forms.TopLevelPageForm refuses such a slug).
    path("topics/", include("topics.urls")),
    path("targets/", include("targets.urls")),
]

urlpatterns += [
    # Images and their renditions from the shared media volume; a CDN or proxy may take these
    # folders over. Documents live there too but are served by /documents/ alone, which checks
    # their collection's privacy.
    re_path(r"^media/(?P<folder>images|original_images)/(?P<path>.*)$", hub_views.media),
    # Page routes named like files (the finder's calendar.ics, a survey's results.csv and its
    # charts' .svg and .png), which Wagtail's own pattern below, slugs each ending in a slash,
    # does not take.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|csv|svg|png))$", wagtail_views.serve),
    path("", include(wagtail_urls)),
    # Wagtail's pattern above takes only slug characters, but a page's routes may also take a
    # signed token as their last segment, with ":" (always) and "." in it (a network's
    # invitations). Only such a segment: a file name with a slash added is no page's URL.
    re_path(r"^((?:[\w\-]+/)*[\w\-.]*:[\w\-.:]*/)$", wagtail_views.serve),
]
