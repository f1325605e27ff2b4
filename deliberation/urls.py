from django.urls import path

from . import views

app_name = "deliberation"

# Mounted at /amendments/, a root prefix no page can take (hub.forms.routed_slugs).
urlpatterns = [
    path("propose/<int:demand_id>/", views.propose, name="propose"),
    path("<int:pk>/", views.amendment_detail, name="amendment"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/vote/", views.vote, name="vote"),
]
