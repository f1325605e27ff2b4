from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("confirm/<str:token>/", views.signature_confirm, name="signature_confirm"),
    path("withdraw/<str:token>/", views.signature_withdraw, name="signature_withdraw"),
    path(
        "networks/<int:network_id>/signers.csv",
        views.network_signers_csv,
        name="network_signers_csv",
    ),
]
