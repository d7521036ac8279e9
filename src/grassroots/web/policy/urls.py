"""The policy page, ``/policy/``, and the organisers' pages under ``/policy/manage/``."""

from __future__ import annotations

from django.urls import path

from grassroots.web.policy import views

app_name = "policy"
urlpatterns = [
    path("policy/", views.policy_list, name="policy_list"),
    path("policy/manage/", views.policy_manage, name="manage"),
    path("policy/new/", views.position_create, name="position_create"),
    path("policy/<int:position_id>/edit/", views.position_edit, name="position_edit"),
    path(
        "policy/<int:position_id>/move/<str:direction>/",
        views.position_move,
        name="position_move",
    ),
    path("policy/<int:position_id>/delete/", views.position_delete, name="position_delete"),
]
