from django.urls import path

from . import views
from .feeds import PositionsFeed

app_name = "networks"

# Mounted at /networks/; the first segments here are in models.RESERVED_SLUGS.
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("positions/", views.position_index, name="positions"),
    path("positions/feed/", PositionsFeed(), name="feed"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:network>/positions/feed/", PositionsFeed(), name="network_feed"),
    path("<slug:network>/members/", views.members, name="members"),
    path("<slug:network>/members/invite/", views.invite, name="invite"),
    path("<slug:network>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:network>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:network>/leave/", views.leave, name="leave"),
]
