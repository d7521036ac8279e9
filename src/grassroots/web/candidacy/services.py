"""Writing candidates' pages: questionnaires, profiles, the candidate's emailed link, and a
ballot paper's order. Each write runs in one transaction with its audit row; summaries hold
ids and field names, never a candidate's name or words."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.web.audit.services import audit_record
from grassroots.web.ballots.models import Ballot, Method, Status
from grassroots.web.candidacy.models import (
    Answer,
    BallotPaperSettings,
    CandidateProfile,
    Question,
    Questionnaire,
)
from grassroots.web.candidacy.photos import photo_delete, photo_prepare, photo_store
from grassroots.web.elections.models import Section
from grassroots.web.errors import DomainError
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import User

ALREADY = "This {what} has its candidates' pages already: edit them instead."
NO_CANDIDATES = "A yes-or-no question has no candidates to put questions to."
NOTE_NEEDED = (
    "Say how the candidate gave these answers (for example “by email on 3 May”): the page "
    "shows it beside them."
)
QUESTION_ANSWERED = (
    "Question {number} has answers already: keep it (you may reword it), or ask the "
    "candidates to clear their answers first."
)
PAPER_NOT_DRAFT = "The ballot has opened: its paper can no longer change."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _profiles_sync(questionnaire: Questionnaire) -> int:
    """Give every candidate of the questionnaire's ballot or section a profile; how many
    were new. Candidates added later get theirs when the questionnaire is next saved."""
    created = 0
    if questionnaire.ballot is not None:
        have = set(
            CandidateProfile.objects.filter(questionnaire=questionnaire).values_list(
                "ballot_option_id", flat=True
            )
        )
        for option in questionnaire.ballot.options.exclude(pk__in=have):
            CandidateProfile.objects.create(questionnaire=questionnaire, ballot_option=option)
            created += 1
    elif questionnaire.section is not None:
        have = set(
            CandidateProfile.objects.filter(questionnaire=questionnaire).values_list(
                "candidate_id", flat=True
            )
        )
        for candidate in questionnaire.section.candidates.exclude(pk__in=have):
            CandidateProfile.objects.create(questionnaire=questionnaire, candidate=candidate)
            created += 1
    return created


def _questions_set(questionnaire: Questionnaire, texts: Sequence[str]) -> list[str]:
    """Make the questions ``texts``, in order: the nth question keeps its answers when only
    its words change. Removing an answered question is refused. What changed, in words."""
    existing = list(questionnaire.questions.order_by("position", "id"))
    changed = []
    for number, question in enumerate(existing[len(texts) :], start=len(texts) + 1):
        if question.answers.exists():
            raise DomainError(QUESTION_ANSWERED.format(number=number), field="questions")
    for question in existing[len(texts) :]:
        question.delete()
        changed.append("question removed")
    for position, text in enumerate(texts):
        if position < len(existing):
            question = existing[position]
            if question.text != text or question.position != position:
                question.text, question.position = text, position
                question.save(update_fields=["text", "position"])
                changed.append("question reworded")
        else:
            Question.objects.create(questionnaire=questionnaire, text=text, position=position)
            changed.append("question added")
    return changed


@transaction.atomic(durable=True)
def questionnaire_create(
    *,
    actor: User,
    ballot: Ballot | None = None,
    section: Section | None = None,
    title: str,
    intro: str = "",
    questions: Sequence[str] = (),
) -> Questionnaire:
    """Candidates' pages for a ballot's options or a section's candidates: the questions,
    and an empty profile per candidate."""
    if (ballot is None) == (section is None):
        raise DomainError("Choose a ballot or an election section.", field="target")
    if ballot is not None and ballot.method == Method.YES_NO:
        raise DomainError(NO_CANDIDATES, field="target")
    taken = (
        Questionnaire.objects.filter(ballot=ballot)
        if ballot is not None
        else Questionnaire.objects.filter(section=section)
    )
    if taken.exists():
        raise DomainError(
            ALREADY.format(what="ballot" if ballot is not None else "section"), field="target"
        )
    questionnaire = Questionnaire.objects.create(
        ballot=ballot, section=section, title=title, intro=intro
    )
    _questions_set(questionnaire, questions)
    created = _profiles_sync(questionnaire)
    audit_record(
        actor_id=actor.pk,
        action="candidacy.questionnaire_create",
        object_type="questionnaire",
        object_id=questionnaire.pk,
        summary=f"{len(questions)} questions, {created} candidates",
    )
    return questionnaire


@transaction.atomic(durable=True)
def questionnaire_update(
    *,
    actor: User,
    questionnaire: Questionnaire,
    title: str,
    intro: str,
    questions: Sequence[str],
) -> Questionnaire:
    """Change the title, introduction and questions, and give a profile to candidates added
    since the last save."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    changed = [
        name
        for name, new in (("title", title), ("intro", intro))
        if getattr(questionnaire, name) != new
    ]
    questionnaire.title, questionnaire.intro = title, intro
    questionnaire.save(update_fields=["title", "intro"])
    changed += _questions_set(questionnaire, questions)
    created = _profiles_sync(questionnaire)
    if created:
        changed.append(f"{created} candidates added")
    audit_record(
        actor_id=actor.pk,
        action="candidacy.questionnaire_update",
        object_type="questionnaire",
        object_id=questionnaire.pk,
        summary=", ".join(dict.fromkeys(changed)) or "nothing changed",
    )
    return questionnaire


@transaction.atomic(durable=True)
def profile_update(
    *,
    actor: User | None,
    profile: CandidateProfile,
    statement: str,
    answers: Mapping[int, str],
    photo: UploadedFile | None = None,
    photo_remove: bool = False,
    note: str = "",
) -> CandidateProfile:
    """Save a candidate's statement, photo and answers (keyed by question id; an empty
    answer is removed). ``actor`` None: the candidate, through their link; otherwise an
    organiser entering them on the candidate's behalf, who must say how (``note``)."""
    prepared = photo_prepare(photo) if photo is not None else None
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    questions = {q.pk: q for q in profile.questionnaire.questions.all()}
    current = {a.question_id: a for a in profile.answers.all()}
    changed_answers = {
        question_id: text.strip()
        for question_id, text in answers.items()
        if question_id in questions
        and text.strip() != (current[question_id].text if question_id in current else "")
    }
    on_behalf = actor is not None
    if on_behalf and changed_answers and not note.strip():
        raise DomainError(NOTE_NEEDED, field="note")
    changed = []
    for question_id, text in changed_answers.items():
        if not text:
            current[question_id].delete()
            continue
        Answer.objects.update_or_create(
            profile=profile,
            question=questions[question_id],
            defaults={
                "text": text,
                "entered_by_organiser": on_behalf,
                "note": note.strip() if on_behalf else "",
            },
        )
    if changed_answers:
        changed.append(f"{len(changed_answers)} answers")
    if statement != profile.statement:
        profile.statement = statement
        changed.append("statement")
    old_photo = profile.photo.name if (prepared is not None or photo_remove) else ""
    if prepared is not None:
        name = photo_store(prepared)
        profile.photo.name = name
        changed.append("photo")
    elif photo_remove and profile.photo:
        profile.photo.name = ""
        changed.append("photo removed")
    if old_photo:
        transaction.on_commit(lambda: photo_delete(old_photo))
    profile.updated_at = timezone.now()
    profile.save()
    audit_record(
        actor_id=actor.pk if actor is not None else None,
        action="candidacy.profile_update",
        object_type="candidate_profile",
        object_id=profile.pk,
        summary=(", ".join(changed) or "nothing changed")
        + (" (on the candidate's behalf)" if on_behalf else " (by the candidate)"),
    )
    return profile


def profile_link_url(*, token: str, site_url: str) -> str:
    return site_url.rstrip("/") + reverse("candidacy:answer", args=(token,))


@transaction.atomic(durable=True)
def profile_link_send(
    *, actor: User, profile: CandidateProfile, email: str, site_url: str
) -> CandidateProfile:
    """Email the candidate a link to write their own statement and answers, at the address
    they gave for the candidacy. A new link replaces the last one."""
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    token = secrets.token_urlsafe(32)
    profile.token_hash = token_hash(token)
    profile.contact_email = email
    profile.link_sent_at = timezone.now()
    profile.save(update_fields=["token_hash", "contact_email", "link_sent_at"])
    questionnaire = profile.questionnaire
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    link = profile_link_url(token=token, site_url=site_url)
    name = profile.name
    body = (
        f"Hello {name},\n\n{alliance} publishes a page for each candidate in "
        f'"{questionnaire.title}": a statement, a photo if you wish, and your answers to '
        f"{questionnaire.questions.count()} questions, which supporters compare side by "
        f"side.\n\nWrite yours here (the link is yours alone; keep it private):\n\n{link}\n\n"
        "You may come back to it to change them. A newer link replaces this one.\n"
    )
    key = f"candidacy-link:{profile.token_hash}"
    transaction.on_commit(
        lambda: send_later(
            key=key, subject=f"Your candidate's page: {questionnaire.title}", body=body, to=email
        )
    )
    audit_record(
        actor_id=actor.pk,
        action="candidacy.link_send",
        object_type="candidate_profile",
        object_id=profile.pk,
    )
    return profile


@transaction.atomic(durable=True)
def ballot_paper_set(*, actor: User, ballot: Ballot, fixed_order: bool) -> BallotPaperSettings:
    """Choose whether a draft ballot lists its options in its own order for every voter
    (``fixed_order``) or in a random order per voter."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != Status.DRAFT:
        raise DomainError(PAPER_NOT_DRAFT, field="fixed_order")
    settings_row, _ = BallotPaperSettings.objects.update_or_create(
        ballot=ballot, defaults={"fixed_order": fixed_order}
    )
    audit_record(
        actor_id=actor.pk,
        action="candidacy.ballot_paper",
        object_type="ballot",
        object_id=ballot.pk,
        summary="fixed order" if fixed_order else "random order per voter",
    )
    return settings_row
