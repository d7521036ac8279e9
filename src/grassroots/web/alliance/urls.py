from __future__ import annotations

from django.urls import path

from grassroots.web.alliance import views

app_name = "alliance"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("committee/", views.committee, name="committee"),
    path("committee/agree/<str:token>/", views.representative_agree, name="representative_agree"),
    path("groups/request/", views.group_request_add, name="group_request_add"),
    path(
        "organise/organisations/",
        views.organisation_manage_list,
        name="organisation_manage_list",
    ),
    path("organise/organisations/new/", views.organisation_add, name="organisation_add"),
    path(
        "organise/organisations/<int:organisation_id>/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organise/organisations/<int:organisation_id>/representatives/",
        views.representative_list,
        name="representative_list",
    ),
    path(
        "organise/organisations/<int:organisation_id>/representatives/<int:representative_id>/end/",
        views.representative_end,
        name="representative_end",
    ),
    path(
        "organise/organisations/<int:organisation_id>/members/",
        views.membership_list,
        name="membership_list",
    ),
    path(
        "organise/organisations/<int:organisation_id>/members/<int:membership_id>/confirm/",
        views.membership_decide,
        {"decision": "confirm"},
        name="membership_confirm",
    ),
    path(
        "organise/organisations/<int:organisation_id>/members/<int:membership_id>/end/",
        views.membership_decide,
        {"decision": "end"},
        name="membership_end",
    ),
    path("me/organisations/", views.membership_mine, name="membership_mine"),
    path(
        "me/organisations/vote-with/",
        views.membership_vote_with,
        name="membership_vote_with",
    ),
    path(
        "me/organisations/<int:membership_id>/withdraw/",
        views.membership_withdraw,
        name="membership_withdraw",
    ),
    path("organise/rules/", views.rules_edit, name="rules_edit"),
    path("organise/group-requests/", views.group_request_list, name="group_request_list"),
    path(
        "organise/group-requests/<int:request_id>/",
        views.group_request_put_in_touch,
        name="group_request_put_in_touch",
    ),
]
