from django.urls import path

from . import views

app_name = "events"

# Mounted at /events/ beside the Wagtail pages: page slugs cannot contain dots, and event pages
# have no children, so none of these can shadow a page.
urlpatterns = [
    path("calendar.ics", views.finder_feed, name="finder_feed"),
    path("event-<int:pk>.ics", views.event_ics, name="event_ics"),
    path("networks/<slug:slug>.ics", views.network_feed, name="network_feed"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("rsvp/<str:token>/confirm/", views.rsvp_confirm, name="rsvp_confirm"),
    path("rsvp/<str:token>/cancel/", views.rsvp_cancel, name="rsvp_cancel"),
    path("co-organising/<int:pk>/", views.co_organiser_invitation, name="co_organiser_invitation"),
]
