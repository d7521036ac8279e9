from __future__ import annotations

from django.urls import path

from grassroots.web.affiliation import views

app_name = "affiliation"
urlpatterns = [
    path("affiliate/", views.apply, name="apply"),
    path("affiliate/thanks/", views.apply_done, name="apply_done"),
    path("affiliate/representatives/<str:token>/", views.representatives, name="representatives"),
    path("organise/applications/", views.application_list, name="application_list"),
    path(
        "organise/applications/<int:application_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "organise/applications/<int:application_id>/ballot/",
        views.application_ballot,
        name="application_ballot",
    ),
    path(
        "organise/applications/<int:application_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
]
