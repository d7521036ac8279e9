"""The outbox: one row per email to send, the record that makes sending durable and once only.

Rows are written by ``mail.services.email_enqueue`` and change state only through
``mail.services.email_deliver`` (run by the worker), never by hand.
"""

from __future__ import annotations

from django.db import models


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Email(models.Model):
    """An email to send. ``key`` names what it is for (``signup:42``), so asking twice for the
    same email stores and sends it once; ``message_id`` is fixed when it is queued, so a copy
    sent again after a crash carries the same Message-ID and mail programs show it once."""

    key = models.CharField(max_length=200, unique=True)
    # What kind of email it is: a supporter's subscription topic (``people.subscriptions``),
    # or empty for the emails a person's own action asks for (a login link, a voting link).
    kind = models.CharField(max_length=40, blank=True, default="")
    # Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=250, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    # Emptied once sent: the outbox keeps no copy of what was said (links, relayed messages).
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a queued email may next be tried (after a failure: the back-off).
    next_attempt_at = models.DateTimeField()
    # While sending: when another worker may take the email to be abandoned and retry it.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=["status", "next_attempt_at"]),)

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"
