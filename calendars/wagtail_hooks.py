from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import CalendarFeedViewSet, FeedPermissionPolicy
from .models import CalendarFeed

register_permission_policy(CalendarFeed, FeedPermissionPolicy(CalendarFeed))


@hooks.register("register_admin_viewset")
def register_calendar_feed_viewset():
    return CalendarFeedViewSet()
