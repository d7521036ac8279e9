"""Mailings pages: organisers compose, preview (the count, never the list), test and send."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.constituencies.selectors import constituency_choices
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.mailings import access, selectors, services
from grassroots.web.mailings.forms import MailingForm
from grassroots.web.mailings.models import Mailing


def _detail_url(mailing: Mailing) -> str:
    return reverse("mailings:mailing_detail", args=[mailing.pk])


@login_required
def mailing_list(request: HttpRequest) -> HttpResponse:
    """Every mailing, drafts first, with how many each reached."""
    access.mailing_sender(request.user)
    rows = [
        {
            "mailing": mailing,
            "audience": selectors.mailing_audience_label(mailing=mailing),
            "counts": selectors.mailing_counts(mailing=mailing) if mailing.is_sent else None,
        }
        for mailing in selectors.mailing_list()
    ]
    return render(request, "mailings/mailing_list.html", {"rows": rows})


def _form_page(request: HttpRequest, form: MailingForm, mailing: Mailing | None) -> HttpResponse:
    context = {"form": form, "mailing": mailing, "clp_options": constituency_choices()}
    return render(request, "mailings/mailing_form.html", context, status=form_status(form))


@login_required
def mailing_create(request: HttpRequest) -> HttpResponse:
    actor = access.mailing_sender(request.user)
    form = MailingForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda _data: services.mailing_create(actor=actor, **form.service_kwargs()),
        success="The mailing is saved. Check the count, send yourself a test, then send it.",
        redirect_to=_detail_url,
    ):
        return done
    return _form_page(request, form, None)


@login_required
def mailing_edit(request: HttpRequest, mailing_id: int) -> HttpResponse:
    mailing = access.mailing_for_sender(request.user, mailing_id)
    actor = access.mailing_sender(request.user)
    form = (
        MailingForm(request.POST)
        if request.method == "POST"
        else MailingForm(initial=MailingForm.initial_for(mailing))
    )
    if done := handle_form(
        request,
        form,
        lambda _data: services.mailing_update(
            actor=actor, mailing=mailing, **form.service_kwargs()
        ),
        success="The mailing is changed.",
        redirect_to=_detail_url,
    ):
        return done
    return _form_page(request, form, mailing)


@login_required
def mailing_detail(request: HttpRequest, mailing_id: int) -> HttpResponse:
    """The mailing as supporters will read it, its audience's size, and once sent, what
    became of its emails."""
    mailing = access.mailing_for_sender(request.user, mailing_id)
    context = {
        "mailing": mailing,
        "audience": selectors.mailing_audience_label(mailing=mailing),
        "count": selectors.mailing_audience_count(mailing=mailing),
        "counts": selectors.mailing_counts(mailing=mailing) if mailing.is_sent else None,
    }
    return render(request, "mailings/mailing_detail.html", context)


@login_required
@require_POST
def mailing_test(request: HttpRequest, mailing_id: int) -> HttpResponse:
    mailing = access.mailing_for_sender(request.user, mailing_id)
    actor = access.mailing_sender(request.user)
    return handle_action(
        request,
        lambda: services.mailing_test_send(actor=actor, mailing=mailing),
        success=f"A test is on its way to {actor.email}.",
        redirect_to=_detail_url(mailing),
    )


@login_required
@require_POST
def mailing_send(request: HttpRequest, mailing_id: int) -> HttpResponse:
    mailing = access.mailing_for_sender(request.user, mailing_id)
    actor = access.mailing_sender(request.user)
    return handle_action(
        request,
        lambda: services.mailing_send(
            actor=actor, mailing=mailing, site_url=request.build_absolute_uri("/")
        ),
        success="The mailing is being sent: the counts below fill in as it goes.",
        redirect_to=_detail_url(mailing),
    )
