"""Views of the slates app: each checks access, validates a form, calls one service, and
renders or redirects (the last three steps by ``grassroots.web.forms_flow``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.ballots.models import Electorate
from grassroots.web.elections.selectors import party_election_list, section_get
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
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
    form = SlateNominationForm(form_data(request), organisations=organisations)
    if done := handle_form(
        request,
        form,
        lambda data: services.slate_nomination_submit(
            actor=acting_user(request),
            organisation=data["organisation"],
            section=section,
            name=data["name"],
            gender=data["gender"],
            clp=data["clp"],
            statement=data["statement"],
        ),
        success=lambda nomination: f"{nomination.organisation} nominates {nomination.name}.",
        redirect_to=reverse("slates:nominee_list", args=[election_slug, section_slug]),
    ):
        return done
    return render(
        request,
        "slates/nominate.html",
        {"section": section, "form": form},
        status=form_status(form),
    )


@login_required
def slate_ballot(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Organisers set up the section's slate ballot and publish the slate it chose."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = SlateBallotForm(form_data(request), section=section)
    if done := handle_form(
        request,
        form,
        lambda data: services.slate_ballot_create(
            actor=acting_user(request),
            section=section,
            slate_size=data["slate_size"],
            closes_at=data["closes_at"],
            electorate=Electorate(data["electorate"]),
            organisations=data["organisations"],
            sealed=data["sealed"],
        ),
        success="The slate ballot is set up as a draft: open it to vote.",
        redirect_to=lambda ballot: reverse("ballots:manage", args=[ballot.slug]),
    ):
        return done
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
    return render(request, "slates/slate_ballot.html", context, status=form_status(form))


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
    return handle_action(
        request,
        lambda: services.slate_publish(actor=acting_user(request), ballot=ballot),
        success="The slate is published.",
        redirect_to=reverse("slates:slate_detail", args=[section.election.slug, section.slug]),
        refused_to=reverse("slates:slate_ballot", args=[election_slug, section_slug]),
    )


@login_required
@require_POST
def endorsement_record(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Record another organisation's endorsement of the section's published slate."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    published = selectors.published_slate_get(section=section)
    if published is None or published.selection.slate is None:
        raise Http404(access.NOT_FOUND)
    slate = published.selection.slate
    form = EndorsementForm(request.POST)
    if done := handle_form(
        request,
        form,
        lambda data: services.endorsement_record(actor=acting_user(request), slate=slate, **data),
        success="The endorsement is recorded.",
        redirect_to=reverse("slates:slate_detail", args=[election_slug, section_slug]),
    ):
        return done
    context = {"section": section, "published": published, "endorsement_form": form}
    return render(request, "slates/endorsement.html", context, status=400)


def slate_detail(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The published slate: candidates in order of election, the ballot, endorsements."""
    section = section_get(election_slug=election_slug, section_slug=section_slug)
    context = {"section": section, "published": selectors.published_slate_get(section=section)}
    return render(request, "slates/slate_detail.html", context)
