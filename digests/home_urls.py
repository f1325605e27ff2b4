from django.urls import path

from . import views

app_name = "home"

# A member's home: mounted at /account/, a root prefix no page can take (hub.forms.routed_slugs).
urlpatterns = [
    path("", views.home, name="index"),
    path("digest/", views.home_digest, name="digest"),
    path("rsvps/<int:rsvp_id>/cancel/", views.home_rsvp_cancel, name="rsvp_cancel"),
    path("rsvps/<int:rsvp_id>/take/", views.home_rsvp_take, name="rsvp_take"),
    path(
        "signatures/<int:signature_id>/withdraw/",
        views.home_signature_withdraw,
        name="signature_withdraw",
    ),
]
