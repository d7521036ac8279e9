"""Writing slate selections: affiliates' nominations, the slate ballot, the published slate
and endorsements.

Each service takes keyword-only arguments and the actor, and runs in one transaction that also
writes the audit row. The ballots and elections apps' tables are written only through their
own services (``ballot_create``, ``candidate_create``, ``slate_create``,
``slate_membership_add``), which compose inside ours. Summaries hold ids and counts, never
names.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.audit.services import audit_record
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Electorate, Method, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.elections.models import Candidate, Gender, Section, Slate, SlateMembership
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import user_roles
from grassroots.web.slates import selectors
from grassroots.web.slates.access import ORGANISERS, organisation_may_nominate
from grassroots.web.slates.models import Endorsement, SlateNomination, SlatePlace, SlateSelection
from grassroots.web.slates.quotas import quotas_scale

NOT_ALLOWED = "You may not do this."


def _organiser_check(actor: User) -> None:
    if not ORGANISERS & user_roles(actor):
        raise DomainError(NOT_ALLOWED)


@transaction.atomic(durable=True)
def slate_nomination_submit(
    *,
    actor: User,
    organisation: Organisation,
    section: Section,
    name: str,
    gender: str,
    clp: Constituency | None = None,
    statement: str = "",
    nominated_on: datetime.date | None = None,
) -> SlateNomination:
    """An affiliate nominates someone for a section's slate; audit.

    Refused for someone who may not nominate for the organisation, an organisation that is not
    affiliated, a person the organisation has already nominated, and once the section's slate
    ballot exists (its options are fixed).
    """
    if not organisation_may_nominate(actor, organisation):
        raise DomainError(NOT_ALLOWED, field="organisation")
    if organisation.status != AffiliationStatus.AFFILIATED:
        raise DomainError("Only affiliated organisations nominate.", field="organisation")
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter the candidate's name.", field="name")
    if gender not in Gender.values:
        raise DomainError("Choose one of the listed genders.", field="gender")
    if clp is not None and not clp.has_clp:
        raise DomainError("There are no CLPs in Northern Ireland.", field="clp")
    if selectors.selection_live(section=section) is not None:
        raise DomainError("Nominations are closed: the slate ballot has been set up.")
    if SlateNomination.objects.filter(
        section=section, organisation=organisation, name__iexact=name
    ).exists():
        raise DomainError(f"{organisation.name} has already nominated {name}.", field="name")
    nomination = SlateNomination.objects.create(
        section=section,
        organisation=organisation,
        name=name,
        gender=gender,
        clp=clp,
        statement=statement.strip(),
        nominated_on=nominated_on or timezone.localdate(),
        submitted_by_id=actor.pk,
    )
    audit_record(
        actor_id=actor.pk,
        action="slate_nomination.submit",
        object_type="slate_nomination",
        object_id=nomination.pk,
        summary=f"section {section.pk}, organisation {organisation.pk}",
    )
    return nomination


def _ballot_slug(section: Section) -> str:
    base = f"slate-{section.election.slug}-{section.slug}"[:70]
    slug, number = base, 1
    while Ballot.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic(durable=True)
def slate_ballot_create(
    *,
    actor: User,
    section: Section,
    slate_size: int,
    closes_at: datetime.datetime,
    electorate: Electorate,
    opens_at: datetime.datetime | None = None,
    organisations: Sequence[tuple[Organisation, int]] = (),
    sealed: bool = False,
) -> Ballot:
    """Set up the slate ballot for a section from its nominees; audit.

    1. Organisers and administrators only; one live (not cancelled) slate ballot a section.
    2. The slate holds ``slate_size`` candidates, at most the section's seats: fewer is a
       reduced slate. The section's quotas are scaled to that size (``slates.quotas``), and
       the nominees must be able to meet them.
    3. A draft ballot through ``ballots.services.ballot_create``: the section's STV rule, one
       option per nominee in order of first nomination, each with their gender as category;
       for an electorate of several organisations, their ``(organisation, weight)`` pairs,
       which ``ballot_create`` checks and stores in this transaction.
    """
    _organiser_check(actor)
    if selectors.selection_live(section=section) is not None:
        raise DomainError("This section already has a slate ballot.")
    nominees = selectors.nominee_list(section=section)
    if not 1 <= slate_size <= section.seats:
        raise DomainError(
            f"The slate holds 1 to {section.seats} candidates, the section's seats.",
            field="slate_size",
        )
    if slate_size >= len(nominees):
        raise DomainError(
            f"A slate of {slate_size} needs more nominees than that; there are {len(nominees)}.",
            field="slate_size",
        )
    quotas = quotas_scale(section.quotas, seats=section.seats, slate_size=slate_size)
    categories = Counter(nominee.gender for nominee in nominees)
    for category, limit in quotas.items():
        if categories[category] < limit.get("min", 0):
            raise DomainError(
                f"The scaled quota needs at least {limit['min']} nominees of category "
                f"{category!r}; there are {categories[category]}.",
                field="slate_size",
            )
    irv = section.rule == "irv" or slate_size == 1
    rule = section.rule if section.rule in ballot_services.RULES else "scottish"
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    reduced = f" (a reduced slate of {slate_size} for {section.seats} seats)" * (
        slate_size < section.seats
    )
    ballot = ballot_services.ballot_create(
        actor=actor,
        slug=_ballot_slug(section),
        question=f"{alliance}'s slate for {section.name}, {section.election.name}",
        description=f"Choose {slate_size} of the affiliates' nominees{reduced}.",
        options=[(nominee.name, nominee.gender) for nominee in nominees],
        opens_at=opens_at or timezone.now(),
        closes_at=closes_at,
        method=Method.IRV if irv else Method.STV,
        seats=slate_size,
        quotas={} if irv else quotas,
        electorate=electorate,
        rule=rule,
        organisations=organisations,
        sealed=sealed,
    )
    selection = SlateSelection.objects.create(section=section, ballot=ballot, slate_size=slate_size)
    summary = f"section {section.pk}, ballot {ballot.pk}, size {slate_size}"
    if organisations:
        summary += f", {len(organisations)} weighted organisations"
    if sealed:
        summary += ", sealed"
    audit_record(
        actor_id=actor.pk,
        action="slate_ballot.create",
        object_type="slate_selection",
        object_id=selection.pk,
        summary=summary,
    )
    return ballot


def _alliance_slate(*, actor: User, section: Section) -> Slate:
    """The alliance's own slate in the section's election, created the first time."""
    name = settings.GRASSROOTS_ALLIANCE_NAME
    slate = Slate.objects.filter(election=section.election, name__iexact=name).first()
    if slate is None:
        slate = election_services.slate_create(
            actor=actor, election=section.election, name=name, organisation=name
        )
    return slate


@transaction.atomic(durable=True)
def slate_publish(*, actor: User, ballot: Ballot) -> Slate:
    """Publish the slate a published slate ballot chose; audit.

    1. Only once the ballot's result is published, and once per section.
    2. Each elected nominee, in the engine's order of election, becomes a candidate of the
       section (``candidate_create`` with the first nomination's profile, unless the section
       already has a candidate of that name) and a member of the alliance's own slate in the
       election (``slate_membership_add``, sourced to the ballot's result page).
    3. The places are stored in that order, and the selection records its slate.
    """
    _organiser_check(actor)
    selection = (
        SlateSelection.objects.select_for_update()
        .select_related("section__election")
        .filter(ballot_id=ballot.pk)
        .first()
    )
    if selection is None:
        raise DomainError("This ballot is not a slate ballot.")
    ballot = Ballot.objects.get(pk=ballot.pk)
    if ballot.status != Status.PUBLISHED or not ballot.result:
        raise DomainError("The slate is published only after the ballot's result.")
    section = selection.section
    if (
        selection.published_at is not None
        or SlateSelection.objects.filter(section=section, published_at__isnull=False).exists()
    ):
        raise DomainError("This section's slate is already published.")
    profiles = {
        selectors.nominee_key(nominee.name): nominee
        for nominee in selectors.nominee_list(section=section)
    }
    clps = {
        c.name: c
        for c in Constituency.objects.filter(name__in=[p.clp for p in profiles.values() if p.clp])
    }
    slate = _alliance_slate(actor=actor, section=section)
    source = reverse("ballots:result", args=(ballot.slug,))
    today = timezone.localdate()
    places = []
    for position, name in enumerate(ballot.result["elected"], start=1):
        candidate = Candidate.objects.filter(section=section, name__iexact=name).first()
        if candidate is None:
            profile = profiles[selectors.nominee_key(name)]
            candidate = election_services.candidate_create(
                actor=actor,
                section=section,
                name=profile.name,
                gender=profile.gender,
                clp=clps.get(profile.clp),
            )
        if not SlateMembership.objects.filter(slate=slate, candidate=candidate).exists():
            election_services.slate_membership_add(
                actor=actor, slate=slate, candidate=candidate, source=source, endorsed_on=today
            )
        places.append(SlatePlace(selection=selection, candidate=candidate, position=position))
    SlatePlace.objects.bulk_create(places)
    selection.slate = slate
    selection.published_at = timezone.now()
    selection.save(update_fields=["slate", "published_at"])
    audit_record(
        actor_id=actor.pk,
        action="slate.publish",
        object_type="slate_selection",
        object_id=selection.pk,
        summary=f"slate {slate.pk}, {len(places)} candidates from ballot {ballot.pk}",
    )
    return slate


@transaction.atomic(durable=True)
def endorsement_record(
    *,
    actor: User,
    organisation: Organisation,
    slate: Slate,
    endorsed_on: datetime.date,
    source: str = "",
) -> Endorsement:
    """Record that another organisation endorsed the alliance's slate; audit."""
    _organiser_check(actor)
    if Endorsement.objects.filter(organisation=organisation, slate=slate).exists():
        raise DomainError("This endorsement is already recorded.", field="organisation")
    endorsement = Endorsement.objects.create(
        organisation=organisation, slate=slate, endorsed_on=endorsed_on, source=source.strip()
    )
    audit_record(
        actor_id=actor.pk,
        action="endorsement.record",
        object_type="slate",
        object_id=slate.pk,
        summary=f"organisation {organisation.pk}",
    )
    return endorsement
