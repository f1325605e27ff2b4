from django.contrib.sitemaps import Sitemap

from .models import Target


class TargetSitemap(Sitemap):
    """Target pages are Django views, not Wagtail pages, so Wagtail's sitemap does not see them."""

    def items(self):
        return Target.objects.order_by("name")
