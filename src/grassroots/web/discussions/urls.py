from __future__ import annotations

from django.urls import path, register_converter

from grassroots.web.discussions import views


class SpaceConverter:
    """A space in an address: ``supporters`` or ``org/<organisation slug>``."""

    regex = r"supporters|org/[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SpaceConverter, "space")

app_name = "discussions"

urlpatterns = [
    path("discussions/", views.discussion_index, name="index"),
    path("discussions/notifications/", views.notification_change, name="notifications"),
    path("discussions/conduct/", views.conduct, name="conduct"),
    path("discussions/<space:space>/", views.space_detail, name="space"),
    path("discussions/<space:space>/new/", views.thread_new, name="thread_new"),
    path("discussions/threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("discussions/threads/<int:thread_id>/reply/", views.reply, name="reply"),
    path("discussions/threads/<int:thread_id>/lock/", views.thread_lock, name="thread_lock"),
    path("discussions/threads/<int:thread_id>/proposal/", views.thread_propose, name="propose"),
    path("discussions/posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("discussions/posts/<int:post_id>/hide/", views.post_hide, name="post_hide"),
    path("organise/moderation/", views.moderation, name="moderation"),
    path(
        "organise/moderation/reports/<int:report_id>/dismiss/",
        views.report_dismiss,
        name="report_dismiss",
    ),
    path(
        "organise/moderation/reports/<int:report_id>/suspend/",
        views.member_suspend,
        name="member_suspend",
    ),
    path(
        "organise/moderation/suspensions/<int:suspension_id>/lift/",
        views.suspension_lift,
        name="suspension_lift",
    ),
]
