"""Candidates' pages: the list, the side-by-side comparison and each candidate's page for
everyone; the organisers' pages that set the questions and enter answers; the candidate's
own page through their emailed link; a ballot paper's order."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.web.candidacy import access, selectors, services
from grassroots.web.candidacy.forms import (
    BallotPaperForm,
    LinkForm,
    ProfileForm,
    QuestionnaireCreateForm,
    QuestionnaireForm,
)
from grassroots.web.candidacy.models import CandidateProfile
from grassroots.web.forms_flow import form_data, form_status, handle_form
from grassroots.web.people.models import User


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Every ballot and section with candidates' pages."""
    writer = access.may_write(request.user)
    context = {
        "questionnaires": list(selectors.questionnaire_list(include_drafts=writer)),
        "may_write": writer,
    }
    return render(request, "candidacy/questionnaire_list.html", context)


def compare(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    """The candidates' answers side by side: a column each on a wide screen, one after the
    other on a phone."""
    questionnaire = access.questionnaire_for_viewer(request.user, questionnaire_id)
    context = {
        "comparison": selectors.comparison_get(questionnaire=questionnaire),
        "may_write": access.may_write(request.user),
    }
    return render(request, "candidacy/compare.html", context)


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    writer = access.candidacy_writer(request.user)
    form = QuestionnaireCreateForm(form_data(request))
    if done := handle_form(
        request,
        form,
        lambda data: services.questionnaire_create(
            actor=writer,
            ballot=data["ballot"],
            section=data["section"],
            title=data["title"],
            intro=data["intro"],
            questions=data["questions"],
        ),
        success="The candidates' pages are ready: enter their answers or send each a link.",
        redirect_to=lambda q: reverse("candidacy:manage", args=(q.pk,)),
    ):
        return done
    return render(
        request, "candidacy/questionnaire_form.html", {"form": form}, status=form_status(form)
    )


@login_required
def questionnaire_edit(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    writer, questionnaire = access.questionnaire_for_writer(request.user, questionnaire_id)
    initial = {
        "title": questionnaire.title,
        "intro": questionnaire.intro,
        "questions": "\n".join(q.text for q in questionnaire.questions.order_by("position")),
    }
    form = QuestionnaireForm(form_data(request), initial=initial)
    if done := handle_form(
        request,
        form,
        lambda data: services.questionnaire_update(
            actor=writer, questionnaire=questionnaire, **data
        ),
        success="Saved.",
        redirect_to=reverse("candidacy:manage", args=(questionnaire.pk,)),
    ):
        return done
    return render(
        request,
        "candidacy/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
        status=form_status(form),
    )


@login_required
def manage(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    """The candidates with their pages' state, a link to enter each one's answers, and a
    form to email each a link of their own."""
    _, questionnaire = access.questionnaire_for_writer(request.user, questionnaire_id)
    comparison = selectors.comparison_get(questionnaire=questionnaire)
    return render(
        request,
        "candidacy/manage.html",
        {"comparison": comparison, "link_form": LinkForm()},
    )


def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    """A candidate's page: photo, statement and answers."""
    candidate = access.profile_for_viewer(request.user, profile_id)
    return render(
        request,
        "candidacy/profile.html",
        {
            "profile": candidate,
            "answers": selectors.profile_answers(profile=candidate),
            "may_write": access.may_write(request.user),
        },
    )


def _profile_form_page(
    request: HttpRequest, candidate: CandidateProfile, *, actor: User | None, template_url: str
) -> HttpResponse:
    questions = list(candidate.questionnaire.questions.order_by("position", "id"))
    form = ProfileForm(
        form_data(request),
        request.FILES if request.method == "POST" else None,
        profile=candidate,
        questions=questions,
        on_behalf=actor is not None,
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.profile_update(
            actor=actor,
            profile=candidate,
            statement=data["statement"],
            answers=form.answers(),
            photo=data.get("photo") or None,
            photo_remove=bool(data.get("photo_remove")),
            note=data.get("note", ""),
        ),
        success="The candidate's page is saved.",
        redirect_to=template_url,
    ):
        return done
    return render(
        request,
        "candidacy/profile_form.html",
        {"form": form, "profile": candidate, "on_behalf": actor is not None},
        status=form_status(form),
    )


@login_required
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    """An organiser enters a candidate's statement, photo or answers on their behalf."""
    writer, candidate = access.profile_for_writer(request.user, profile_id)
    return _profile_form_page(
        request,
        candidate,
        actor=writer,
        template_url=reverse("candidacy:manage", args=(candidate.questionnaire_id,)),
    )


@login_required
@require_POST
def profile_link(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Email the candidate their own link; the address is the candidate's, given for the
    candidacy."""
    writer, candidate = access.profile_for_writer(request.user, profile_id)
    form = LinkForm(request.POST)
    manage_url = reverse("candidacy:manage", args=(candidate.questionnaire_id,))
    if done := handle_form(
        request,
        form,
        lambda data: services.profile_link_send(
            actor=writer, profile=candidate, email=data["email"], site_url=_site_url(request)
        ),
        success="The link is on its way; it replaces any link sent before.",
        redirect_to=manage_url,
    ):
        return done
    comparison = selectors.comparison_get(questionnaire=candidate.questionnaire)
    return render(
        request,
        "candidacy/manage.html",
        {"comparison": comparison, "link_form": form, "link_profile": candidate},
        status=form_status(form),
    )


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The candidate's own page, reached by the emailed link, whoever is logged in."""
    candidate = selectors.profile_by_token(token_hash=services.token_hash(token))
    if candidate is None:
        raise Http404(access.NOT_FOUND)
    response = _profile_form_page(request, candidate, actor=None, template_url=request.path)
    # The token is in this page's address: never send it on in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def ballot_paper(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft ballot's returning officer chooses how its paper orders the options."""
    officer, ballot = access.ballot_paper_for_officer(request.user, slug)
    fixed = selectors.ballot_paper_fixed(ballot=ballot)
    form = BallotPaperForm(
        form_data(request), initial={"fixed_order": "fixed" if fixed else "random"}
    )
    if done := handle_form(
        request,
        form,
        lambda data: services.ballot_paper_set(
            actor=officer, ballot=ballot, fixed_order=data["fixed_order"]
        ),
        success="The ballot paper's order is saved.",
        redirect_to=reverse("ballots:manage", args=(ballot.slug,)),
    ):
        return done
    return render(
        request,
        "candidacy/ballot_paper.html",
        {"form": form, "ballot": ballot, "fixed": fixed},
        status=form_status(form),
    )
