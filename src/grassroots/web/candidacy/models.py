"""Candidates' pages: for a ballot's options (a slate selection, or any ballot of candidates)
or a party election section's candidates, each candidate's statement, photo and answers to
the organisers' questions; and how a ballot's paper orders its candidates.

This app sits above ``ballots``, ``elections`` and ``slates`` and points at their rows; it
adds nothing to their tables. Every change goes through ``candidacy.services``
(``questionnaire_create``, ``questionnaire_update``, ``profile_update``,
``profile_link_send``, ``ballot_paper_set``), which also write the audit log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from grassroots.web.ballots.models import Ballot, BallotOption
from grassroots.web.elections.models import Candidate, Section


class BallotPaperSettings(models.Model):
    """How a ballot's voting page orders its options. Without a row, candidates appear in a
    random order per voter (``ballots.paper``)."""

    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="+")
    fixed_order = models.BooleanField(
        default=False, help_text="List the options in the ballot's own order for every voter."
    )

    def __str__(self) -> str:
        return f"{self.ballot} paper"


class Questionnaire(models.Model):
    """The candidates' pages of one ballot or one election section: the questions the
    organisers put to every candidate (there may be none), and a profile per candidate."""

    ballot = models.OneToOneField(
        Ballot, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    intro = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(ballot__isnull=True, section__isnull=False)
                | Q(ballot__isnull=False, section__isnull=True),
                name="candidacy_questionnaire_one_target",
            ),
        )

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("questionnaire", "position", "id")

    def __str__(self) -> str:
        return self.text


class CandidateProfile(models.Model):
    """A candidate's page: a ballot option's or an election candidate's (one of the two).

    ``contact_email`` is the address the organisers sent the candidate's link to;
    ``token_hash`` is the SHA-256 of the last link's token (only the last link works)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="profiles"
    )
    ballot_option = models.OneToOneField(
        BallotOption, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    statement = models.TextField(max_length=10000, blank=True)
    # Stored by ``candidacy.photos`` only: resized and re-encoded, with no metadata.
    photo = models.FileField(blank=True, max_length=200)
    contact_email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("questionnaire", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(ballot_option__isnull=True, candidate__isnull=False)
                | Q(ballot_option__isnull=False, candidate__isnull=True),
                name="candidacy_profile_one_candidate",
            ),
        )

    def __str__(self) -> str:
        return f"profile {self.pk}"

    @property
    def name(self) -> str:
        if self.ballot_option is not None:
            return self.ballot_option.name
        return self.candidate.name if self.candidate is not None else ""


class Answer(models.Model):
    """A candidate's answer to a question: written by them through their link, or entered
    by an organiser on their behalf, with a note saying how the candidate gave it."""

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(max_length=5000)
    entered_by_organiser = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("profile", "question__position")
        constraints = (
            models.UniqueConstraint(fields=("profile", "question"), name="candidacy_answer_once"),
        )

    def __str__(self) -> str:
        return f"answer {self.pk}"
