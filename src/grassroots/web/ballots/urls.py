from __future__ import annotations

from django.urls import path

from grassroots.web.ballots import views

app_name = "ballots"

urlpatterns = [
    path("ballots/<slug:slug>/vote/<str:token>/", views.vote, name="vote"),
]
