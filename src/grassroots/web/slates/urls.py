from __future__ import annotations

from django.urls import path

from grassroots.web.slates import views

app_name = "slates"
urlpatterns = [
    path("slates/", views.slate_index, name="slate_index"),
    path(
        "slates/<slug:election_slug>/<slug:section_slug>/",
        views.slate_detail,
        name="slate_detail",
    ),
    path(
        "slates/<slug:election_slug>/<slug:section_slug>/nominees/",
        views.nominee_list,
        name="nominee_list",
    ),
    path(
        "organise/slates/<slug:election_slug>/<slug:section_slug>/nominate/",
        views.slate_nominate,
        name="nominate",
    ),
    path(
        "organise/slates/<slug:election_slug>/<slug:section_slug>/",
        views.slate_ballot,
        name="slate_ballot",
    ),
    path(
        "organise/slates/<slug:election_slug>/<slug:section_slug>/publish/<slug:ballot_slug>/",
        views.slate_publish,
        name="publish",
    ),
    path(
        "organise/slates/<slug:election_slug>/<slug:section_slug>/endorsements/",
        views.endorsement_record,
        name="endorsement_record",
    ),
]
