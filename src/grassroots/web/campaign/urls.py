from __future__ import annotations

from django.urls import path

from grassroots.web.campaign import views

app_name = "campaign"
urlpatterns = [
    path("organise/campaign/", views.campaign_index, name="index"),
    path("organise/campaign/drives/<int:drive_id>/", views.drive_detail, name="drive_detail"),
    path(
        "organise/campaign/drives/<int:drive_id>/targets/",
        views.drive_targets,
        name="drive_targets",
    ),
    path(
        "organise/campaign/drives/<int:drive_id>/reports/<int:report_id>/confirm/",
        views.report_confirm,
        name="report_confirm",
    ),
    path(
        "organise/campaign/drives/<int:drive_id>/reports/<int:report_id>/reject/",
        views.report_reject,
        name="report_reject",
    ),
    path("organise/campaign/plans/new/", views.plan_create, name="plan_create"),
    path("organise/campaign/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path(
        "organise/campaign/plans/<int:plan_id>/runs/",
        views.plan_run_request,
        name="plan_run_request",
    ),
    path(
        "organise/campaign/plans/<int:plan_id>/runs/<int:run_id>/",
        views.plan_run_detail,
        name="plan_run",
    ),
    path(
        "organise/campaign/plans/<int:plan_id>/runs/<int:run_id>/progress/",
        views.plan_run_progress,
        name="plan_run_progress",
    ),
    path(
        "organise/campaign/plans/<int:plan_id>/runs/<int:run_id>/apply/",
        views.plan_run_apply,
        name="plan_run_apply",
    ),
    path(
        "organise/campaign/plans/<int:plan_id>/publish/",
        views.plan_publish,
        name="plan_publish",
    ),
    path("campaign/<int:drive_id>/volunteer/", views.volunteer, name="volunteer"),
    path("campaign/<int:drive_id>/meeting/", views.meeting_record, name="meeting_record"),
    path("campaign/<int:drive_id>/outcome/", views.outcome_report, name="outcome_report"),
]
