from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.target_index, name="index"),
    path("<slug:slug>/", views.target_detail, name="detail"),
]
