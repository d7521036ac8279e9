"""Views of the elections app: each checks access, validates a form, calls one service, and
renders or redirects."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grassroots.web.elections import access, history, selectors, services
from grassroots.web.elections.forms import NominationForm, NominationImportForm, ResultImportForm
from grassroots.web.elections.imports import NominationFileError
from grassroots.web.elections.models import Section
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User


def _show_error(form: forms.Form, err: DomainError) -> None:
    form.add_error(err.field if err.field in form.fields else None, err.message)


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404(access.NOT_FOUND)
    return request.user


def _status(*forms_: forms.Form) -> int:
    return 400 if any(f.errors for f in forms_) else 200


def party_election_list(request: HttpRequest) -> HttpResponse:
    """Party elections and their sections, for everyone."""
    elections = list(selectors.party_election_list())
    return render(request, "elections/party_election_list.html", {"elections": elections})


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
                actor=_actor(request),
                section=section,
                candidate=form.cleaned_data["candidate"],
                clp=form.cleaned_data["clp"],
                nominated_on=form.cleaned_data["nominated_on"],
            )
        except DomainError as err:
            _show_error(form, err)
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
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            import_form.add_error("file", "The file is not UTF-8 text.")
        else:
            try:
                imported = services.nomination_import(
                    actor=_actor(request), section=section, text=text
                )
            except NominationFileError as err:
                import_form.add_error("file", err.message.split(". ")[0] + ".")
                row_errors = [str(e) for e in err.errors]
            except DomainError as err:
                _show_error(import_form, err)
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
                actor=_actor(request), section=section, filename=upload.name, data=upload.read()
            )
        except DomainError as err:
            _show_error(form, err)
        else:
            messages.success(request, "The result is stored.")
            return redirect("elections:result_detail", election_slug, section_slug)
    context = {"section": section, "form": form}
    return render(request, "elections/result_import.html", context, status=_status(form))


def history_view(request: HttpRequest) -> HttpResponse:
    """Seats won by slate in past NEC CLP-section elections, from published figures."""
    elections = history.past_election_list(section="CLP")
    slates, seats = history.slate_trend(elections)
    context = {"elections": elections, "rows": list(zip(slates, seats, strict=True))}
    return render(request, "elections/history.html", context)
