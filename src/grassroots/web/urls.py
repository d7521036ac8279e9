"""The site's URLs: each app brings its own ``urls.py``, included here without a prefix so the
pages people link to stay short (/join/, /clps/, /events/, /committee/)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from grassroots.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organise/", views.organise, name="organise"),
    path("", include("grassroots.web.constituencies.urls")),
    path("", include("grassroots.web.people.urls")),
    # Replaced by the events and alliance apps' urls when they land.
    path("", include("grassroots.web.events.urls")),
    path("", include("grassroots.web.alliance.urls")),
    path("", include("grassroots.web.elections.urls")),
    path("", include("grassroots.web.ballots.urls")),
    path("", include("grassroots.web.slates.urls")),
    path("", include("grassroots.web.campaign.urls")),
    path("admin/", admin.site.urls),
]
