"""Middleware of the site's own.

``RefuseNulMiddleware`` answers 400 to a request whose path, query string, form fields or
cookies hold a NUL character (``%00``). No page has a use for one, and PostgreSQL refuses NUL
in text, so without this check a lookup such as ``/clps/?q=%00`` reaches the database and
fails there with a server error. Checking once here covers every view, including those that
read ``request.GET`` directly, and the session lookup; uploaded files are not checked (their
readers check their own text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

NUL = "\x00"


def text_has_nul(*texts: str) -> bool:
    """True if any of the texts holds a NUL character."""
    return any(NUL in text for text in texts)


def _query_has_nul(query: QueryDict) -> bool:
    items: Iterable[tuple[str, list[str]]] = query.lists()
    return any(text_has_nul(key, *values) for key, values in items)


def _refusal(where: str) -> HttpResponse:
    return HttpResponseBadRequest(
        f"Bad request: the {where} holds a NUL character (%00), which no page accepts. "
        "Remove it and try again.\n",
        content_type="text/plain; charset=utf-8",
    )


class RefuseNulMiddleware:
    """Answer 400, before any view or session lookup runs, to a NUL in the path, query
    string, form fields or cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if text_has_nul(request.path_info):
            return _refusal("address")
        if _query_has_nul(request.GET):
            return _refusal("query string")
        if request.method == "POST" and _query_has_nul(request.POST):
            return _refusal("form")
        if text_has_nul(*request.COOKIES.values()):
            return _refusal("cookie")
        return self.get_response(request)
