"""Views of the elections app: each checks access, validates a form, calls one service, and
renders or redirects."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
from grassroots.web.people.access import acting_user


def _status(*forms_: forms.Form) -> int:
    return 400 if any(f.errors for f in forms_) else 200


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
        request.POST if request.method == "POST" else None,
        section=section,
        initial={"nominated_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_record(
                actor=acting_user(request),
                section=section,
                candidate=form.cleaned_data["candidate"],
                clp=form.cleaned_data["clp"],
                nominated_on=form.cleaned_data["nominated_on"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(
                request, f"Recorded: {nomination.clp.name} nominates {nomination.candidate.name}."
            )
            return redirect("elections:nomination_record", election_slug, section_slug)
    context = {**_organise_context(section), "form": form, "import_form": NominationImportForm()}
    return render(request, "elections/nomination_record.html", context, status=_status(form))


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
    form = ResultImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        service = (
            services.result_count_import
            if form.cleaned_data["kind"] == "ballots"
            else services.result_sheet_import
        )
        try:
            service(
                actor=acting_user(request),
                section=section,
                filename=upload.name,
                data=upload.read(),
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The result is stored.")
            return redirect("elections:result_detail", election_slug, section_slug)
    context = {"section": section, "form": form}
    return render(request, "elections/result_import.html", context, status=_status(form))


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
    form = PartyElectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            election = setup.party_election_create(
                actor=acting_user(request),
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
                party=form.cleaned_data["party"],
                dates=form.dates(),
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"Created {election.name}. Now add its sections.")
            return redirect("elections:election_organise", election.slug)
    context = {"form": form, "election": None}
    return render(request, "elections/party_election_form.html", context, status=_status(form))


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
    form = PartyElectionForm(request.POST if request.method == "POST" else None, election=election)
    if request.method == "POST" and form.is_valid():
        try:
            setup.party_election_update(
                actor=acting_user(request),
                election=election,
                name=form.cleaned_data["name"],
                party=form.cleaned_data["party"],
                dates=form.dates(),
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The election is saved.")
            return redirect("elections:election_organise", election_slug)
    context = {"form": form, "election": election}
    return render(request, "elections/party_election_form.html", context, status=_status(form))


@login_required
@require_POST
def party_election_delete(request: HttpRequest, election_slug: str) -> HttpResponse:
    election = access.election_for_organiser(request.user, election_slug)
    try:
        setup.party_election_delete(actor=acting_user(request), election=election)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("elections:party_election_edit", election_slug)
    messages.success(request, f"Deleted the election {election.name}.")
    return redirect("elections:election_manage_list")


def _section_form_page(
    request: HttpRequest, form: SectionForm, election: PartyElection, section: Section | None
) -> HttpResponse:
    context = {"form": form, "election": election, "section": section}
    return render(request, "elections/section_form.html", context, status=_status(form))


@login_required
def section_create(request: HttpRequest, election_slug: str) -> HttpResponse:
    election = access.election_for_organiser(request.user, election_slug)
    form = SectionForm(request.POST if request.method == "POST" else None, election=election)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            section = setup.section_create(
                actor=acting_user(request),
                election=election,
                slug=data["slug"],
                name=data["name"],
                seats=data["seats"],
                rule=data["rule"],
                quotas=form.quotas(),
                nomination_threshold=data["nomination_threshold"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"Added the section {section.name}. Now add candidates.")
            return redirect("elections:candidate_manage", election_slug, section.slug)
    return _section_form_page(request, form, election, None)


@login_required
def section_edit(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        election=section.election,
        section=section,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            setup.section_update(
                actor=acting_user(request),
                section=section,
                name=data["name"],
                seats=data["seats"],
                rule=data["rule"],
                quotas=form.quotas(),
                nomination_threshold=data["nomination_threshold"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The section is saved.")
            return redirect("elections:election_organise", election_slug)
    return _section_form_page(request, form, section.election, section)


@login_required
@require_POST
def section_delete(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    try:
        setup.section_delete(actor=acting_user(request), section=section)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("elections:section_edit", election_slug, section_slug)
    messages.success(request, f"Deleted the section {section.name}.")
    return redirect("elections:election_organise", election_slug)


def _candidate_page(request: HttpRequest, section: Section, form: CandidateForm) -> HttpResponse:
    context = {
        "section": section,
        "form": form,
        "candidates": selectors.candidate_list(section=section),
    }
    return render(request, "elections/candidate_manage.html", context, status=_status(form))


@login_required
def candidate_manage(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """A section's candidates, with their slates and nominations, and a form to add one."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    form = CandidateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(
                actor=acting_user(request),
                section=section,
                name=form.cleaned_data["name"],
                gender=form.cleaned_data["gender"],
                clp=form.cleaned_data["clp"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"Added {candidate.name}.")
            return redirect("elections:candidate_manage", election_slug, section_slug)
    return _candidate_page(request, section, form)


@login_required
def candidate_edit(
    request: HttpRequest, election_slug: str, section_slug: str, candidate_id: int
) -> HttpResponse:
    candidate = access.candidate_for_organiser(
        request.user, election_slug, section_slug, candidate_id
    )
    form = CandidateForm(request.POST if request.method == "POST" else None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            setup.candidate_update(
                actor=acting_user(request),
                candidate=candidate,
                name=form.cleaned_data["name"],
                gender=form.cleaned_data["gender"],
                clp=form.cleaned_data["clp"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The candidate is saved.")
            return redirect("elections:candidate_manage", election_slug, section_slug)
    context = {"form": form, "candidate": candidate, "section": candidate.section}
    return render(request, "elections/candidate_form.html", context, status=_status(form))


@login_required
@require_POST
def candidate_delete(
    request: HttpRequest, election_slug: str, section_slug: str, candidate_id: int
) -> HttpResponse:
    candidate = access.candidate_for_organiser(
        request.user, election_slug, section_slug, candidate_id
    )
    try:
        setup.candidate_delete(actor=acting_user(request), candidate=candidate)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("elections:candidate_edit", election_slug, section_slug, candidate_id)
    messages.success(request, f"Removed {candidate.name}.")
    return redirect("elections:candidate_manage", election_slug, section_slug)


@login_required
def slate_manage(request: HttpRequest, election_slug: str) -> HttpResponse:
    """An election's slates, and a form to record another."""
    election = access.election_for_organiser(request.user, election_slug)
    form = SlateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            slate = services.slate_create(
                actor=acting_user(request),
                election=election,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                colour=form.cleaned_data["colour"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"Recorded the slate {slate.name}. Now put candidates on it.")
            return redirect("elections:slate_edit", election_slug, slate.pk)
    context = {
        "election": election,
        "form": form,
        "slates": selectors.slate_list_for_organiser(election=election),
    }
    return render(request, "elections/slate_manage.html", context, status=_status(form))


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
    return render(request, "elections/slate_edit.html", context, status=_status(form, member_form))


@login_required
def slate_edit(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    """A slate: its name, organisation and colour, and the candidates on it."""
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    form = SlateForm(request.POST if request.method == "POST" else None, slate=slate)
    if request.method == "POST" and form.is_valid():
        try:
            setup.slate_update(
                actor=acting_user(request),
                slate=slate,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                colour=form.cleaned_data["colour"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, "The slate is saved.")
            return redirect("elections:slate_edit", election_slug, slate_id)
    return _slate_page(request, slate, form, SlateMembershipForm(slate=slate))


@login_required
@require_POST
def slate_delete(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    try:
        setup.slate_delete(actor=acting_user(request), slate=slate)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("elections:slate_edit", election_slug, slate_id)
    messages.success(request, f"Deleted the slate {slate.name}.")
    return redirect("elections:slate_manage", election_slug)


@login_required
@require_POST
def slate_member_add(request: HttpRequest, election_slug: str, slate_id: int) -> HttpResponse:
    """Put a candidate on the slate, with where and when the endorsement was published."""
    slate = access.slate_for_organiser(request.user, election_slug, slate_id)
    member_form = SlateMembershipForm(request.POST, slate=slate)
    if member_form.is_valid():
        try:
            membership = services.slate_membership_add(
                actor=acting_user(request),
                slate=slate,
                candidate=member_form.cleaned_data["candidate"],
                source=member_form.cleaned_data["source"],
                endorsed_on=member_form.cleaned_data["endorsed_on"],
            )
        except DomainError as err:
            err.show_on(member_form)
        else:
            messages.success(request, f"Put {membership.candidate.name} on {slate.name}.")
            return redirect("elections:slate_edit", election_slug, slate_id)
    return _slate_page(request, slate, SlateForm(slate=slate), member_form)


@login_required
@require_POST
def slate_member_remove(
    request: HttpRequest, election_slug: str, slate_id: int, membership_id: int
) -> HttpResponse:
    membership = access.slate_membership_for_organiser(
        request.user, election_slug, slate_id, membership_id
    )
    try:
        setup.slate_membership_remove(actor=acting_user(request), membership=membership)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Took {membership.candidate.name} off {membership.slate.name}.")
    return redirect("elections:slate_edit", election_slug, slate_id)


@login_required
def slate_member_edit(
    request: HttpRequest, election_slug: str, slate_id: int, membership_id: int
) -> HttpResponse:
    """Correct where and when a candidate's endorsement was published."""
    membership = access.slate_membership_for_organiser(
        request.user, election_slug, slate_id, membership_id
    )
    form = SlateMembershipEditForm(
        request.POST if request.method == "POST" else None, membership=membership
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.slate_membership_update(
                actor=acting_user(request),
                membership=membership,
                source=form.cleaned_data["source"],
                endorsed_on=form.cleaned_data["endorsed_on"],
            )
        except DomainError as err:
            err.show_on(form)
        else:
            messages.success(request, f"Saved {membership.candidate.name}'s endorsement.")
            return redirect("elections:slate_edit", election_slug, slate_id)
    context = {"form": form, "membership": membership, "election": membership.slate.election}
    return render(request, "elections/slate_member_form.html", context, status=_status(form))
