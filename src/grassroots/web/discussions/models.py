"""Discussions: threads and their posts in spaces, mentions, the code of conduct each writer
accepts, notification choices, and moderation (reports, hiding, locking, suspensions).

A space is not stored: it is the supporters' space (``Thread.organisation`` empty) or one
organisation's (``discussions.spaces``). Every change goes through ``discussions.services``
(``conduct_accept``, ``notification_choose``, ``thread_start``, ``post_reply``,
``post_report``, ``post_hide``, ``post_unhide``, ``report_dismiss``, ``thread_lock``,
``thread_unlock``, ``member_suspend``, ``suspension_lift``, ``thread_propose``), which also
writes the audit log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.ballots.models import Ballot
from grassroots.web.people.models import User


class Thread(models.Model):
    """A conversation in a space; its first post opens it. ``author`` is empty once the
    person erased their data. ``ballot`` is the proposal the thread became (``thread_propose``),
    shown both ways."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discussion_threads",
        help_text="Empty: the space of all supporters.",
    )
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ballot = models.OneToOneField(
        Ballot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussion_thread",
    )

    class Meta:
        ordering = ("-last_posted_at", "-id")
        indexes = (models.Index(fields=("organisation", "last_posted_at")),)

    def __str__(self) -> str:
        return f"thread {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Post(models.Model):
    """One post: ``body`` as written (Markdown) and ``body_html``, rendered and sanitised once
    when written (``discussions.markup``). A hidden post stays for moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="discussion_posts"
    )
    body = models.TextField(max_length=10_000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "id")
        indexes = (models.Index(fields=("created_at",)),)

    def __str__(self) -> str:
        return f"post {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Mention(models.Model):
    """A post naming someone by ``@handle``, who is told (``discussions.notify``)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="discussion_mentions")
    handle = models.CharField(max_length=160)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("post", "person"), name="discussions_mention_once"),
        )

    def __str__(self) -> str:
        return f"mention {self.pk}"


class ConductAcceptance(models.Model):
    """A person accepted the code of conduct, with the exact wording shown and when; once."""

    person = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="discussion_conduct"
    )
    wording = models.TextField()
    accepted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"code of conduct accepted by {self.person_id}"


class Frequency(models.TextChoices):
    NONE = "none", "No emails"
    MENTIONS = "mentions", "Only when someone mentions me, as it happens"
    IMMEDIATE = "immediate", "Every new post in my spaces, as it happens"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"


class NotificationChoice(models.Model):
    """How a person wants to hear of discussions by email. No row means ``NONE``."""

    person = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="discussion_notifications"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = (models.Index(fields=("frequency",)),)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    HIDDEN = "hidden", "Post hidden"
    DISMISSED = "dismissed", "Dismissed"


class PostReport(models.Model):
    """A reader's report of a post to the moderators' queue; closed by hiding the post or
    dismissing the report."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="discussion_reports"
    )
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("post", "reporter"),
                condition=Q(status="open"),
                name="discussions_report_one_open_per_reader",
            ),
        )

    def __str__(self) -> str:
        return f"report {self.pk}"


class Suspension(models.Model):
    """A person may not post in any space from ``created_at`` until ``ends_at`` (for good
    when empty) or until lifted."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="discussion_suspensions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"suspension {self.pk}"
