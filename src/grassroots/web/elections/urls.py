from __future__ import annotations

from django.urls import path

from grassroots.web.elections import views

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
]
