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
    path("me/export.json", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("me/contacts/", views.contacts, name="contacts"),
    path("me/contacts/<int:supporter_id>/message/", views.message_send, name="message_send"),
    path("me/messages/", views.message_list, name="message_list"),
    path("organise/clps/", views.clp_counts, name="clp_counts"),
    path("organise/roles/", role_views.role_list, name="role_list"),
    path("organise/roles/change/", role_views.role_change, name="role_change"),
]
