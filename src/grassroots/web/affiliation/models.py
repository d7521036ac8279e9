"""Applications to affiliate: a local group or national organisation asks through a public
form, and the organising committee decides by a ballot of its representatives.

Lifecycle (``affiliation.services``, each step audited):

1. anyone applies (``application_submit``): received;
2. an organiser puts it to the committee (``application_ballot_create``): a draft yes/no
   ballot whose electorate is the committee's representatives, which its returning officer
   opens, closes and publishes on the ballots pages;
3. once that ballot is published, an organiser records the outcome it gives
   (``application_decide``): accepted (more yes than no) or declined. Accepted, the
   organisation is created, affiliated, with the seats its kind is due, and its contact is
   emailed a link to name its representatives (``representative_name_from_link``), each of
   whom is asked to agree to be named, as for any representative.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from grassroots.web.alliance.models import Organisation, OrganisationKind
from grassroots.web.ballots.models import Ballot
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import User


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    BALLOT = "ballot", "Before the committee"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Application(models.Model):
    """One organisation's application. The contact's name and address are shown only to
    organisers and emptied if the contact erases their account."""

    name = models.CharField("name of the group or organisation", max_length=150)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices)
    constituencies = models.ManyToManyField(
        Constituency, blank=True, related_name="+", verbose_name="CLPs covered"
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    statement = models.TextField("statement or constitution", max_length=20_000)
    decision = models.TextField("how it decided to apply", max_length=3000)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    ballot = models.OneToOneField(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-submitted_at", "-id")

    def __str__(self) -> str:
        return self.name
