from __future__ import annotations

from django.urls import path

from grassroots.web.constituencies import views

app_name = "constituencies"
urlpatterns = [
    path("clps/", views.clp_list, name="clp_list"),
]
