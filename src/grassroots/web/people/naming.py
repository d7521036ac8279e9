"""Asking a person before naming them on a public page.

Putting someone's name on a public page (an event's contact, a representative on
``/committee/``) says they support the alliance, a political opinion, so it needs their
agreement. The organiser types an email address; the site never says whether it belongs to
a supporter, but emails the address a link to agree (``naming_link``); until the owner
follows it, public pages name nobody ("a representative of …"). A logged-in person also sees
their pending requests on ``/me/`` and may agree there.

The requests live in the apps above people (``alliance``, ``events``), which people cannot
import, so each registers a source here in its ``AppConfig.ready``: a function listing the
pending requests for an account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.web.errors import DomainError
from grassroots.web.people.models import User, normalise_email

MAX_AGE = 60 * 60 * 24 * 30  # an invitation to be named is good for 30 days


@dataclass(frozen=True)
class NamingRequest:
    """A pending request to name the person publicly: what for, and where to agree."""

    description: str
    agree_url: str


NamingSource = Callable[[User], list[NamingRequest]]

_SOURCES: dict[str, NamingSource] = {}


def naming_source_register(key: str, source: NamingSource) -> None:
    """Add (or replace, so that ``ready`` may run twice) a source of naming requests."""
    _SOURCES[key] = source


def naming_request_list(*, person: User) -> list[NamingRequest]:
    """Every pending request to name ``person`` publicly, from every registered source."""
    return [request for _key, source in sorted(_SOURCES.items()) for request in source(person)]


def naming_token(*, salt: str, object_id: int, email: str) -> str:
    """A signed token saying "the owner of ``email`` is asked about object ``object_id``"."""
    return signing.dumps([object_id, normalise_email(email)], salt=salt, compress=True)


def naming_token_read(*, salt: str, token: str) -> tuple[int, str] | None:
    """The (object id, email) a token holds, or None when it is forged or too old."""
    try:
        object_id, email = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(object_id, int) or not isinstance(email, str):
        return None
    return object_id, email


def naming_link_invalid(request: HttpRequest) -> HttpResponse:
    """An emailed naming link that is forged, expired or names nothing any more."""
    return render(request, "people/naming_agree.html", {"invalid": True}, status=404)


def naming_agree_page(
    request: HttpRequest,
    *,
    what: str,
    agree: Callable[[], object],
    success: str,
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page an emailed naming link opens: GET shows ``what`` is asked and a button (mail
    scanners fetch links), POST runs ``agree`` and goes to ``done``. A refusal is shown on the
    page itself."""
    context: dict[str, object] = {"what": what, "invalid": False}
    if request.method == "POST":
        try:
            agree()
        except DomainError as err:
            context["error"] = err.message
            return render(request, "people/naming_agree.html", context, status=400)
        messages.success(request, success)
        return done()
    return render(request, "people/naming_agree.html", context)
