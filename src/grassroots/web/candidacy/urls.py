"""Candidates' pages under ``/candidates/``, and a ballot's paper order beside its other
pages at ``/ballots/<slug>/paper/``."""

from __future__ import annotations

from django.urls import path

from grassroots.web.candidacy import views

app_name = "candidacy"
urlpatterns = [
    path("candidates/", views.questionnaire_list, name="questionnaire_list"),
    path("candidates/new/", views.questionnaire_create, name="questionnaire_create"),
    path("candidates/<int:questionnaire_id>/", views.compare, name="compare"),
    path(
        "candidates/<int:questionnaire_id>/edit/",
        views.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path("candidates/<int:questionnaire_id>/manage/", views.manage, name="manage"),
    path("candidates/profile/<int:profile_id>/", views.profile, name="profile"),
    path("candidates/profile/<int:profile_id>/edit/", views.profile_edit, name="profile_edit"),
    path("candidates/profile/<int:profile_id>/link/", views.profile_link, name="profile_link"),
    path("candidates/answer/<str:token>/", views.answer, name="answer"),
    path("ballots/<slug:slug>/paper/", views.ballot_paper, name="ballot_paper"),
]
