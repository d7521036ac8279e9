"""Ballot pages: thin views over ``ballots.access``, forms and one service each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def vote(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    return HttpResponse(status=501)
