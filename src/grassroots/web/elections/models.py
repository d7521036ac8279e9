"""The party's own election: sections, candidates, competing slates, CLP nominations and
results.

Every change goes through ``elections.services`` (``party_election_reference_load``,
``candidate_create``, ``slate_create``, ``slate_membership_add``, ``nomination_record``,
``nomination_import``, ``result_count_import``, ``result_sheet_import``) or, for organisers
setting an election up in the site, ``elections.setup`` (``party_election_create``/``_update``,
``party_election_delete``, ``section_create``/``_update``/``_delete``,
``candidate_update``/``_delete``, ``slate_update``/``_delete``,
``slate_membership_update``/``_remove``); both also write the audit log. Analysis
of a stored result is in ``elections.analysis`` (plain functions).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from grassroots.count import RULES
from grassroots.web.constituencies.models import Constituency

RULE_CHOICES = [(name, title) for name, title in RULES.items()]


class PartyElection(models.Model):
    """One round of the party's internal elections, with its timetable."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    party = models.CharField(max_length=100, default="Labour Party")
    nominations_open = models.DateField(null=True, blank=True)
    nominations_close = models.DateField(null=True, blank=True)
    ballot_open = models.DateField(null=True, blank=True)
    ballot_close = models.DateField(null=True, blank=True)
    count_on = models.DateField("count", null=True, blank=True)

    class Meta:
        ordering = ("-nominations_open", "slug")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A section of an election: its seats, counting rule, quotas and nomination threshold.

    ``quotas`` is the engine's JSON form, e.g. ``{"F": {"min": 4}}``; categories are the
    candidates' ``gender``.
    """

    election = models.ForeignKey(PartyElection, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=150)
    seats = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=20, choices=RULE_CHOICES, default="scottish")
    quotas = models.JSONField(default=dict, blank=True)
    nomination_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="CLP nominations a candidate needs to reach the ballot."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("election", "position", "slug")
        constraints = (
            models.UniqueConstraint(fields=("election", "slug"), name="elections_section_slug"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="elections_section_seats"),
        )

    def __str__(self) -> str:
        return f"{self.election}: {self.name}"

    @property
    def minimum_women(self) -> int:
        """The least number of women to elect (0 when the section has no such quota)."""
        limit = self.quotas.get("F", {}) if isinstance(self.quotas, dict) else {}
        return int(limit.get("min", 0))

    @property
    def quota_text(self) -> str:
        """The quotas in words, e.g. "at least 4 women", or "" when there are none."""
        quotas = self.quotas if isinstance(self.quotas, dict) else {}
        parts = []
        for category, limit in quotas.items():
            for word, key in (("at least", "min"), ("at most", "max")):
                number = limit.get(key)
                if number or (key == "max" and number is not None):
                    names = QUOTA_CATEGORY_ONE if number == 1 else QUOTA_CATEGORIES
                    parts.append(f"{word} {number} {names.get(category, category)}")
        return ", ".join(parts)


class Gender(models.TextChoices):
    WOMAN = "F", "Woman"
    MAN = "M", "Man"
    OTHER = "X", "Non-binary or other"
    NOT_STATED = "", "Not stated"


# The categories a section's quotas may limit (the candidates' gender), in words.
QUOTA_CATEGORIES: dict[str, str] = {
    Gender.WOMAN.value: "women",
    Gender.MAN.value: "men",
    Gender.OTHER.value: "non-binary or other candidates",
}
QUOTA_CATEGORY_ONE: dict[str, str] = {
    Gender.WOMAN.value: "woman",
    Gender.MAN.value: "man",
    Gender.OTHER.value: "non-binary or other candidate",
}


class Candidate(models.Model):
    """Someone standing in a section. ``gender`` is the category the section's quotas use."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="candidates")
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

    class Meta:
        ordering = ("section", "name")
        constraints = (
            models.UniqueConstraint(fields=("section", "name"), name="elections_candidate_name"),
        )

    def __str__(self) -> str:
        return self.name


class Slate(models.Model):
    """A faction's published list of candidates in an election."""

    election = models.ForeignKey(PartyElection, on_delete=models.CASCADE, related_name="slates")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    colour = models.CharField(max_length=7, default="#888888", help_text="e.g. #c0392b")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("election", "position", "name")
        constraints = (
            models.UniqueConstraint(fields=("election", "name"), name="elections_slate_name"),
        )

    def __str__(self) -> str:
        return self.name


class SlateMembership(models.Model):
    """A candidate on a slate, with where the endorsement was published and when."""

    slate = models.ForeignKey(Slate, on_delete=models.CASCADE, related_name="memberships")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="slate_memberships"
    )
    source = models.CharField(max_length=300, blank=True)
    endorsed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("slate", "candidate")
        constraints = (
            models.UniqueConstraint(fields=("slate", "candidate"), name="elections_slate_member"),
        )

    def __str__(self) -> str:
        return f"{self.candidate} on {self.slate}"


class Nomination(models.Model):
    """A CLP's nomination of a candidate. A CLP nominates a candidate once."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="nominations")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    clp = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="+", verbose_name="CLP"
    )
    nominated_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("section", "nominated_on", "id")
        constraints = (
            models.UniqueConstraint(fields=("clp", "candidate"), name="elections_nomination_once"),
        )

    def __str__(self) -> str:
        return f"{self.clp} nominates {self.candidate}"


class ResultKind(models.TextChoices):
    COUNT = "count", "Counted here from a ballot file"
    SHEET = "sheet", "Published count sheet"


class SectionResult(models.Model):
    """A section's result: the engine's ``Result.to_dict()`` (or a published count sheet in the
    same layout, see docs/elections.md). Importing again replaces it."""

    section = models.OneToOneField(Section, on_delete=models.CASCADE, related_name="result")
    kind = models.CharField(max_length=5, choices=ResultKind.choices)
    filename = models.CharField(max_length=200, blank=True)
    data = models.JSONField()
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"result of {self.section}"


class ForecastStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ForecastRun(models.Model):
    """A section's forecast, asked for on the forecast page and run by the worker.

    ``input_hash`` is the hash of ``inputs`` (the scenario, the runs, the comparisons, the seed
    and the version of the code that shapes the result): two requests with the same inputs
    share one run and its stored ``result``, which its own address shows to every organiser.
    ``requested_by`` is kept for audit, and emptied when that person erases their account.
    """

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="forecast_runs")
    inputs = models.JSONField()
    input_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ForecastStatus.choices, default=ForecastStatus.QUEUED
    )
    runs_done = models.PositiveIntegerField(default=0)
    runs_total = models.PositiveIntegerField()
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Forecast {self.pk} of {self.section} ({self.status})"
