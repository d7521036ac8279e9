"""The CLP list: search by name, filter by nation and region; updates in place with htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.web.constituencies import selectors


def clp_list(request: HttpRequest) -> HttpResponse:
    """All CLPs, or those matching ``q``, ``nation`` and ``region``; only the rows for htmx."""
    query = request.GET.get("q", "").strip()[:100]
    nation = request.GET.get("nation", "")
    region = request.GET.get("region", "")
    clps = list(selectors.constituency_list(query=query, nation=nation, region=region))
    context = {"clps": clps, "query": query, "nation": nation, "region": region}
    if request.headers.get("HX-Request"):
        return render(request, "constituencies/_clp_rows.html", context)
    context |= {"nations": selectors.nation_list(), "regions": selectors.region_list()}
    return render(request, "constituencies/clp_list.html", context)
