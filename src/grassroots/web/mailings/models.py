"""Organisers' emails to supporters who consented to contact by the alliance.

A mailing is a draft (changed by ``mailings.services.mailing_update``) until it is sent, once
(``mailing_send``): sending freezes its audience into ``MailingRecipient`` rows and queues the
tasks that email them in batches, each through ``people.subscriptions.email_to_supporter``,
which checks consent and unsubscription again at that moment. What was sent and what failed
is read from the outbox (``mail.Email``, by key); nothing records whether an email was opened.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.constituencies.models import Constituency
from grassroots.web.events.models import Event
from grassroots.web.people.models import User


class Audience(models.TextChoices):
    ALL = "all", "Every supporter who agreed to be emailed"
    REGION = "region", "Supporters in one region"
    CLP = "clp", "Supporters in one CLP"
    ORGANISATION = "organisation", "Confirmed members of one organisation"
    EVENT = "event", "Supporters going to one event"


class Mailing(models.Model):
    """One email to a chosen audience of consenting supporters, with who chose it and when
    it was tested and sent. The audience is one of ``Audience``, with the region, CLP,
    organisation or event it names."""

    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20_000)
    audience = models.CharField(max_length=12, choices=Audience.choices)
    region = models.CharField(max_length=40, blank=True)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="CLP"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    tested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How many the audience held when it was frozen at sending.
    recipient_count = models.PositiveIntegerField(null=True, blank=True)
    # The site's address at sending: the tasks put it in each unsubscribe link.
    site_url = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(recipient_count__isnull=False),
                name="mailings_sent_has_count",
            ),
        )

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class MailingRecipient(models.Model):
    """One person in a sent mailing's frozen audience; deleted when the person is erased."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("mailing", "user"), name="mailings_recipient_once"),
        )

    def __str__(self) -> str:
        return f"recipient {self.pk}"
