"""Setting a party election up in the site: organisers create, edit and delete elections, sections,
candidates and slates.

Each service takes keyword-only arguments and the actor, and runs in one transaction that also
writes the audit row. Each refuses a change that would break recorded nominations, slates or
results. Creating candidates and slates, and recording nominations and results, are in
:mod:`grassroots.web.elections.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import router, transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import (
    Candidate,
    Nomination,
    PartyElection,
    Section,
    SectionResult,
    Slate,
    SlateMembership,
)
from grassroots.web.elections.services import actor_id
from grassroots.web.elections.validation import (
    candidate_values,
    section_values,
    slate_values,
)
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

# Setting an election up in the site: organisers create and edit elections, sections,
# candidates and slates. Each refuses a change that would break recorded nominations, slates
# or results.

ELECTION_DATES = (
    "nominations_open",
    "nominations_close",
    "ballot_open",
    "ballot_close",
    "count_on",
)
# Slugs the organise pages' own addresses use (organise/elections/new/, …/sections/new/).
RESERVED_ELECTION_SLUGS = frozenset({"new"})
RESERVED_SECTION_SLUGS = frozenset({"sections", "slates", "edit", "new"})


def timetable_problem(dates: dict[str, datetime.date | None]) -> DomainError | None:
    """The first step of the timetable that comes before the one it follows, if any."""
    order = [
        ("nominations_open", "nominations_close", "Nominations must close after they open."),
        ("nominations_close", "ballot_open", "The ballot must open after nominations close."),
        ("ballot_open", "ballot_close", "The ballot must close after it opens."),
        ("ballot_close", "count_on", "The count must come after the ballot closes."),
    ]
    for first, then, message in order:
        start, end = dates.get(first), dates.get(then)
        if start is not None and end is not None and end < start:
            return DomainError(message, field=then)
    return None


def _update(
    obj: Model,
    values: Mapping[str, object],
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    summary: str = "",
) -> list[str]:
    """Set and save the fields that differ, audit them, and return their names.

    Nothing is saved or audited when nothing changed. The audit summary lists the changed
    fields (never their values), after ``summary`` if given.
    """
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return changed
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    audit_record(
        actor_id=actor_id(actor),
        action=action,
        object_type=object_type,
        object_id=obj.pk if object_id is None else object_id,
        summary=f"{summary}: {', '.join(changed)}" if summary else ", ".join(changed),
    )
    return changed


def _dependants_elsewhere(obj: PartyElection | Section | Candidate | Slate) -> list[str]:
    """What other apps hold that deleting ``obj`` would delete or that forbids it (slate
    nominations, slate ballots, published slates, endorsements): the elections app may not
    reach into those apps' tables, so Django's delete collector finds them."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as err:
        held = err.protected_objects if isinstance(err, ProtectedError) else err.restricted_objects
        return sorted({_held_as(o._meta) for o in held})
    found = {
        _held_as(model._meta)
        for model, objects in collector.data.items()
        if model._meta.app_label != "elections" and objects
    }
    found |= {
        _held_as(qs.model._meta)
        for qs in collector.fast_deletes
        if isinstance(qs, QuerySet) and qs.model._meta.app_label != "elections" and qs.exists()
    }
    return sorted(found)


# What another app's rows are, in the words of a refusal ("... has places on a published slate").
_HELD_AS = {
    "slates.slatenomination": "nominations by affiliates",
    "slates.slateselection": "slate ballots",
    "slates.slateplace": "places on a published slate",
    "slates.endorsement": "endorsements",
}


def _held_as(meta: Any) -> str:
    return _HELD_AS.get(meta.label_lower, str(meta.verbose_name_plural))


@transaction.atomic(durable=True)
def party_election_create(
    *,
    actor: User | None,
    slug: str,
    name: str,
    party: str,
    dates: dict[str, datetime.date | None],
) -> PartyElection:
    """Create an election with no sections yet; its slug is its address and never changes."""
    slug, name, party = slug.strip().lower(), name.strip(), party.strip()
    if slug in RESERVED_ELECTION_SLUGS:
        raise DomainError("That address is used by the site: choose another.", field="slug")
    if PartyElection.objects.filter(slug=slug).exists():
        raise DomainError("An election with this address already exists.", field="slug")
    if not name:
        raise DomainError("Enter the election's name.", field="name")
    if problem := timetable_problem(dates):
        raise problem
    election = PartyElection.objects.create(
        slug=slug,
        name=name,
        party=party,
        **{key: dates.get(key) for key in ELECTION_DATES},
    )
    audit_record(
        actor_id=actor_id(actor),
        action="party_election.create",
        object_type="party_election",
        object_id=election.pk,
        summary="0 sections",
    )
    return election


@transaction.atomic(durable=True)
def party_election_update(
    *,
    actor: User | None,
    election: PartyElection,
    name: str,
    party: str,
    dates: dict[str, datetime.date | None],
) -> list[str]:
    """Change an election's name, party and timetable; return the fields changed.

    The nomination window may not shut out nominations already recorded.
    """
    election = PartyElection.objects.select_for_update().get(pk=election.pk)
    name = name.strip()
    if not name:
        raise DomainError("Enter the election's name.", field="name")
    if problem := timetable_problem(dates):
        raise problem
    nominations = Nomination.objects.filter(section__election=election)
    opens, closes = dates.get("nominations_open"), dates.get("nominations_close")
    if opens is not None and (early := nominations.filter(nominated_on__lt=opens).count()):
        raise DomainError(
            f"{early} nomination(s) are recorded before this date: nominations would open "
            "after them.",
            field="nominations_open",
        )
    if closes is not None and (late := nominations.filter(nominated_on__gt=closes).count()):
        raise DomainError(
            f"{late} nomination(s) are recorded after this date: nominations would close "
            "before them.",
            field="nominations_close",
        )
    values: dict[str, object] = {"name": name, "party": party.strip()}
    values |= {key: dates.get(key) for key in ELECTION_DATES}
    return _update(
        election, values, actor=actor, action="party_election.update", object_type="party_election"
    )


@transaction.atomic(durable=True)
def section_create(
    *,
    actor: User | None,
    election: PartyElection,
    slug: str,
    name: str,
    seats: int,
    rule: str,
    quotas: dict[str, dict[str, int]],
    nomination_threshold: int,
) -> Section:
    """Add a section to an election, after the last; its slug is its address in the election."""
    slug = slug.strip().lower()
    if slug in RESERVED_SECTION_SLUGS:
        raise DomainError("That address is used by the site: choose another.", field="slug")
    if Section.objects.filter(election=election, slug=slug).exists():
        raise DomainError("The election already has a section with this address.", field="slug")
    values = section_values(
        name=name,
        seats=seats,
        rule=rule,
        quotas=quotas,
        nomination_threshold=nomination_threshold,
    )
    section = Section.objects.create(
        election=election,
        slug=slug,
        position=Section.objects.filter(election=election).count(),
        **values,
    )
    audit_record(
        actor_id=actor_id(actor),
        action="section.create",
        object_type="section",
        object_id=section.pk,
        summary=f"election {election.pk}, {seats} seats, rule {rule}",
    )
    return section


@transaction.atomic(durable=True)
def section_update(
    *,
    actor: User | None,
    section: Section,
    name: str,
    seats: int,
    rule: str,
    quotas: dict[str, dict[str, int]],
    nomination_threshold: int,
) -> list[str]:
    """Change a section; return the fields changed.

    Seats, rule and quotas are what a stored result was counted with, so they stay while
    the section has a result; seats may not fall below a quota's minimum.
    """
    section = Section.objects.select_for_update().get(pk=section.pk)
    values = section_values(
        name=name,
        seats=seats,
        rule=rule,
        quotas=quotas,
        nomination_threshold=nomination_threshold,
    )
    recount = any(getattr(section, key) != values[key] for key in ("seats", "rule", "quotas"))
    if recount and SectionResult.objects.filter(section=section).exists():
        raise DomainError(
            "The section has a result counted with its seats, rule and quotas: "
            "they cannot change now."
        )
    return _update(section, values, actor=actor, action="section.update", object_type="section")


@transaction.atomic(durable=True)
def section_delete(*, actor: User | None, section: Section) -> None:
    """Delete a section with its candidates and their slate places. Refused while it has
    nominations, a result, or records in other apps (slate nominations, slate ballots)."""
    section = Section.objects.select_for_update().get(pk=section.pk)
    if count_ := Nomination.objects.filter(section=section).count():
        raise DomainError(f"The section has {count_} nomination(s): it cannot be deleted.")
    if SectionResult.objects.filter(section=section).exists():
        raise DomainError("The section has a result: it cannot be deleted.")
    if elsewhere := _dependants_elsewhere(section):
        raise DomainError(f"The section has {', '.join(elsewhere)}: it cannot be deleted.")
    candidates = Candidate.objects.filter(section=section).count()
    section_id, election_id = section.pk, section.election_id
    section.delete()
    audit_record(
        actor_id=actor_id(actor),
        action="section.delete",
        object_type="section",
        object_id=section_id,
        summary=f"election {election_id}, {candidates} candidates",
    )


def _named_in_result(candidate: Candidate, name: str) -> bool:
    result = SectionResult.objects.filter(section_id=candidate.section_id).first()
    return result is not None and name in result.data.get("candidates", [])


@transaction.atomic(durable=True)
def candidate_update(
    *,
    actor: User | None,
    candidate: Candidate,
    name: str,
    gender: str,
    clp: Constituency | None,
) -> list[str]:
    """Change a candidate; return the fields changed. A stored result names candidates, so a
    candidate it names keeps their name."""
    candidate = Candidate.objects.select_for_update().select_related("section").get(pk=candidate.pk)
    values = candidate_values(
        section=candidate.section, name=name, gender=gender, clp=clp, candidate=candidate
    )
    if values["name"] != candidate.name and _named_in_result(candidate, candidate.name):
        raise DomainError(
            "The section's result names this candidate: their name cannot change.", field="name"
        )
    return _update(
        candidate, values, actor=actor, action="candidate.update", object_type="candidate"
    )


@transaction.atomic(durable=True)
def candidate_delete(*, actor: User | None, candidate: Candidate) -> None:
    """Withdraw a candidate entered by mistake, with their slate places. Refused while they
    have nominations, the section's result names them, or another app holds them (a
    published slate)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if count_ := Nomination.objects.filter(candidate=candidate).count():
        raise DomainError(f"{candidate.name} has {count_} nomination(s): they cannot be removed.")
    if _named_in_result(candidate, candidate.name):
        raise DomainError(f"The section's result names {candidate.name}: they cannot be removed.")
    if elsewhere := _dependants_elsewhere(candidate):
        raise DomainError(f"{candidate.name} has {', '.join(elsewhere)}: they cannot be removed.")
    candidate_id, section_id = candidate.pk, candidate.section_id
    candidate.delete()
    audit_record(
        actor_id=actor_id(actor),
        action="candidate.delete",
        object_type="candidate",
        object_id=candidate_id,
        summary=f"section {section_id}",
    )


@transaction.atomic(durable=True)
def slate_update(
    *, actor: User | None, slate: Slate, name: str, organisation: str, colour: str
) -> list[str]:
    """Change a slate's name, organisation or colour; return the fields changed."""
    slate = Slate.objects.select_for_update().select_related("election").get(pk=slate.pk)
    values = slate_values(
        election=slate.election, name=name, organisation=organisation, colour=colour, slate=slate
    )
    return _update(slate, values, actor=actor, action="slate.update", object_type="slate")


@transaction.atomic(durable=True)
def slate_membership_remove(*, actor: User | None, membership: SlateMembership) -> None:
    """Take a candidate off a slate (an endorsement recorded by mistake, or withdrawn)."""
    deleted, _ = SlateMembership.objects.filter(pk=membership.pk).delete()
    if not deleted:
        raise DomainError("The candidate is no longer on this slate.")
    audit_record(
        actor_id=actor_id(actor),
        action="slate.member_remove",
        object_type="slate",
        object_id=membership.slate_id,
        summary=f"candidate {membership.candidate_id}",
    )


@transaction.atomic(durable=True)
def slate_membership_update(
    *,
    actor: User | None,
    membership: SlateMembership,
    source: str,
    endorsed_on: datetime.date | None,
) -> list[str]:
    """Correct where and when a candidate's endorsement was published; return the fields
    changed. The candidate and the slate stay: to change those, remove and add again."""
    found = SlateMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if found is None:
        raise DomainError("The candidate is no longer on this slate.")
    return _update(
        found,
        {"source": source.strip(), "endorsed_on": endorsed_on},
        actor=actor,
        action="slate.member_update",
        object_type="slate",
        object_id=found.slate_id,
        summary=f"candidate {found.candidate_id}",
    )


def _results_naming(memberships: QuerySet[SlateMembership]) -> int:
    """How many of these slate places belong to candidates a stored result names."""
    places = list(memberships.select_related("candidate"))
    results = SectionResult.objects.filter(
        section_id__in={m.candidate.section_id for m in places}
    ).only("section_id", "data")
    named = {r.section_id: set(r.data.get("candidates", [])) for r in results}
    return sum(1 for m in places if m.candidate.name in named.get(m.candidate.section_id, ()))


@transaction.atomic(durable=True)
def slate_delete(*, actor: User | None, slate: Slate) -> None:
    """Delete a slate recorded by mistake, with its candidates' places on it.

    Refused while a stored result names any of its candidates (the result's analysis by slate
    uses it) or another app holds it (endorsements, a published slate ballot).
    """
    slate = Slate.objects.select_for_update().get(pk=slate.pk)
    memberships = SlateMembership.objects.filter(slate=slate)
    if named := _results_naming(memberships):
        raise DomainError(
            f"A stored result names {named} of the slate's candidate(s) and is analysed by "
            "slate: the slate cannot be deleted."
        )
    if elsewhere := _dependants_elsewhere(slate):
        raise DomainError(f"The slate has {', '.join(elsewhere)}: it cannot be deleted.")
    members = memberships.count()
    slate_id, election_id = slate.pk, slate.election_id
    slate.delete()
    audit_record(
        actor_id=actor_id(actor),
        action="slate.delete",
        object_type="slate",
        object_id=slate_id,
        summary=f"election {election_id}, {members} candidates",
    )


@transaction.atomic(durable=True)
def party_election_delete(*, actor: User | None, election: PartyElection) -> None:
    """Delete an election set up by mistake, with its sections, candidates and slates.

    Refused while any section has nominations or a result, or another app holds rows of it
    (slate nominations, slate ballots, endorsements).
    """
    election = PartyElection.objects.select_for_update().get(pk=election.pk)
    sections = Section.objects.filter(election=election)
    recorded = sections.filter(
        Exists(Nomination.objects.filter(section=OuterRef("pk")))
        | Exists(SectionResult.objects.filter(section=OuterRef("pk")))
    )
    if names := list(recorded.values_list("name", flat=True)):
        raise DomainError(
            f"Sections with nominations or a result: {', '.join(names)}. "
            "The election cannot be deleted."
        )
    if elsewhere := _dependants_elsewhere(election):
        raise DomainError(f"The election has {', '.join(elsewhere)}: it cannot be deleted.")
    counts = (
        sections.count(),
        Candidate.objects.filter(section__election=election).count(),
        Slate.objects.filter(election=election).count(),
    )
    election_id = election.pk
    election.delete()
    audit_record(
        actor_id=actor_id(actor),
        action="party_election.delete",
        object_type="party_election",
        object_id=election_id,
        summary="{} sections, {} candidates, {} slates".format(*counts),
    )
