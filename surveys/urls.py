from django.urls import path

from . import account_views

app_name = "surveys"

# Mounted at /account/surveys/, beside the member's home (digests.home_urls).
urlpatterns = [
    path(
        "<int:response_id>/delete/",
        account_views.response_delete,
        name="response_delete",
    ),
]
