from django.urls import path

from . import views

app_name = "events"

# Links that belong to no page (the finder's feed is its own route): mounted at /event-links/,
# a root prefix no page can take (hub.forms.TopLevelPageForm).
urlpatterns = [
    path("event-<int:pk>.ics", views.event_ics, name="event_ics"),
    path("networks/<slug:slug>.ics", views.network_feed, name="network_feed"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("rsvp/<str:token>/confirm/", views.rsvp_confirm, name="rsvp_confirm"),
    path("rsvp/<str:token>/cancel/", views.rsvp_cancel, name="rsvp_cancel"),
    path("rsvp/<str:token>/event.ics", views.rsvp_ics, name="rsvp_ics"),
    path("rsvp/<str:token>/take/", views.rsvp_take, name="rsvp_take"),
    path("co-organising/<int:pk>/", views.co_organiser_invitation, name="co_organiser_invitation"),
]
