"""The one way a view carries out a form or a button: call the service, show a refusal, or say
it is done and move on.

A form view builds its form from ``form_data(request)``, and ``handle_form`` does the rest of a
POST: validate, call one service with the cleaned data, put a ``DomainError`` next to its field
(the view then renders the form again, with status 400 from ``form_status``), or flash the
success message and redirect. A button that posts no form (delete, remove) uses
``handle_action``, which flashes the refusal instead. Access is checked by the view first.

    form = SlateForm(form_data(request))
    if done := handle_form(
        request, form,
        lambda data: services.slate_create(actor=acting_user(request), election=election, **data),
        success=lambda slate: f"Recorded the slate {slate.name}.",
        redirect_to=lambda slate: reverse("elections:slate_edit", args=[election.slug, slate.pk]),
    ):
        return done
    return render(request, "elections/slate_manage.html", {...}, status=form_status(form))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from grassroots.web.errors import DomainError

T = TypeVar("T")
# A message or address given outright, or worked out from what the service returned.
Said = str | Callable[[T], str]


def form_data(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST, or None to show an unbound form."""
    return request.POST if request.method == "POST" else None


def form_status(*forms_: forms.Form) -> int:
    """400 when a form on the page has errors (a refused submission), else 200."""
    return 400 if any(f.errors for f in forms_) else 200


def _say(said: Said[T], done: T) -> str:
    return said if isinstance(said, str) else said(done)


def handle_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    success: Said[T],
    redirect_to: Said[T],
) -> HttpResponse | None:
    """Carry out a posted form, or return None for the view to render the form.

    None when the request is not a POST, the form is invalid, or the service refused (its
    ``DomainError`` is then shown on the form). Otherwise ``action(form.cleaned_data)`` has
    run, ``success`` is flashed and the redirect to ``redirect_to`` is returned.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        done = action(form.cleaned_data)
    except DomainError as err:
        err.show_on(form)
        return None
    messages.success(request, _say(success, done))
    return redirect(_say(redirect_to, done))


def handle_action(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str,
    redirect_to: str,
    refused_to: str | None = None,
) -> HttpResponse:
    """Carry out a button with no form: flash the service's refusal and go to ``refused_to``
    (``redirect_to`` when not given), or flash ``success`` and go to ``redirect_to``."""
    try:
        action()
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(refused_to or redirect_to)
    messages.success(request, success)
    return redirect(redirect_to)
