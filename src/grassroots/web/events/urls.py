"""Events pages and feeds. ``/events/`` keeps the URL name ``events:event_list``; the iCal feeds
are ``/events.ics`` (every published event), ``/events/<id>.ics`` (one event),
``/events/group/<slug>.ics`` (one organising group) and ``/events/clp/<gss_code>.ics`` (one
CLP)."""

from __future__ import annotations

from django.urls import path

from grassroots.web.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/conference/", views.conference_schedule, name="conference"),
    path("events/organise/", views.event_organise, name="organise"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/publish/", views.event_publish, name="event_publish"),
    path("events/<int:event_id>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("events/<int:event_id>.ics", views.event_ical, name="event_ical"),
    path("events/contact/agree/<str:token>/", views.contact_agree, name="contact_agree"),
    path("events.ics", views.feed_all, name="feed_all"),
    path("events/group/<slug:slug>.ics", views.feed_group, name="feed_group"),
    path("events/clp/<str:gss_code>.ics", views.feed_clp, name="feed_clp"),
    path("speakers/", views.speaker_list, name="speaker_list"),
    path("speakers/new/", views.speaker_create, name="speaker_create"),
    path("speakers/<int:speaker_id>/edit/", views.speaker_edit, name="speaker_edit"),
]
