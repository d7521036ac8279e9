from __future__ import annotations

from django.urls import path

from grassroots.web.elections import forecast_page, views

app_name = "elections"
urlpatterns = [
    path("elections/", views.party_election_list, name="party_election_list"),
    path("elections/history/", views.history_view, name="history"),
    path(
        "elections/<slug:election_slug>/<slug:section_slug>/",
        views.nomination_tracker,
        name="nomination_tracker",
    ),
    path(
        "elections/<slug:election_slug>/<slug:section_slug>/result/",
        views.result_detail,
        name="result_detail",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/nominations/",
        views.nomination_record,
        name="nomination_record",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/nominations/import/",
        views.nomination_import,
        name="nomination_import",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/result/",
        views.result_import,
        name="result_import",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/forecast/",
        forecast_page.forecast_view,
        name="forecast",
    ),
    path("organise/elections/", views.election_manage_list, name="election_manage_list"),
    path("organise/elections/new/", views.party_election_create, name="party_election_create"),
    path(
        "organise/elections/<slug:election_slug>/",
        views.election_organise,
        name="election_organise",
    ),
    path(
        "organise/elections/<slug:election_slug>/edit/",
        views.party_election_edit,
        name="party_election_edit",
    ),
    path(
        "organise/elections/<slug:election_slug>/delete/",
        views.party_election_delete,
        name="party_election_delete",
    ),
    path(
        "organise/elections/<slug:election_slug>/sections/new/",
        views.section_create,
        name="section_create",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/",
        views.slate_manage,
        name="slate_manage",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/<int:slate_id>/",
        views.slate_edit,
        name="slate_edit",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/<int:slate_id>/delete/",
        views.slate_delete,
        name="slate_delete",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/<int:slate_id>/members/",
        views.slate_member_add,
        name="slate_member_add",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/<int:slate_id>/members/"
        "<int:membership_id>/",
        views.slate_member_edit,
        name="slate_member_edit",
    ),
    path(
        "organise/elections/<slug:election_slug>/slates/<int:slate_id>/members/"
        "<int:membership_id>/remove/",
        views.slate_member_remove,
        name="slate_member_remove",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/edit/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/delete/",
        views.section_delete,
        name="section_delete",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/candidates/",
        views.candidate_manage,
        name="candidate_manage",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/candidates/"
        "<int:candidate_id>/",
        views.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "organise/elections/<slug:election_slug>/<slug:section_slug>/candidates/"
        "<int:candidate_id>/delete/",
        views.candidate_delete,
        name="candidate_delete",
    ),
]
