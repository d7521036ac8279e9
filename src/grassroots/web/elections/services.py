"""Writing party elections: the reference sections, candidates, slates, CLP nominations and
results.

Each service takes keyword-only arguments and the actor (None from the command line), and runs
in one transaction that also writes the audit row. Summaries hold ids and counts, never names.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from grassroots.count import CountError, Quotas, count
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.imports import (
    NominationFileError,
    candidate_match,
    nomination_date_check,
    nominations_parse,
)
from grassroots.web.elections.models import (
    Candidate,
    Nomination,
    PartyElection,
    ResultKind,
    Section,
    SectionResult,
    Slate,
    SlateMembership,
)
from grassroots.web.elections.reference import NEC_SECTIONS
from grassroots.web.elections.sheets import sheet_parse, sheet_parse_csv
from grassroots.web.elections.validation import candidate_values, slate_values
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

__all__ = ["NominationFileError", "sheet_parse", "sheet_parse_csv"]

MAX_UPLOAD = 20_000_000


def actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None else None


@transaction.atomic
def party_election_reference_load(
    *,
    actor: User | None,
    slug: str,
    name: str,
    nominations_open: datetime.date | None = None,
    nominations_close: datetime.date | None = None,
    ballot_open: datetime.date | None = None,
    ballot_close: datetime.date | None = None,
    count_on: datetime.date | None = None,
) -> PartyElection:
    """Create the NEC-shaped election (reference sections) if ``slug`` is new; idempotent."""
    election, created = PartyElection.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "nominations_open": nominations_open,
            "nominations_close": nominations_close,
            "ballot_open": ballot_open,
            "ballot_close": ballot_close,
            "count_on": count_on,
        },
    )
    if not created:
        return election
    Section.objects.bulk_create(
        Section(
            election=election,
            slug=spec.slug,
            name=spec.name,
            seats=spec.seats,
            rule=spec.rule,
            quotas=spec.quotas,
            nomination_threshold=spec.threshold,
            position=position,
        )
        for position, spec in enumerate(NEC_SECTIONS)
    )
    audit_record(
        actor_id=actor_id(actor),
        action="party_election.create",
        object_type="party_election",
        object_id=election.pk,
        summary=f"{len(NEC_SECTIONS)} sections",
    )
    return election


@transaction.atomic
def candidate_create(
    *,
    actor: User | None,
    section: Section,
    name: str,
    gender: str = "",
    clp: Constituency | None = None,
) -> Candidate:
    """Add a candidate to a section (checked by ``validation.candidate_values``)."""
    values = candidate_values(section=section, name=name, gender=gender, clp=clp)
    candidate = Candidate.objects.create(section=section, **values)
    audit_record(
        actor_id=actor_id(actor),
        action="candidate.create",
        object_type="candidate",
        object_id=candidate.pk,
        summary=f"section {section.pk}",
    )
    return candidate


@transaction.atomic
def slate_create(
    *,
    actor: User | None,
    election: PartyElection,
    name: str,
    organisation: str = "",
    colour: str = "#888888",
) -> Slate:
    """Record a faction's slate in an election (checked by ``validation.slate_values``)."""
    values = slate_values(election=election, name=name, organisation=organisation, colour=colour)
    slate = Slate.objects.create(
        election=election, position=Slate.objects.filter(election=election).count(), **values
    )
    audit_record(
        actor_id=actor_id(actor),
        action="slate.create",
        object_type="slate",
        object_id=slate.pk,
        summary=f"election {election.pk}",
    )
    return slate


@transaction.atomic
def slate_membership_add(
    *,
    actor: User | None,
    slate: Slate,
    candidate: Candidate,
    source: str = "",
    endorsed_on: datetime.date | None = None,
) -> SlateMembership:
    """Put a candidate on a slate, recording where the endorsement was published."""
    if candidate.section.election_id != slate.election_id:
        raise DomainError("The candidate stands in another election.", field="candidate")
    if SlateMembership.objects.filter(slate=slate, candidate=candidate).exists():
        raise DomainError("The candidate is already on this slate.", field="candidate")
    membership = SlateMembership.objects.create(
        slate=slate, candidate=candidate, source=source.strip(), endorsed_on=endorsed_on
    )
    audit_record(
        actor_id=actor_id(actor),
        action="slate.member_add",
        object_type="slate",
        object_id=slate.pk,
        summary=f"candidate {candidate.pk}",
    )
    return membership


@transaction.atomic(durable=True)
def nomination_record(
    *,
    actor: User | None,
    section: Section,
    candidate: Candidate,
    clp: Constituency,
    nominated_on: datetime.date,
) -> Nomination:
    """Record that a CLP nominated a candidate. A CLP nominates a candidate once, within the
    nomination window. Nominations that break the section's rules are recorded and flagged
    (``selectors.nomination_flags``), as the tracker reports what CLPs did."""
    if candidate.section_id != section.pk:
        raise DomainError("The candidate does not stand in this section.", field="candidate")
    if not clp.has_clp:
        raise DomainError("There are no CLPs in Northern Ireland.", field="clp")
    if why := nomination_date_check(section, nominated_on):
        raise DomainError(f"Nominations are refused: {why}.", field="nominated_on")
    if Nomination.objects.filter(clp=clp, candidate=candidate).exists():
        raise DomainError(f"{clp.name} has already nominated {candidate.name}.", field="clp")
    nomination = Nomination.objects.create(
        section=section, candidate=candidate, clp=clp, nominated_on=nominated_on
    )
    audit_record(
        actor_id=actor_id(actor),
        action="nomination.record",
        object_type="nomination",
        object_id=nomination.pk,
        summary=f"section {section.pk}, candidate {candidate.pk}",
    )
    return nomination


@transaction.atomic(durable=True)
def nomination_import(*, actor: User | None, section: Section, text: str) -> int:
    """Import a nominations CSV (``clp,candidate,date``): every row is checked first; any bad
    row raises ``NominationFileError`` listing them all and nothing is stored."""
    rows = nominations_parse(section=section, text=text)
    Nomination.objects.bulk_create(
        Nomination(
            section=section, candidate=row.candidate, clp=row.clp, nominated_on=row.nominated_on
        )
        for row in rows
    )
    audit_record(
        actor_id=actor_id(actor),
        action="nomination.import",
        object_type="section",
        object_id=section.pk,
        summary=f"{len(rows)} nominations",
    )
    return len(rows)


def _decode(data: bytes) -> str:
    if len(data) > MAX_UPLOAD:
        raise DomainError("The file is too large (20 MB at most).", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DomainError("The file is not UTF-8 text.", field="file") from err
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DomainError(
            f"Line {line} holds a NUL character (byte 0): this is not a text file.", field="file"
        )
    return text


def upload_text(upload: UploadedFile) -> str:
    """An uploaded file's text: UTF-8, at most 20 MB, no NUL; a ``DomainError`` otherwise."""
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise DomainError("The file is too large (20 MB at most).", field="file")
    return _decode(upload.read())


def _result_store(
    *, actor: User | None, section: Section, kind: ResultKind, filename: str, data: dict[str, Any]
) -> SectionResult:
    result, _ = SectionResult.objects.update_or_create(
        section=section,
        defaults={"kind": kind, "filename": filename[:200], "data": data},
    )
    audit_record(
        actor_id=actor_id(actor),
        action=f"result.{kind}",
        object_type="section",
        object_id=section.pk,
        summary=f"{len(data.get('elected', []))} elected",
    )
    return result


@transaction.atomic(durable=True)
def result_count_import(
    *, actor: User | None, section: Section, filename: str, data: bytes
) -> SectionResult:
    """Count a ballot file (BLT, or CSV in a layout the engine reads) with the section's rule,
    seats and quotas, the categories taken from the candidates' gender; store the result.

    The file's candidate names must match the section's candidates exactly.
    """
    from grassroots.count.formats.blt import parse_blt
    from grassroots.count.formats.csv import parse_csv

    text = _decode(data)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        if suffix == "blt":
            profile = parse_blt(text, path=filename)
        elif suffix == "csv":
            profile = parse_csv(text, seats=section.seats, path=filename)
        else:
            raise DomainError("Give a .blt or .csv ballot file.", field="file")
        if profile.seats != section.seats:
            profile = replace(profile, seats=section.seats)
        candidates = candidate_match(section=section, names=list(profile.candidates))
        profile = profile.with_categories({n: c.gender or "-" for n, c in candidates.items()})
        quotas = Quotas.build(
            {k: v["min"] for k, v in section.quotas.items() if "min" in v},
            {k: v["max"] for k, v in section.quotas.items() if "max" in v},
        )
        result = count(profile, rule=section.rule, quotas=quotas)
    except CountError as err:
        raise DomainError(f"The count failed: {err}", field="file") from err
    return _result_store(
        actor=actor,
        section=section,
        kind=ResultKind.COUNT,
        filename=filename,
        data=result.to_dict(),
    )


@transaction.atomic(durable=True)
def result_sheet_import(
    *, actor: User | None, section: Section, filename: str, data: bytes
) -> SectionResult:
    """Store a published count sheet (JSON or CSV, layouts in docs/elections.md)."""
    text = _decode(data)
    sheet = sheet_parse_csv(text) if filename.lower().endswith(".csv") else sheet_parse(text)
    candidate_match(section=section, names=sheet["candidates"])
    return _result_store(
        actor=actor, section=section, kind=ResultKind.SHEET, filename=filename, data=sheet
    )
