from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.pledge_index, name="index"),
    path("new/", views.pledge_new, name="new"),
    path("yours/", views.pledges_yours, name="yours"),
    path("confirm/<str:token>/", views.pledger_confirm, name="pledger_confirm"),
    path("withdraw/<str:token>/", views.pledger_withdraw, name="pledger_withdraw"),
    path("write/<str:token>/", views.pledger_contact, name="pledger_contact"),
    path("<slug:slug>/", views.pledge_detail, name="detail"),
    path("<slug:slug>/pledge-as-member/", views.pledge_as_member, name="pledge_as_member"),
]
