"""Site-wide pages: the public dashboard, and placeholders for pages later apps provide."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.web.dashboard import BAR_HEIGHT, dashboard_get


def dashboard(request: HttpRequest) -> HttpResponse:
    """The alliance at a glance, for everyone."""
    figures = dashboard_get()
    chart_height = BAR_HEIGHT * len(figures.by_region)
    context = {"figures": figures, "chart_height": chart_height}
    return render(request, "dashboard.html", context)


def coming_soon(request: HttpRequest, title: str) -> HttpResponse:
    """A page whose app is not built yet (events, committee); replaced in ``urls.py`` then."""
    return render(request, "coming_soon.html", {"title": title})
