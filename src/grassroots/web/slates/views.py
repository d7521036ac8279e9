"""Views of the slates app: each checks access, validates a form, calls one service, and
renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.ballots.models import Electorate
from grassroots.web.elections.selectors import party_election_list, section_get
from grassroots.web.errors import DomainError
from grassroots.web.people.access import acting_user
from grassroots.web.people.roles import user_roles
from grassroots.web.slates import access, selectors, services
from grassroots.web.slates.forms import EndorsementForm, SlateBallotForm, SlateNominationForm
from grassroots.web.slates.quotas import quotas_scale


def slate_index(request: HttpRequest) -> HttpResponse:
    """Every party election's sections, with their nominees and slate, for everyone."""
    context = {
        "elections": list(party_election_list()),
        "may_run": bool(access.ORGANISERS & user_roles(request.user)),
    }
    return render(request, "slates/slate_index.html", context)


def nominee_list(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The affiliates' nominees for a section, for everyone."""
    section = section_get(election_slug=election_slug, section_slug=section_slug)
    context = {
        "section": section,
        "nominees": selectors.nominee_list(section=section),
        "may_nominate": bool(access.organisations_for_nominator(request.user)),
    }
    return render(request, "slates/nominee_list.html", context)


@login_required
def slate_nominate(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """An affiliate's representative (or an organiser) nominates someone for the slate."""
    section, organisations = access.section_for_nominator(request.user, election_slug, section_slug)
    form = SlateNominationForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.slate_nomination_submit(
                actor=acting_user(request),
                organisation=form.cleaned_data["organisation"],
                section=section,
                name=form.cleaned_data["name"],
                gender=form.cleaned_data["gender"],
                clp=form.cleaned_data["clp"],
                statement=form.cleaned_data["statement"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"{nomination.organisation} nominates {nomination.name}.")
            return redirect("slates:nominee_list", election_slug, section_slug)
    status = 400 if form.errors else 200
    return render(
        request, "slates/nominate.html", {"section": section, "form": form}, status=status
    )


@login_required
def slate_ballot(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Organisers set up the section's slate ballot and publish the slate it chose."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = SlateBallotForm(request.POST if request.method == "POST" else None, section=section)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.slate_ballot_create(
                actor=acting_user(request),
                section=section,
                slate_size=form.cleaned_data["slate_size"],
                closes_at=form.cleaned_data["closes_at"],
                electorate=Electorate(form.cleaned_data["electorate"]),
                organisations=form.cleaned_data["organisations"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The slate ballot is set up as a draft: open it to vote.")
            return redirect("ballots:manage", ballot.slug)
    context = {
        "section": section,
        "form": form,
        "nominees": selectors.nominee_list(section=section),
        "selections": list(selectors.selection_list(section=section)),
        "examples": [
            (size, quotas_scale(section.quotas, seats=section.seats, slate_size=size))
            for size in range(section.seats, 0, -1)
        ],
        "published": selectors.published_slate_get(section=section),
        "endorsement_form": EndorsementForm(initial={"endorsed_on": timezone.localdate()}),
    }
    return render(request, "slates/slate_ballot.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def slate_publish(
    request: HttpRequest, election_slug: str, section_slug: str, ballot_slug: str
) -> HttpResponse:
    """Publish the slate a published slate ballot chose, once confirmed: publication cannot
    be undone."""
    section, ballot = access.slate_ballot_for_organiser(
        request.user, election_slug, section_slug, ballot_slug
    )
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "ballots/confirm.html",
            {
                "ballot": ballot,
                "heading": "Publish the slate?",
                "statement": (
                    f"The candidates ballot {ballot.slug} chose become the alliance's published "
                    f"slate for {section}, for anyone to see and for other organisations to "
                    "endorse. Publication cannot be undone."
                ),
                "button": "Publish the slate",
                "action_url": request.path,
                "back_url": reverse("slates:slate_ballot", args=(election_slug, section_slug)),
            },
        )
    try:
        services.slate_publish(actor=acting_user(request), ballot=ballot)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("slates:slate_ballot", election_slug, section_slug)
    messages.success(request, "The slate is published.")
    return redirect("slates:slate_detail", section.election.slug, section.slug)


@login_required
@require_POST
def endorsement_record(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Record another organisation's endorsement of the section's published slate."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    published = selectors.published_slate_get(section=section)
    if published is None or published.selection.slate is None:
        raise Http404(access.NOT_FOUND)
    form = EndorsementForm(request.POST)
    if form.is_valid():
        try:
            services.endorsement_record(
                actor=acting_user(request),
                organisation=form.cleaned_data["organisation"],
                slate=published.selection.slate,
                endorsed_on=form.cleaned_data["endorsed_on"],
                source=form.cleaned_data["source"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The endorsement is recorded.")
            return redirect("slates:slate_detail", election_slug, section_slug)
    context = {"section": section, "published": published, "endorsement_form": form}
    return render(request, "slates/endorsement.html", context, status=400)


def slate_detail(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The published slate: candidates in order of election, the ballot, endorsements."""
    section = section_get(election_slug=election_slug, section_slug=section_slug)
    context = {"section": section, "published": selectors.published_slate_get(section=section)}
    return render(request, "slates/slate_detail.html", context)
