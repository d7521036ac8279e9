"""Reading candidates' pages: the list, a side-by-side comparison, a profile, and what a
ballot paper needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from grassroots.web.ballots.models import Ballot, Status
from grassroots.web.ballots.paper import PaperExtras
from grassroots.web.candidacy.models import (
    Answer,
    BallotPaperSettings,
    CandidateProfile,
    Question,
    Questionnaire,
)


def questionnaire_list(*, include_drafts: bool) -> QuerySet[Questionnaire]:
    """Every questionnaire; those of draft ballots only with ``include_drafts``."""
    rows = Questionnaire.objects.select_related("ballot", "section", "section__election")
    if not include_drafts:
        rows = rows.exclude(ballot__status=Status.DRAFT)
    return rows.order_by("-created_at", "id")


def questionnaire_get(*, questionnaire_id: int) -> Questionnaire | None:
    return (
        Questionnaire.objects.select_related("ballot", "section", "section__election")
        .filter(pk=questionnaire_id)
        .first()
    )


def _profiles(questionnaire: Questionnaire) -> list[CandidateProfile]:
    profiles = list(
        questionnaire.profiles.select_related("ballot_option", "candidate").prefetch_related(
            "answers"
        )
    )
    return sorted(profiles, key=lambda p: (p.name.casefold(), p.pk))


@dataclass(frozen=True)
class ComparisonRow:
    question: Question
    answers: list[tuple[CandidateProfile, Answer | None]]


@dataclass(frozen=True)
class Comparison:
    questionnaire: Questionnaire
    profiles: list[CandidateProfile]
    rows: list[ComparisonRow]


def comparison_get(*, questionnaire: Questionnaire) -> Comparison:
    """Each question with every candidate's answer (None where they gave none), candidates
    by name: a fixed order here, since no vote is being cast on this page."""
    profiles = _profiles(questionnaire)
    answers = {(a.profile_id, a.question_id): a for p in profiles for a in p.answers.all()}
    rows = [
        ComparisonRow(question, [(p, answers.get((p.pk, question.pk))) for p in profiles])
        for question in questionnaire.questions.order_by("position", "id")
    ]
    return Comparison(questionnaire=questionnaire, profiles=profiles, rows=rows)


def profile_get(*, profile_id: int) -> CandidateProfile | None:
    return (
        CandidateProfile.objects.select_related(
            "questionnaire",
            "questionnaire__ballot",
            "questionnaire__section",
            "ballot_option",
            "candidate",
        )
        .filter(pk=profile_id)
        .first()
    )


def profile_by_token(*, token_hash: str) -> CandidateProfile | None:
    if not token_hash:
        return None
    return (
        CandidateProfile.objects.select_related(
            "questionnaire", "questionnaire__ballot", "ballot_option", "candidate"
        )
        .filter(token_hash=token_hash)
        .first()
    )


def profile_answers(*, profile: CandidateProfile) -> list[tuple[Question, Answer | None]]:
    """Each of the questionnaire's questions with the candidate's answer, or None."""
    answers = {a.question_id: a for a in profile.answers.all()}
    return [(q, answers.get(q.pk)) for q in profile.questionnaire.questions.order_by("position")]


def ballot_paper_extras(ballot: Ballot) -> PaperExtras:
    """Whether the ballot keeps its own order, and the page of each option with one."""
    fixed = BallotPaperSettings.objects.filter(ballot=ballot, fixed_order=True).exists()
    links = {
        option_id: reverse("candidacy:profile", args=(profile_id,))
        for profile_id, option_id in CandidateProfile.objects.filter(
            ballot_option__ballot=ballot
        ).values_list("pk", "ballot_option_id")
        if option_id is not None
    }
    return PaperExtras(fixed_order=fixed, links=links)


def ballot_paper_fixed(*, ballot: Ballot) -> bool:
    return BallotPaperSettings.objects.filter(ballot=ballot, fixed_order=True).exists()
