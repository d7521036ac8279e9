"""The policy page for everyone, and the organisers' pages that write and order it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.roles import user_roles
from grassroots.web.policy import access, selectors, services
from grassroots.web.policy.forms import PositionForm


def policy_list(request: HttpRequest) -> HttpResponse:
    """The alliance's positions, in order, for everyone."""
    context = {
        "positions": list(selectors.position_list()),
        "may_write": bool(access.WRITERS & user_roles(request.user)),
    }
    return render(request, "policy/policy_list.html", context)


@login_required
def policy_manage(request: HttpRequest) -> HttpResponse:
    """The positions with buttons to reorder, edit and remove them."""
    access.policy_writer(request.user)
    positions = list(selectors.position_list())
    return render(request, "policy/policy_manage.html", {"positions": positions})


@login_required
def position_create(request: HttpRequest) -> HttpResponse:
    writer = access.policy_writer(request.user)
    form = PositionForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.position_create(actor=writer, **data),
        success="The position is added at the end of the page.",
        redirect_to=reverse("policy:manage"),
    ):
        return done
    return render(request, "policy/position_form.html", {"form": form}, status=form_status(form))


@login_required
def position_edit(request: HttpRequest, position_id: int) -> HttpResponse:
    writer, position = access.position_for_writer(request.user, position_id)
    initial = {"title": position.title, "body": position.body}
    form = PositionForm(form_data(request), initial=initial)
    if done := handle_form(
        request,
        form,
        lambda data: services.position_update(actor=writer, position=position, **data),
        success="The position is saved.",
        redirect_to=reverse("policy:manage"),
    ):
        return done
    return render(
        request,
        "policy/position_form.html",
        {"form": form, "position": position},
        status=form_status(form),
    )


@login_required
@require_POST
def position_move(request: HttpRequest, position_id: int, direction: str) -> HttpResponse:
    writer, position = access.position_for_writer(request.user, position_id)
    if direction not in {"up", "down"}:
        raise Http404(access.NOT_FOUND)
    return handle_action(
        request,
        lambda: services.position_move(
            actor=writer,
            position=position,
            direction="up" if direction == "up" else "down",
        ),
        success=f"Moved {direction}.",
        redirect_to=reverse("policy:manage"),
    )


@login_required
@require_POST
def position_delete(request: HttpRequest, position_id: int) -> HttpResponse:
    writer, position = access.position_for_writer(request.user, position_id)
    return handle_action(
        request,
        lambda: services.position_delete(actor=writer, position=position),
        success="The position is removed from the page.",
        redirect_to=reverse("policy:manage"),
    )
