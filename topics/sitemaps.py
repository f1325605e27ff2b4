from django.contrib.sitemaps import Sitemap

from hub.models import Topic


class TopicSitemap(Sitemap):
    """Topic pages are Django views, not Wagtail pages, so Wagtail's sitemap does not see them."""

    def items(self):
        return Topic.objects.order_by("name")
