from __future__ import annotations

from django.urls import path

from grassroots.web.people import role_views, views

app_name = "people"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_done, name="join_done"),
    path("login/", views.login_request, name="login"),
    path("login/link/", views.login_link, name="login_link"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.me, name="me"),
    path("me/consents/", views.consent_change, name="consent_change"),
    path("me/emails/", views.subscription_change, name="subscription_change"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("me/export.json", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("me/contacts/", views.contacts, name="contacts"),
    path("me/contacts/<int:supporter_id>/message/", views.message_send, name="message_send"),
    path("me/messages/", views.message_list, name="message_list"),
    path("me/messages/<int:message_id>/block/", views.message_block, name="message_block"),
    path("me/messages/<int:message_id>/report/", views.message_report, name="message_report"),
    path(
        "me/messages/blocked/<int:supporter_id>/unblock/",
        views.message_unblock,
        name="message_unblock",
    ),
    path("organise/message-reports/", views.message_report_list, name="message_report_list"),
    path(
        "organise/message-reports/<int:report_id>/resolve/",
        views.message_report_resolve,
        name="message_report_resolve",
    ),
    path("organise/clps/", views.clp_counts, name="clp_counts"),
    path("organise/roles/", role_views.role_list, name="role_list"),
    path("organise/roles/change/", role_views.role_change, name="role_change"),
]
