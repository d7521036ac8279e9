from __future__ import annotations

from django.urls import path

from grassroots.web.ballots import sealed_views, views

app_name = "ballots"

urlpatterns = [
    path("ballots/", views.ballot_list, name="ballot_list"),
    path("ballots/new/", views.ballot_new, name="new"),
    path("ballots/mine/", views.ballot_mine, name="mine"),
    path("ballots/<slug:slug>/", views.ballot_detail, name="detail"),
    path("ballots/<slug:slug>/edit/", views.ballot_edit, name="edit"),
    path("ballots/<slug:slug>/manage/", views.ballot_manage, name="manage"),
    path("ballots/<slug:slug>/manage/<str:action>/", views.ballot_control, name="control"),
    path("ballots/<slug:slug>/result/", views.ballot_result, name="result"),
    path("ballots/<slug:slug>/result.json", views.ballot_result_json, name="result_json"),
    path("ballots/<slug:slug>/ballots.blt", views.ballot_blt, name="blt"),
    path("ballots/<slug:slug>/categories.csv", views.ballot_categories, name="categories"),
    path("ballots/<slug:slug>/receipts.txt", views.ballot_receipts, name="receipts"),
    path("ballots/<slug:slug>/link/", views.voting_link_resend, name="link_resend"),
    path("ballots/<slug:slug>/board.json", sealed_views.board_json, name="board"),
    path("ballots/<slug:slug>/bundle.json", sealed_views.bundle_json, name="bundle"),
    path("ballots/<slug:slug>/trustee/", sealed_views.trustee_page, name="trustee"),
    path(
        "ballots/<slug:slug>/trustee/files/<str:name>",
        sealed_views.trustee_file,
        name="trustee_file",
    ),
    path(
        "ballots/<slug:slug>/trustee/<str:step>/",
        sealed_views.trustee_upload,
        name="trustee_upload",
    ),
    path("ballots/<slug:slug>/vote/", views.vote, name="vote"),
    path("ballots/<slug:slug>/vote/<str:token>/", views.vote_link, name="vote_link"),
]
