from __future__ import annotations

from django.urls import path

from grassroots.web.mailings import views

app_name = "mailings"
urlpatterns = [
    path("organise/mailings/", views.mailing_list, name="mailing_list"),
    path("organise/mailings/new/", views.mailing_create, name="mailing_create"),
    path("organise/mailings/<int:mailing_id>/", views.mailing_detail, name="mailing_detail"),
    path("organise/mailings/<int:mailing_id>/edit/", views.mailing_edit, name="mailing_edit"),
    path("organise/mailings/<int:mailing_id>/test/", views.mailing_test, name="mailing_test"),
    path("organise/mailings/<int:mailing_id>/send/", views.mailing_send, name="mailing_send"),
]
