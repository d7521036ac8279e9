from __future__ import annotations

from django.urls import path

from grassroots.web.invitations import views

app_name = "invitations"
urlpatterns = [
    path("me/invite/", views.invite, name="invite"),
    path("join/invited/<str:token>/", views.join, name="join"),
    path("organise/invitations/", views.counts, name="counts"),
]
