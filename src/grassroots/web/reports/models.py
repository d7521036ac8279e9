"""Representatives who answer to the alliance's supporters: their reports after each meeting,
how they voted on each item, and the supporters who follow them.

A ``Reporter`` is a person with a public page: a representative on the organising committee
(linked to ``alliance.Representative``) or someone the alliance backed onto a party body (the
executive), named by organisers. Reports are published by ``reports.services.report_publish``
(by an organiser, or by the reporter themselves when their committee seat is linked to their
account), which emails each follower through
``people.subscriptions.email_to_supporter`` (topic REPORTS) from a task, and shows in the
reporter's Atom feed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.models import Representative
from grassroots.web.people.models import User


class Reporter(models.Model):
    """A representative with a public page of reports. ``representative`` links their seat on
    the committee, if that is what they hold; the account linked to that seat may publish
    their reports. The name is public: organisers record it for someone who holds an office
    the alliance backed them for."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True, editable=False)
    role = models.CharField(
        max_length=200, help_text="What they sit on, e.g. “Member of the party's executive”."
    )
    bio = models.TextField(blank=True, max_length=3000)
    representative = models.ForeignKey(
        Representative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:150] or "representative"
        super().save(*args, **kwargs)


class Report(models.Model):
    """What a reporter says after one meeting: what was decided, how they voted, and more in
    Markdown (shown sanitised, ``reports.markdown``)."""

    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="reports")
    meeting = models.CharField(max_length=200)
    met_on = models.DateField("date of the meeting")
    decisions = models.TextField("what was decided", max_length=10_000)
    body = models.TextField("report", blank=True, max_length=30_000)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-met_on", "-id")
        indexes = (models.Index(fields=("reporter", "met_on")),)

    def __str__(self) -> str:
        return f"{self.meeting} ({self.met_on})"


class Vote(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstained"
    ABSENT = "absent", "Absent"


class ReportVote(models.Model):
    """How the reporter voted on one item of the meeting, in the order they gave."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="votes")
    item = models.CharField(max_length=300)
    vote = models.CharField(max_length=8, choices=Vote.choices)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("report", "position")

    def __str__(self) -> str:
        return f"{self.item}: {self.vote}"


class Follow(models.Model):
    """A supporter asks for a reporter's reports by email; unfollowing deletes the row, and
    erasure deletes theirs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("user", "reporter"), name="reports_follow_once"),
        )

    def __str__(self) -> str:
        return f"follow {self.pk}"
