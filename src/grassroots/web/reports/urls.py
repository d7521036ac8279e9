from __future__ import annotations

from django.urls import path

from grassroots.web.reports import views

app_name = "reports"
urlpatterns = [
    path("representatives/", views.reporter_list, name="reporter_list"),
    path("representatives/<slug:slug>/", views.reporter_detail, name="reporter_detail"),
    path("representatives/<slug:slug>/reports.atom", views.reporter_feed, name="reporter_feed"),
    path("representatives/<slug:slug>/follow/", views.reporter_follow, name="reporter_follow"),
    path("representatives/<slug:slug>/reports/new/", views.report_create, name="report_create"),
    path(
        "representatives/<slug:slug>/reports/<int:report_id>/",
        views.report_detail,
        name="report_detail",
    ),
    path("organise/representatives/new/", views.reporter_create, name="reporter_create"),
]
