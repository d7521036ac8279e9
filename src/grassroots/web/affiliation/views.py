"""Applying to affiliate, organisers' pages to put an application to the committee and record
its decision, and the accepted contact's page to name representatives."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.web.affiliation import access, services
from grassroots.web.affiliation.forms import ApplicationForm, RepresentativeNameForm
from grassroots.web.affiliation.models import Application
from grassroots.web.alliance.models import ElectionMethod
from grassroots.web.alliance.selectors import representative_list
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.ratelimit import SIGNUPS_PER_IP, client_ip, rate_limit_hit

LIMITED = "Too many applications came from your network in the last hour. Try again later."


def apply(request: HttpRequest) -> HttpResponse:
    """The public form to apply to affiliate."""
    form = ApplicationForm(form_data(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and rate_limit_hit(SIGNUPS_PER_IP, key=client_ip(request))
    ):
        form.add_error(None, LIMITED)
        return render(request, "affiliation/apply.html", {"form": form}, status=429)
    if done := handle_form(
        request,
        form,
        lambda _data: services.application_submit(**form.service_kwargs()),
        success="Thank you: your application is received. We will email the contact the "
        "committee's decision.",
        redirect_to=reverse("affiliation:apply_done"),
    ):
        return done
    return render(request, "affiliation/apply.html", {"form": form}, status=form_status(form))


def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "affiliation/apply_done.html")


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    access.application_organiser(request.user)
    applications = list(Application.objects.select_related("ballot").order_by("-submitted_at"))
    return render(request, "affiliation/application_list.html", {"applications": applications})


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.application_for_organiser(request.user, application_id)
    context = {
        "application": application,
        "outcome": services.ballot_outcome(application=application),
    }
    return render(request, "affiliation/application_detail.html", context)


@login_required
@require_POST
def application_ballot(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.application_for_organiser(request.user, application_id)
    actor = access.application_organiser(request.user)
    return handle_action(
        request,
        lambda: services.application_ballot_create(actor=actor, application=application),
        success="A draft ballot of the committee's representatives is ready: open it from its "
        "page.",
        redirect_to=reverse("affiliation:application_detail", args=[application.pk]),
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.application_for_organiser(request.user, application_id)
    actor = access.application_organiser(request.user)
    return handle_action(
        request,
        lambda: services.application_decide(
            actor=actor, application=application, site_url=request.build_absolute_uri("/")
        ),
        success="The committee's decision is recorded and the contact is told.",
        redirect_to=reverse("affiliation:application_detail", args=[application.pk]),
    )


def representatives(request: HttpRequest, token: str) -> HttpResponse:
    """The accepted organisation's contact names its representatives, from the emailed link."""
    application = services.naming_token_read(token)
    if application is None or application.organisation is None:
        return render(request, "affiliation/link_invalid.html", status=404)
    organisation = application.organisation
    form = RepresentativeNameForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.representative_name_from_link(
            organisation=organisation,
            name=data["name"],
            email=data["email"],
            method=ElectionMethod(data["method"]),
            method_note=data["method_note"],
            site_url=request.build_absolute_uri("/"),
        ),
        success="Recorded: we have emailed them to ask them to agree to be named.",
        redirect_to=request.path,
    ):
        return done
    context = {
        "organisation": organisation,
        "form": form,
        "seats_left": services.seats_left(organisation=organisation),
        "representatives": list(representative_list(organisation=organisation)),
    }
    return render(request, "affiliation/representatives.html", context, status=form_status(form))
