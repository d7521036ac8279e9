"""Choosing the alliance's slate by ballot: affiliates nominate, a slate ballot chooses, the
slate is published with endorsements from other organisations.

This app sits above ``alliance``, ``elections`` and ``ballots`` and writes their tables only
through their services. Every change here goes through ``slates.services``
(``slate_nomination_submit``, ``slate_ballot_create``, ``slate_publish``,
``endorsement_record``), which also write the audit log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.ballots.models import Ballot
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Candidate, Gender, Section, Slate


class SlateNomination(models.Model):
    """An affiliate's nomination of someone for a section: the candidate's profile, who
    nominated them and when. Several organisations may nominate the same person (by name, in
    any case); each organisation nominates a person once."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="slate_nominations"
    )
    name = models.CharField(max_length=150)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    clp = models.ForeignKey(
        Constituency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CLP",
    )
    statement = models.TextField(max_length=1000, blank=True)
    nominated_on = models.DateField(default=timezone.localdate)
    submitted_by_id = models.IntegerField(null=True, blank=True)  # a plain id, like the audit log

    class Meta:
        ordering = ("section", "name", "nominated_on", "id")
        constraints = (
            models.UniqueConstraint(
                "section",
                "organisation",
                Lower("name"),
                name="slates_nomination_once_per_organisation",
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation} nominates {self.name}"


class SlateSelection(models.Model):
    """A slate ballot for a section: the ballot that chooses ``slate_size`` of the nominees
    and, once ``slate_publish`` has run, the slate it chose for."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="+")
    slate_size = models.PositiveSmallIntegerField()
    slate = models.ForeignKey(
        Slate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("section", "-created_at")
        constraints = (
            models.CheckConstraint(condition=Q(slate_size__gte=1), name="slates_size_positive"),
            # One published slate per section: a second ballot may run, but only one publishes.
            models.UniqueConstraint(
                fields=("section",),
                condition=Q(published_at__isnull=False),
                name="slates_one_published_per_section",
            ),
        )

    def __str__(self) -> str:
        return f"slate ballot {self.ballot} for {self.section}"


class SlatePlace(models.Model):
    """A chosen candidate's place on the published slate: the order of election."""

    selection = models.ForeignKey(SlateSelection, on_delete=models.CASCADE, related_name="places")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("selection", "position")
        constraints = (
            models.UniqueConstraint(fields=("selection", "position"), name="slates_place_once"),
        )

    def __str__(self) -> str:
        return f"{self.position}. {self.candidate}"


class Endorsement(models.Model):
    """Another organisation's endorsement of the alliance's slate, and where it said so."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="endorsements"
    )
    slate = models.ForeignKey(Slate, on_delete=models.CASCADE, related_name="+")
    endorsed_on = models.DateField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("slate", "endorsed_on", "id")
        constraints = (
            models.UniqueConstraint(fields=("organisation", "slate"), name="slates_endorse_once"),
        )

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.slate}"
