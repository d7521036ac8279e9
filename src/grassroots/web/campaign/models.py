"""Winning the party election: the nominations drive and vote management for a slate.

A ``Drive`` follows a slate's CLP nominations in a section: its ``Target`` CLPs, the
nomination ``Meeting`` dates supporters enter, the supporters who ``Volunteer`` to move the
slate's nomination, and the ``OutcomeReport`` of each meeting, which counts only once an
organiser confirms it (``campaign.services.outcome_confirm`` then records the
``elections.Nomination``). A ``VotePlan`` splits the slate's supporters into ``PlanGroup``s,
each told its own order of the slate; ``PlanRun`` is its evaluation or search, run by the
worker. Every change goes through ``campaign.services``, which writes the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Candidate, ForecastStatus, Section, Slate


class Drive(models.Model):
    """A slate's drive for CLP nominations in one section."""

    slate = models.ForeignKey(Slate, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=("slate", "section"), name="campaign_drive_once"),
        )

    def __str__(self) -> str:
        return f"{self.slate} in {self.section}"


class Target(models.Model):
    """A CLP the drive asks to nominate the slate."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="targets")
    clp = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("drive", "clp")
        constraints = (
            models.UniqueConstraint(fields=("drive", "clp"), name="campaign_target_once"),
        )

    def __str__(self) -> str:
        return f"{self.clp} ({self.drive})"


class Meeting(models.Model):
    """A target CLP's nomination meeting date, as a supporter there last entered it. Who
    entered it, and every earlier date, are in the audit log, not here."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="meetings")
    clp = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")
    meets_on = models.DateField()
    source = models.CharField(max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("meets_on", "clp")
        constraints = (
            models.UniqueConstraint(fields=("drive", "clp"), name="campaign_meeting_once"),
        )

    def __str__(self) -> str:
        return f"{self.clp} meets on {self.meets_on}"


class Volunteer(models.Model):
    """A supporter who agreed to move the slate's nomination at their CLP's meeting."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="volunteers")
    clp = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("drive", "clp", "created_at")
        constraints = (
            models.UniqueConstraint(fields=("drive", "user"), name="campaign_volunteer_once"),
        )

    def __str__(self) -> str:
        return f"volunteer {self.pk}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an organiser"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Not confirmed"


class OutcomeReport(models.Model):
    """A supporter's report of what their CLP's nomination meeting decided. It counts in the
    tracker only once an organiser confirms it; the reporter and source are also audited."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="reports")
    clp = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")
    met_on = models.DateField()
    source = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"


class OutcomeNominee(models.Model):
    """A candidate a reported meeting nominated, with the votes if known."""

    report = models.ForeignKey(OutcomeReport, on_delete=models.CASCADE, related_name="nominees")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("report", "candidate")
        constraints = (
            models.UniqueConstraint(fields=("report", "candidate"), name="campaign_nominee_once"),
        )

    def __str__(self) -> str:
        return f"{self.candidate} in report {self.report_id}"


class PlanRule(models.TextChoices):
    REGION = "region", "By region (each supporter is told their region's order)"
    BIRTH_MONTH = "birth_month", "By birth month (a published table: supporters pick their row)"


class VotePlan(models.Model):
    """How the slate's supporters are told to order the slate, group by group.

    ``follow`` is the percentage of the slate's loyal voters assumed to follow their group's
    card. Published plans are shown to supporters and no longer change.
    """

    slate = models.ForeignKey(Slate, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=12, choices=PlanRule.choices, default=PlanRule.REGION)
    follow = models.PositiveSmallIntegerField(default=70)
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"vote plan {self.pk} for {self.slate}"


class PlanGroup(models.Model):
    """One group of a plan: its share of the slate's supporters and the order it is told.

    ``region`` names the region whose supporters form the group (rule ``region``); ``order``
    is the slate's candidate names, first preference first.
    """

    plan = models.ForeignKey(VotePlan, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=40, blank=True)
    share = models.FloatField()
    order = models.JSONField(default=list)

    class Meta:
        ordering = ("plan", "position", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"


class RunKind(models.TextChoices):
    EVALUATE = "evaluate", "Evaluation"
    SEARCH = "search", "Search for a plan"


class PlanRun(models.Model):
    """A plan's evaluation (against no plan, on the same draws) or a search for a good plan,
    asked for on the plan's page and run by the worker. ``inputs`` holds what decides it."""

    plan = models.ForeignKey(VotePlan, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    inputs = models.JSONField()
    status = models.CharField(
        max_length=10, choices=ForecastStatus.choices, default=ForecastStatus.QUEUED
    )
    runs_done = models.PositiveIntegerField(default=0)
    runs_total = models.PositiveIntegerField()
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of {self.plan}"
