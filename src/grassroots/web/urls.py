"""The site's URLs: each app brings its own ``urls.py``, included here without a prefix so the
pages people link to stay short (/join/, /clps/, /events/, /committee/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

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
    path("", include("grassroots.web.discussions.urls")),
    path("", include("grassroots.web.policy.urls")),
    path("", include("grassroots.web.candidacy.urls")),
    path("", include("grassroots.web.mailings.urls")),
    path("", include("grassroots.web.reports.urls")),
    path("", include("grassroots.web.invitations.urls")),
    path("", include("grassroots.web.affiliation.urls")),
    path("", include("grassroots.web.campaign.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Development only: in production the web server serves MEDIA_ROOT (docs/operations.md).
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        )
    ]
