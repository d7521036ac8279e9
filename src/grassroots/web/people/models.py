"""Accounts, supporters, consents and relayed messages.

A ``User`` is anyone who can log in (by emailed link; supporters have no password). A
``Supporter`` is a user who signed the appeal. Sign-up, consent changes, messages and erasure go
through ``people.services`` (``supporter_signup``, ``consent_give``, ``consent_withdraw``,
``message_send``, ``person_erase``), which also write the audit log.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from grassroots.web.constituencies.models import Constituency


class UserManager(BaseUserManager["User"]):
    def create_user(
        self, email: str, name: str = "", password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(email=normalise_email(email), name=name, **extra)
        user.set_password(password)  # None gives an unusable password: log in by link
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra |= {"is_staff": True, "is_superuser": True}
        return self.create_user(email, extra.pop("name", ""), password, **extra)


def normalise_email(email: str) -> str:
    """Emails are compared and stored in lower case, so one address is one account."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who can log in. Roles are Django groups (``people.roles``)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = (models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),)

    def __str__(self) -> str:
        return self.name or f"user {self.pk}"


class Membership(models.TextChoices):
    MEMBER = "member", "Party member"
    NOT_MEMBER = "not_member", "Not a member"
    BARRED = "barred", "Barred or suspended"
    UNDISCLOSED = "undisclosed", "Prefer not to say"


class Supporter(models.Model):
    """A user who signed the appeal, in one CLP. Verified once they follow an emailed link."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="supporter"
    )
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="supporters"
    )
    membership = models.CharField(max_length=12, choices=Membership.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=("constituency", "email_verified_at")),)

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class ConsentKind(models.TextChoices):
    CONTACT = "contact", "Contact by the alliance"
    VISIBLE_IN_CLP = "visible_in_clp", "Visible to supporters in my CLP"


class Consent(models.Model):
    """One consent, with the exact wording the supporter was shown and when.

    Withdrawing sets ``withdrawn_at``; giving it again adds a new row, so the history stays.
    """

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    wording = models.TextField()
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("supporter", "kind"),
                condition=Q(withdrawn_at__isnull=True),
                name="people_consent_one_active_per_kind",
            ),
        )
        indexes = (models.Index(fields=("kind", "withdrawn_at")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({'withdrawn' if self.withdrawn_at else 'given'})"


class Topic(models.TextChoices):
    """What a supporter may be emailed about beyond what they themselves ask for, each with
    its one-click unsubscribe (``people.subscriptions``)."""

    MAILINGS = "mailings", "Emails from the alliance's organisers"
    EVENTS = "events", "New events in my CLP or region"
    DISCUSSIONS = "discussions", "Discussion notifications and digests"
    REPORTS = "reports", "Reports from representatives I follow"


class Unsubscription(models.Model):
    """A supporter asked for no more email on ``topic``: by the link in such an email (one
    click, RFC 8058) or on My data. Subscribing again deletes the row."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unsubscriptions")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("user", "topic"), name="people_unsubscribed_once"),
        )

    def __str__(self) -> str:
        return f"{self.user_id} unsubscribed from {self.topic}"


class Message(models.Model):
    """A message relayed by the site between two supporters in the same CLP.

    The recipient is emailed the text and the sender's name, never the sender's address.
    """

    sender = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="messages_sent")
    recipient = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="messages_received"
    )
    body = models.TextField(max_length=5000)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-sent_at", "-id")

    def __str__(self) -> str:
        return f"message {self.pk}"


class MessageBlock(models.Model):
    """A supporter's choice to receive no more messages from another supporter.

    ``people.services.message_send`` withholds a blocked sender's message and answers the
    sender exactly as if it were sent, so a block is never revealed to the person blocked.
    Blocks go through ``message_block`` and ``message_unblock``.
    """

    blocker = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("blocker", "blocked"), name="people_block_once"),
        )

    def __str__(self) -> str:
        return f"block {self.pk}"


class MessageReport(models.Model):
    """A recipient's report of a relayed message to the organisers' queue.

    Made by ``people.services.message_report``, closed by ``message_report_resolve``; both are
    audited. The report goes with its message, when the message is deleted (by retention or
    when either supporter erases their data).
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(max_length=1000, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("message",),
                condition=Q(resolved_at__isnull=True),
                name="people_report_one_open_per_message",
            ),
        )
        indexes = (models.Index(fields=("resolved_at", "created_at")),)

    def __str__(self) -> str:
        return f"report {self.pk}"
