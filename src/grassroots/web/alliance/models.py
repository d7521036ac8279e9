"""Organisations in the alliance, the rules that seat them on the organising committee, their
representatives, supporters' memberships of them, and supporters' requests to set up a local
group.

Every change goes through ``alliance.services`` (``organisation_create``,
``organisation_update``, ``alliance_rules_update``, ``representative_record``,
``representative_end``, ``membership_claim``, ``membership_withdraw``, ``membership_confirm``,
``membership_end``, ``membership_vote_with``, ``group_request_create``,
``group_request_put_in_touch``), which also write the audit log. The committee itself is not
stored: ``alliance.selectors.committee_get`` derives it from the rules and the current
representatives.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", "National organisation"
    LOCAL = "local", "Local group"


class AffiliationStatus(models.TextChoices):
    AFFILIATED = "affiliated", "Affiliated"
    PENDING = "pending", "Pending"
    DISAFFILIATED = "disaffiliated", "Disaffiliated"


class Organisation(models.Model):
    """A national organisation or a local group. A local group covers one or more CLPs.

    The contact person is shown only to organisers, the committee and administrators.
    ``slug`` names its public page (``/organisations/<slug>/``) and is always the slug of its
    name (``save`` sets it), the same slug the events app gives the group's iCal feed.
    """

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices)
    status = models.CharField(max_length=13, choices=AffiliationStatus.choices)
    affiliated_on = models.DateField(null=True, blank=True)
    disaffiliated_on = models.DateField(null=True, blank=True)
    constituencies = models.ManyToManyField(
        Constituency, blank=True, related_name="local_groups", verbose_name="CLPs"
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("kind", "name")
        constraints = (
            models.UniqueConstraint(Lower("name"), name="alliance_organisation_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(disaffiliated_on__isnull=True)
                | Q(affiliated_on__isnull=True)
                | Q(disaffiliated_on__gte=F("affiliated_on")),
                name="alliance_organisation_dates_in_order",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.slug = slugify(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)


class AllianceRules(models.Model):
    """The alliance's rules: how many representatives each kind of organisation sends to the
    organising committee. One row (id 1), made by migration; changed by
    ``alliance_rules_update``."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    national_seats = models.PositiveSmallIntegerField(
        default=3, help_text="Representatives each affiliated national organisation sends."
    )
    local_seats = models.PositiveSmallIntegerField(
        default=1, help_text="Representatives each affiliated local group sends."
    )

    class Meta:
        verbose_name = "alliance rules"
        verbose_name_plural = "alliance rules"
        constraints = (models.CheckConstraint(condition=Q(id=1), name="alliance_rules_singleton"),)

    def __str__(self) -> str:
        return f"national {self.national_seats}, local {self.local_seats}"

    def seats_for(self, kind: str) -> int:
        return self.national_seats if kind == OrganisationKind.NATIONAL else self.local_seats


class ElectionMethod(models.TextChoices):
    AGM = "agm", "Elected at an AGM"
    COMMITTEE = "committee", "Appointed by the organisation's committee"
    BALLOT = "ballot", "Elected by a ballot of members"


class RepresentativeQuerySet(models.QuerySet["Representative"]):
    def current(self, on: datetime.date | None = None) -> RepresentativeQuerySet:
        """Representatives serving on ``on`` (today): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class Representative(models.Model):
    """Someone representing an organisation on the organising committee, from ``started_on``
    until ``ended_on`` (the first day they no longer serve).

    ``name`` is stored as typed; ``supporter`` links the person's account once they agreed,
    which lets them act for the organisation on the site. Naming someone on the public
    committee page says they support the alliance, so it needs their agreement: when the
    recorder gives an ``email``, the address's owner is asked (``representative_name_ask``)
    and, until they agree (``named_at``), public pages show "a representative of" the
    organisation instead of a name. Once erased (``alliance.erasure``) the record keeps the
    seat's history with no name.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="representatives"
    )
    supporter = models.ForeignKey(
        Supporter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
    )
    name = models.CharField(max_length=150)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=ElectionMethod.choices)
    method_note = models.CharField(max_length=300, blank=True)
    email = models.EmailField(
        blank=True, help_text="The address asked to agree to be named, until its owner answers."
    )
    named_at = models.DateTimeField(
        null=True, blank=True, help_text="When the representative agreed to be named publicly."
    )

    objects: ClassVar[RepresentativeQuerySet] = RepresentativeQuerySet.as_manager()  # type: ignore[assignment]  # the manager exposes the queryset's methods

    class Meta:
        ordering = ("organisation", "started_on", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="alliance_representative_ends_after_start",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name or 'a representative'} ({self.organisation})"

    @property
    def public_name(self) -> str:
        """The name public pages may show: empty until the person agreed, when they were
        asked (an email given) or are linked to an account; a name recorded alone, for
        someone with no account here, is shown as recorded."""
        if self.named_at is not None:
            return self.name
        if self.email or self.supporter_id is not None:
            return ""
        return self.name


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    ENDED = "ended", "Ended"


class OrganisationMembership(models.Model):
    """A supporter's membership of an affiliated organisation.

    Membership of a political organisation is political opinion, so only the supporter records
    it, with a consent whose exact wording and time are stored here (as ``people.Consent``
    does), and withdrawing it deletes the row. Lifecycle:

    1. the supporter claims it from their own pages: pending (``membership_claim``);
    2. one of the organisation's current representatives, an organiser or an administrator
       confirms it (``membership_confirm``) or ends it (``membership_end``);
    3. the supporter may withdraw it at any time, whatever its status
       (``membership_withdraw``), and erasing the supporter deletes it (cascade).

    Confirmed memberships of an affiliated organisation make its roll in a joint ballot
    (``ballots.selectors.electorate_roll``). ``votes_with`` marks the one membership, of a
    supporter who has several, that they vote with in a joint ballot of several of their
    organisations (``membership_vote_with``): at most one per supporter, only on a pending or
    confirmed membership, so ending it clears the choice and withdrawing deletes it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    status = models.CharField(
        max_length=9, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    consent_wording = models.TextField()
    claimed_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    votes_with = models.BooleanField(
        default=False,
        help_text="In joint ballots of several of their organisations, the supporter votes "
        "with this one.",
    )

    class Meta:
        ordering = ("organisation", "claimed_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "supporter"),
                condition=Q(status__in=("pending", "confirmed")),
                name="alliance_membership_one_live_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", confirmed_at__isnull=True, ended_at__isnull=True)
                | Q(status="confirmed", confirmed_at__isnull=False, ended_at__isnull=True)
                | Q(status="ended", ended_at__isnull=False),
                name="alliance_membership_dates_match_status",
            ),
            models.UniqueConstraint(
                fields=("supporter",),
                condition=Q(votes_with=True),
                name="alliance_membership_votes_with_one_per_supporter",
            ),
            models.CheckConstraint(
                condition=Q(votes_with=False) | Q(status__in=("pending", "confirmed")),
                name="alliance_membership_votes_with_only_live",
            ),
        )
        indexes = (models.Index(fields=("organisation", "status")),)

    def __str__(self) -> str:
        return f"membership {self.pk}"


class GroupRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    PUT_IN_TOUCH = "put_in_touch", "Put in touch"


class GroupRequest(models.Model):
    """A supporter asking to set up a local group in their CLP, which has none.

    Organisers see open requests and mark them put in touch, recording which supporters they
    put in touch with each other (only those who consent to be contacted by the alliance).
    """

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="group_requests"
    )
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="group_requests"
    )
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=12, choices=GroupRequestStatus.choices, default=GroupRequestStatus.OPEN
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    put_in_touch = models.ManyToManyField(Supporter, blank=True, related_name="+")

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("supporter", "constituency"),
                condition=Q(status="open"),
                name="alliance_group_request_one_open_per_clp",
            ),
        )

    def __str__(self) -> str:
        return f"group request {self.pk}"
