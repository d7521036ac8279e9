"""Views of the elections app: each checks access, validates a form, calls one service, and
renders or redirects (the last three steps by ``grassroots.web.forms_flow``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.web.elections import access, history, selectors, services, setup
from grassroots.web.elections.forms import (
    CandidateForm,
    NominationForm,
    NominationImportForm,
    PartyElectionForm,
    ResultImportForm,
    SectionForm,
    SlateForm,
    SlateMembershipEditForm,
    SlateMembershipForm,
)
from grassroots.web.elections.imports import NominationFileError
from grassroots.web.elections.models import PartyElection, Section, Slate
from grassroots.web.errors import DomainError
from grassroots.web.forms_flow import form_data, form_status, handle_action, handle_form
from grassroots.web.people.access import acting_user


def party_election_list(request: HttpRequest) -> HttpResponse:
    """Party elections and their sections, for everyone."""
    elections = list(selectors.party_election_list())
    context = {"elections": elections, "may_set_up": access.user_may_set_up(request.user)}
    return render(request, "elections/party_election_list.html", context)


def nomination_tracker(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The nominations tracker. htmx polls it and swaps in just the figures."""
    section = selectors.section_get(election_slug=election_slug, section_slug=section_slug)
    template = (
        "elections/tracker_figures.html"
        if request.headers.get("HX-Request")
        else "elections/nomination_tracker.html"
    )
    return render(request, template, {"tracker": selectors.tracker_get(section=section)})


def _organise_context(section: Section) -> dict[str, object]:
    return {
        "section": section,
        "tracker": selectors.tracker_get(section=section),
        "nominations": list(selectors.nomination_list(section=section).order_by("-id")[:20]),
    }


@login_required
def nomination_record(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Record one CLP nomination; the page also holds the CSV import form."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = NominationForm(
        form_data(request), section=section, initial={"nominated_on": timezone.localdate()}
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.nomination_record(
            actor=acting_user(request), section=section, **data
        ),
        success=lambda n: f"Recorded: {n.clp.name} nominates {n.candidate.name}.",
        redirect_to=reverse("elections:nomination_record", args=[election_slug, section_slug]),
    ):
        return done
    context = {**_organise_context(section), "form": form, "import_form": NominationImportForm()}
    return render(request, "elections/nomination_record.html", context, status=form_status(form))


@login_required
def nomination_import(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Import a CSV of nominations: all of it, or nothing and every bad row listed."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    if request.method != "POST":
        return redirect("elections:nomination_record", election_slug, section_slug)
    import_form = NominationImportForm(request.POST, request.FILES)
    row_errors: list[str] = []
    if import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            imported = services.nomination_import(
                actor=acting_user(request), section=section, text=services.upload_text(upload)
            )
        except NominationFileError as err:
            import_form.add_error("file", err.message.split(". ")[0] + ".")
            row_errors = [str(e) for e in err.errors]
        except DomainError as err:
            err.show_on(import_form)
        else:
            messages.success(request, f"Imported {imported} nominations.")
            return redirect("elections:nomination_record", election_slug, section_slug)
    form = NominationForm(section=section, initial={"nominated_on": timezone.localdate()})
    context = {
        **_organise_context(section),
        "form": form,
        "import_form": import_form,
        "row_errors": row_errors,
    }
    return render(request, "elections/nomination_record.html", context, status=400)


def result_detail(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The section's result, analysed by slate."""
    section = selectors.section_get(election_slug=election_slug, section_slug=section_slug)
    context = {"section": section, "result": selectors.result_analysis_get(section=section)}
    return render(request, "elections/result_detail.html", context)


@login_required
def result_import(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """Import a ballot file to count, or a published count sheet."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = ResultImportForm(form_data(request), request.FILES if request.method == "POST" else None)

    def store(data: dict[str, Any]) -> object:
        service = (
            services.result_count_import
            if data["kind"] == "ballots"
            else services.result_sheet_import
        )
        upload = data["file"]
        return service(
            actor=acting_user(request), section=section, filename=upload.name, data=upload.read()
        )

    if done := handle_form(
        request,
        form,
        store,
        success="The result is stored.",
        redirect_to=reverse("elections:result_detail", args=[election_slug, section_slug]),
    ):
        return done
    context = {"section": section, "form": form}
    return render(request, "elections/result_import.html", context, status=form_status(form))


def history_view(request: HttpRequest) -> HttpResponse:
    """Seats won by slate in past NEC CLP-section elections, from published figures."""
    elections = history.past_election_list(section="CLP")
    context = {"elections": elections, "rows": history.slate_trend(elections)}
    return render(request, "elections/history.html", context)


# Setting an election up: organisers and administrators create and edit elections, sections,
# candidates and slates.


@login_required
def election_manage_list(request: HttpRequest) -> HttpResponse:
    """Every election, for organisers to open and set up."""
    access.organiser_check(request.user)
    elections = list(selectors.party_election_list())
    return render(request, "elections/election_manage_list.html", {"elections": elections})


@login_required
def party_election_create(request: HttpRequest) -> HttpResponse:
    """A new election: its address, name, party and timetable; sections are added next."""
    access.organiser_check(request.user)
    form = PartyElectionForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: setup.party_election_create(
            actor=acting_user(request),
            slug=data["slug"],
            name=data["name"],
            party=data["party"],
            dates=form.dates(),
        ),
        success=lambda election: f"Created {election.name}. Now add its sections.",
        redirect_to=lambda election: reverse("elections:election_organise", args=[election.slug]),
    ):
        return done
    context = {"form": form, "election": None}
    return render(request, "elections/party_election_form.html", context, status=form_status(form))


@login_required
def election_organise(request: HttpRequest, election_slug: str) -> HttpResponse:
    """An election's set-up page: its timetable, sections and slates, with links to change
    them."""
    election = access.election_for_organiser(request.user, election_slug)
    context = {
        "election": election,
        "sections": selectors.section_list_for_organiser(election=election),
        "slates": selectors.slate_list_for_organiser(election=election),
    }
    return render(request, "elections/election_organise.html", context)


@login_required
def party_election_edit(request: HttpRequest, election_slug: str) -> HttpResponse:
    election = access.election_for_organiser(request.user, election_slug)
    form = PartyElectionForm(form_data(request), election=election)
    if done := handle_form(
        request,
        form,
        lambda data: setup.party_election_update(
            actor=acting_user(request),
            election=election,
            name=data["name"],
            party=data["party"],
            dates=form.dates(),
        ),
        success="The election is saved.",
        redirect_to=reverse("elections:election_organise", args=[election_slug]),
    ):
        return done
    context = {"form": form, "election": election}
    return render(request, "elections/party_election_form.html", context, status=form_status(form))


@login_required
@require_POST
def party_election_delete(request: HttpRequest, election_slug: str) -> HttpResponse:
    election = access.election_for_organiser(request.user, election_slug)
    return handle_action(
        request,
        lambda: setup.party_election_delete(actor=acting_user(request), election=election),
        success=f"Deleted the election {election.name}.",
        redirect_to=reverse("elections:election_manage_list"),
        refused_to=reverse("elections:party_election_edit", args=[election_slug]),
    )


def _section_form_page(
    request: HttpRequest, form: SectionForm, election: PartyElection, section: Section | None
) -> HttpResponse:
    context = {"form": form, "election": election, "section": section}
    return render(request, "elections/section_form.html", context, status=form_status(form))


@login_required
def section_create(request: HttpRequest, election_slug: str) -> HttpResponse:
    election = access.election_for_organiser(request.user, election_slug)
    form = SectionForm(form_data(request), election=election)
    if done := handle_form(
        request,
        form,
        lambda data: setup.section_create(
            actor=acting_user(request),
            election=election,
            slug=data["slug"],
            name=data["name"],
            seats=data["seats"],
            rule=data["rule"],
            quotas=form.quotas(),
            nomination_threshold=data["nomination_threshold"],
        ),
        success=lambda section: f"Added the section {section.name}. Now add candidates.",
        redirect_to=lambda section: reverse(
            "elections:candidate_manage", args=[election_slug, section.slug]
        ),
    ):
        return done
    return _section_form_page(request, form, election, None)


@login_required
def section_edit(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = SectionForm(form_data(request), election=section.election, section=section)
    if done := handle_form(
        request,
        form,
        lambda data: setup.section_update(
            actor=acting_user(request),
            section=section,
            name=data["name"],
            seats=data["seats"],
            rule=data["rule"],
            quotas=form.quotas(),
            nomination_threshold=data["nomination_threshold"],
        ),
        success="The section is saved.",
        redirect_to=reverse("elections:election_organise", args=[election_slug]),
    ):
        return done
    return _section_form_page(request, form, section.election, section)


@login_required
@require_POST
def section_delete(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    return handle_action(
        request,
        lambda: setup.section_delete(actor=acting_user(request), section=section),
        success=f"Deleted the section {section.name}.",
        redirect_to=reverse("elections:election_organise", args=[election_slug]),
        refused_to=reverse("elections:section_edit", args=[election_slug, section_slug]),
    )


def _candidate_page(request: HttpRequest, section: Section, form: CandidateForm) -> HttpResponse:
    context = {
        "section": section,
        "form": form,
        "candidates": selectors.candidate_list(section=section),
    }
    return render(request, "elections/candidate_manage.html", context, status=form_status(form))


@login_required
def candidate_manage(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """A section's candidates, with their slates and nominations, and a form to add one."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = CandidateForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.candidate_create(actor=acting_user(request), section=section, **data),
        success=lambda candidate: f"Added {candidate.name}.",
        redirect_to=reverse("elections:candidate_manage", args=[election_slug, section_slug]),
    ):
        return done
    return _candidate_page(request, section, form)


@login_required
def candidate_edit(
    request: HttpRequest, election_slug: str, section_slug: str, candidate_id: int
) -> HttpResponse:
    candidate = access.candidate_for_organiser(
        request.user, election_slug, section_slug, candidate_id
    )
    form = CandidateForm(form_data(request), candidate=candidate)
    if done := handle_form(
        request,
        form,
        lambda data: setup.candidate_update(
            actor=acting_user(request), candidate=candidate, **data
        ),
        success="The candidate is saved.",
        redirect_to=reverse("elections:candidate_manage", args=[election_slug, section_slug]),
    ):
        return done
    context = {"form": form, "candidate": candidate, "section": candidate.section}
    return render(request, "elections/candidate_form.html", context, status=form_status(form))


@login_required
@require_POST
def candidate_delete(
    request: HttpRequest, election_slug: str, section_slug: str, candidate_id: int
) -> HttpResponse:
    candidate = access.candidate_for_organiser(
        request.user, election_slug, section_slug, candidate_id
    )
    return handle_action(
        request,
        lambda: setup.candidate_delete(actor=acting_user(request), candidate=candidate),
        success=f"Removed {candidate.name}.",
        redirect_to=reverse("elections:candidate_manage", args=[election_slug, section_slug]),
        refused_to=reverse(
            "elections:candidate_edit", args=[election_slug, section_slug, candidate_id]
        ),
    )


@login_required
def slate_manage(request: HttpRequest, election_slug: str) -> HttpResponse:
    """An election's slates, and a form to record another."""
    election = access.election_for_organiser(request.user, election_slug)
    form = SlateForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.slate_create(actor=acting_user(request), election=election, **data),
        success=lambda slate: f"Recorded the slate {slate.name}. Now put candidates on it.",
        redirect_to=lambda slate: reverse("elections:slate_edit", args=[election_slug, slate.pk]),
    ):
        return done
    context = {
        "election": election,
        "form": form,
        "slates": selectors.slate_list_for_organiser(election=election),
    }
    return render(request, "elections/slate_manage.html", context, status=form_status(form))


def _slate_page(
    request: HttpRequest, slate: Slate, form: SlateForm, member_form: SlateMembershipForm
) -> HttpResponse:
    context = {
        "slate": slate,
        "election": slate.election,
        "form": form,
        "member_form": member_form,
        "memberships": selectors.slate_membership_list(slate=slate),
    }
    status = form_status(form, member_form)
    return render(request, "elections/slate_edit.html", context, status=status)


@login_required
def slate_edit(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    """A slate: its name, organisation and colour, and the candidates on it."""
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    form = SlateForm(form_data(request), slate=slate)
    if done := handle_form(
        request,
        form,
        lambda data: setup.slate_update(actor=acting_user(request), slate=slate, **data),
        success="The slate is saved.",
        redirect_to=reverse("elections:slate_edit", args=[election_slug, slate_id]),
    ):
        return done
    return _slate_page(request, slate, form, SlateMembershipForm(slate=slate))


@login_required
@require_POST
def slate_delete(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    return handle_action(
        request,
        lambda: setup.slate_delete(actor=acting_user(request), slate=slate),
        success=f"Deleted the slate {slate.name}.",
        redirect_to=reverse("elections:slate_manage", args=[election_slug]),
        refused_to=reverse("elections:slate_edit", args=[election_slug, slate_id]),
    )


@login_required
@require_POST
def slate_member_add(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    """Put a candidate on the slate, with where and when the endorsement was published."""
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    member_form = SlateMembershipForm(request.POST, slate=slate)
    if done := handle_form(
        request,
        member_form,
        lambda data: services.slate_membership_add(actor=acting_user(request), slate=slate, **data),
        success=lambda membership: f"Put {membership.candidate.name} on {slate.name}.",
        redirect_to=reverse("elections:slate_edit", args=[election_slug, slate_id]),
    ):
        return done
    return _slate_page(request, slate, SlateForm(slate=slate), member_form)


@login_required
@require_POST
def slate_member_remove(
    request: HttpRequest, election_slug: str, slate_id: int, membership_id: int
) -> HttpResponse:
    membership = access.slate_membership_for_organiser(
        request.user, election_slug, slate_id, membership_id
    )
    return handle_action(
        request,
        lambda: setup.slate_membership_remove(actor=acting_user(request), membership=membership),
        success=f"Took {membership.candidate.name} off {membership.slate.name}.",
        redirect_to=reverse("elections:slate_edit", args=[election_slug, slate_id]),
    )


@login_required
def slate_member_edit(
    request: HttpRequest, election_slug: str, slate_id: int, membership_id: int
) -> HttpResponse:
    """Correct where and when a candidate's endorsement was published."""
    membership = access.slate_membership_for_organiser(
        request.user, election_slug, slate_id, membership_id
    )
    form = SlateMembershipEditForm(form_data(request), membership=membership)
    if done := handle_form(
        request,
        form,
        lambda data: setup.slate_membership_update(
            actor=acting_user(request), membership=membership, **data
        ),
        success=f"Saved {membership.candidate.name}'s endorsement.",
        redirect_to=reverse("elections:slate_edit", args=[election_slug, slate_id]),
    ):
        return done
    context = {"form": form, "membership": membership, "election": membership.slate.election}
    return render(request, "elections/slate_member_form.html", context, status=form_status(form))
