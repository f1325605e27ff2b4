from django.urls import path

from . import views

app_name = "digests"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("follow/network/<int:network_id>/", views.network_follow, name="network_follow"),
    path("follow/topic/<int:topic_id>/", views.topic_follow, name="topic_follow"),
    path("follow/demand/<int:demand_id>/", views.demand_follow, name="demand_follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="digest_unsubscribe"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.subscriber_confirm, name="subscriber_confirm"),
]
