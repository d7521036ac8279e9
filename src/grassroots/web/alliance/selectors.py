"""Reading the alliance. Lists fetch what their template shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from grassroots.web.alliance.models import (
    AffiliationStatus,
    AllianceRules,
    GroupRequest,
    GroupRequestStatus,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Representative,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Consent, ConsentKind, Supporter, User
from grassroots.web.people.naming import NamingRequest, naming_token

# A local group that is affiliated or on its way counts as the CLP's group; a disaffiliated one
# does not, so supporters there may ask to start another.
ACTIVE_STATUSES = (AffiliationStatus.AFFILIATED, AffiliationStatus.PENDING)


def alliance_rules_get() -> AllianceRules:
    """The rules row (made by migration); the defaults, unsaved, if it is somehow missing."""
    return AllianceRules.objects.filter(pk=1).first() or AllianceRules()


def organisation_list() -> QuerySet[Organisation]:
    """Every organisation, national ones first, then by name, with the CLPs each covers."""
    return Organisation.objects.prefetch_related(
        Prefetch("constituencies", queryset=Constituency.objects.order_by("name"))
    ).order_by("-kind", "name")


def organisation_page_get(*, slug: str) -> Organisation | None:
    """One organisation for its public page, with its CLPs and ``current_representatives``
    (its current representatives, the earliest first), or None. Three queries."""
    return (
        Organisation.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("constituencies", queryset=Constituency.objects.order_by("name")),
            Prefetch(
                "representatives",
                queryset=Representative.objects.current().order_by("started_on", "id"),
                to_attr="current_representatives",
            ),
        )
        .first()
    )


def organisation_name_taken(*, name: str, exclude_id: int | None = None) -> bool:
    others = Organisation.objects.filter(name__iexact=name.strip())
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    return others.exists()


def organisation_slug_taken(*, slug: str, exclude_id: int | None = None) -> bool:
    others = Organisation.objects.filter(slug=slug)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    return others.exists()


def representative_list(*, organisation: Organisation) -> QuerySet[Representative]:
    """An organisation's representatives, past and present, the earliest first."""
    return organisation.representatives.order_by("started_on", "id")


def representative_current_count(*, organisation: Organisation) -> int:
    return Representative.objects.current().filter(organisation=organisation).count()


def representative_is_current(*, user: User, organisation_id: int) -> bool:
    """Whether ``user`` (as a supporter) currently represents the organisation."""
    return (
        Representative.objects.current()
        .filter(organisation_id=organisation_id, supporter__user=user)
        .exists()
    )


def organisation_list_represented(*, user: User) -> list[Organisation]:
    """The organisations ``user`` (as a supporter) currently represents, by name: their
    entries on the Organise page and menu."""
    return list(
        Organisation.objects.filter(
            pk__in=Representative.objects.current()
            .filter(supporter__user=user)
            .values("organisation_id")
        ).order_by("name")
    )


LIVE_MEMBERSHIP = (MembershipStatus.PENDING, MembershipStatus.CONFIRMED)


def membership_list_mine(*, supporter: Supporter) -> QuerySet[OrganisationMembership]:
    """The supporter's own memberships, every status, with their organisations."""
    return supporter.organisation_memberships.select_related("organisation").order_by(
        "claimed_at", "id"
    )


def membership_claimable_list(*, supporter: Supporter) -> QuerySet[Organisation]:
    """Affiliated organisations the supporter may say they belong to: those where they have no
    pending or confirmed membership."""
    live = OrganisationMembership.objects.filter(
        supporter=supporter, status__in=LIVE_MEMBERSHIP
    ).values("organisation")
    return (
        Organisation.objects.filter(status=AffiliationStatus.AFFILIATED)
        .exclude(pk__in=live)
        .order_by("-kind", "name")
    )


def membership_live_exists(*, supporter: Supporter, organisation: Organisation) -> bool:
    return OrganisationMembership.objects.filter(
        supporter=supporter, organisation=organisation, status__in=LIVE_MEMBERSHIP
    ).exists()


def membership_list_live(*, organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """An organisation's pending and confirmed members, pending first, then by name: what its
    representatives and the alliance's organisers see (names only)."""
    return (
        organisation.memberships.filter(status__in=LIVE_MEMBERSHIP)
        .select_related("supporter__user")
        .order_by("-status", "supporter__user__name", "id")
    )


def membership_confirmed_list() -> QuerySet[OrganisationMembership]:
    """Confirmed memberships of affiliated organisations, whose members are active users: the
    members a joint ballot of organisations puts on its roll."""
    return OrganisationMembership.objects.filter(
        status=MembershipStatus.CONFIRMED,
        organisation__status=AffiliationStatus.AFFILIATED,
        supporter__user__is_active=True,
    )


def membership_export(person: User) -> list[dict[str, Any]]:
    """The person's memberships for their data export (``people.exports``)."""
    return [
        {
            "organisation": membership.organisation.name,
            "status": membership.status,
            "consent_wording": membership.consent_wording,
            "claimed_at": membership.claimed_at.isoformat(),
            "confirmed_at": membership.confirmed_at.isoformat()
            if membership.confirmed_at
            else None,
            "ended_at": membership.ended_at.isoformat() if membership.ended_at else None,
            "votes_with": membership.votes_with,
        }
        for membership in OrganisationMembership.objects.filter(supporter_id=person.pk)
        .select_related("organisation")
        .order_by("organisation__name", "claimed_at", "id")
    ]


def group_request_export(person: User) -> list[dict[str, Any]]:
    """The person's requests for a local group, for their data export."""
    return [
        {
            "clp": request.constituency.name,
            "note": request.note,
            "created_at": request.created_at.isoformat(),
            "status": request.status,
        }
        for request in GroupRequest.objects.filter(supporter_id=person.pk)
        .select_related("constituency")
        .order_by("created_at", "id")
    ]


def representative_export(person: User) -> list[dict[str, Any]]:
    """The person's terms as a representative, and invitations to be one sent to their
    address, for their data export."""
    rows = Representative.objects.filter(
        Q(supporter_id=person.pk) | Q(email__iexact=person.email, email__gt="")
    ).select_related("organisation")
    return [
        {
            "organisation": rep.organisation.name,
            "name": rep.name,
            "started_on": rep.started_on.isoformat(),
            "ended_on": rep.ended_on.isoformat() if rep.ended_on else None,
            "method": rep.method,
            "method_note": rep.method_note,
            "linked_to_my_account": rep.supporter_id == person.pk,
            "agreed_to_be_named_at": rep.named_at.isoformat() if rep.named_at else None,
        }
        for rep in rows.order_by("started_on", "id")
    ]


def membership_handled_export(person: User) -> list[dict[str, Any]]:
    """Memberships the person confirmed or ended (as a representative or organiser), by id
    and organisation: the members' names are theirs, not this person's data."""
    rows = OrganisationMembership.objects.filter(
        Q(confirmed_by_id=person.pk) | Q(ended_by_id=person.pk)
    ).select_related("organisation")
    return [
        {
            "membership": row.pk,
            "organisation": row.organisation.name,
            "confirmed_by_me_at": row.confirmed_at.isoformat()
            if row.confirmed_by_id == person.pk and row.confirmed_at
            else None,
            "ended_by_me_at": row.ended_at.isoformat()
            if row.ended_by_id == person.pk and row.ended_at
            else None,
        }
        for row in rows.order_by("id")
    ]


def group_request_handled_export(person: User) -> list[dict[str, Any]]:
    """Group requests the person handled as an organiser, by id and CLP."""
    return [
        {"group_request": row.pk, "clp": row.constituency.name, "handled_at": row.handled_at}
        for row in GroupRequest.objects.filter(handled_by_id=person.pk)
        .select_related("constituency")
        .order_by("id")
    ]


@dataclass(frozen=True)
class CommitteeSeats:
    """One affiliated organisation on the committee: its seats, who fills them, vacancies."""

    organisation: Organisation
    seats: int
    members: list[Representative]

    @property
    def filled(self) -> int:
        return min(len(self.members), self.seats)

    @property
    def vacancies(self) -> int:
        return self.seats - self.filled


@dataclass(frozen=True)
class Committee:
    rules: AllianceRules
    organisations: list[CommitteeSeats]

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.organisations)

    @property
    def filled(self) -> int:
        return sum(row.filled for row in self.organisations)

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.organisations)


def committee_get() -> Committee:
    """The organising committee, derived: each affiliated organisation has the seats the rules
    give its kind, filled by its current representatives; the rest are vacancies.

    Three queries: the rules, the organisations, their current representatives.
    """
    rules = alliance_rules_get()
    organisations = (
        Organisation.objects.filter(status=AffiliationStatus.AFFILIATED)
        .prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.current().order_by("started_on", "id"),
                to_attr="current_representatives",
            )
        )
        .order_by("-kind", "name")
    )
    rows = [
        CommitteeSeats(org, rules.seats_for(org.kind), org.current_representatives)
        for org in organisations
    ]
    return Committee(rules, rows)


def affiliate_count() -> int:
    """Affiliated national organisations (the dashboard's "affiliates")."""
    return Organisation.objects.filter(
        kind=OrganisationKind.NATIONAL, status=AffiliationStatus.AFFILIATED
    ).count()


def local_group_count() -> int:
    """Affiliated local groups."""
    return Organisation.objects.filter(
        kind=OrganisationKind.LOCAL, status=AffiliationStatus.AFFILIATED
    ).count()


def local_group_for_clp(*, constituency: Constituency) -> Organisation | None:
    """The affiliated or pending local group covering the CLP, if there is one."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.LOCAL,
            status__in=ACTIVE_STATUSES,
            constituencies=constituency,
        )
        .order_by("name")
        .first()
    )


def group_request_open_exists(*, supporter: Supporter) -> bool:
    return GroupRequest.objects.filter(
        supporter=supporter,
        constituency_id=supporter.constituency_id,
        status=GroupRequestStatus.OPEN,
    ).exists()


def _contact_consent(supporter_ref: str) -> Exists:
    return Exists(
        Consent.objects.filter(
            supporter=OuterRef(supporter_ref),
            kind=ConsentKind.CONTACT,
            withdrawn_at__isnull=True,
        )
    )


def group_request_list_open() -> QuerySet[GroupRequest]:
    """Open requests, oldest first, each with its CLP, the supporter's name and
    ``contactable``: whether the supporter consents to be contacted by the alliance. The
    template shows the name only when they do."""
    return (
        GroupRequest.objects.filter(status=GroupRequestStatus.OPEN)
        .select_related("constituency", "supporter__user")
        .annotate(contactable=_contact_consent("supporter"))
        .order_by("constituency__name", "created_at", "id")
    )


def group_request_contactable_list(*, constituency: Constituency) -> QuerySet[Supporter]:
    """Supporters with an open request in the CLP who consent to be contacted by the
    alliance: the only ones an organiser may see by name and put in touch."""
    open_request = Exists(
        GroupRequest.objects.filter(
            supporter=OuterRef("pk"), constituency=constituency, status=GroupRequestStatus.OPEN
        )
    )
    return (
        Supporter.objects.filter(open_request)
        .filter(_contact_consent("pk"))
        .select_related("user")
        .order_by("user__name", "pk")
    )


REPRESENTATIVE_SALT = "alliance.representative"


def representative_agree_url(
    *, representative: Representative, email: str, site_url: str = ""
) -> str:
    """The link that lets the owner of ``email`` agree to be named as ``representative``."""
    token = naming_token(salt=REPRESENTATIVE_SALT, object_id=representative.pk, email=email)
    return site_url.rstrip("/") + reverse("alliance:representative_agree", args=[token])


def representative_naming_requests(person: User) -> list[NamingRequest]:
    """Current representative terms waiting for ``person`` to agree to be named: asked of
    their address, or linked to their account before agreement was asked for."""
    waiting = (
        Representative.objects.current()
        .filter(named_at__isnull=True)
        .filter(Q(email=person.email, email__gt="") | Q(supporter_id=person.pk))
        .select_related("organisation")
        .order_by("started_on", "id")
    )
    return [
        NamingRequest(
            description=f"to be named as a representative of {rep.organisation.name} on the "
            "public committee page",
            agree_url=representative_agree_url(representative=rep, email=person.email),
        )
        for rep in waiting
    ]
