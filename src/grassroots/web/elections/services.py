"""Writing party elections: the reference sections, candidates, slates, CLP nominations and
results.

Each service takes keyword-only arguments and the actor (None from the command line), and runs
in one transaction that also writes the audit row. Summaries hold ids and counts, never names.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

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
    Gender,
    Nomination,
    PartyElection,
    ResultKind,
    Section,
    SectionResult,
    Slate,
    SlateMembership,
)
from grassroots.web.elections.reference import NEC_SECTIONS
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

__all__ = ["NominationFileError"]

MAX_UPLOAD = 20_000_000


def _actor_id(actor: User | None) -> int | None:
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
        actor_id=_actor_id(actor),
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
    """Add a candidate to a section; names are unique in a section."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the candidate's name.", field="name")
    if gender not in Gender.values:
        raise DomainError("Choose one of the listed genders.", field="gender")
    if Candidate.objects.filter(section=section, name__iexact=name).exists():
        raise DomainError("This candidate is already standing in the section.", field="name")
    candidate = Candidate.objects.create(section=section, name=name, gender=gender, clp=clp)
    audit_record(
        actor_id=_actor_id(actor),
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
    """Record a faction's slate in an election."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the slate's name.", field="name")
    if Slate.objects.filter(election=election, name__iexact=name).exists():
        raise DomainError("A slate with this name is already recorded.", field="name")
    slate = Slate.objects.create(
        election=election,
        name=name,
        organisation=organisation.strip(),
        colour=colour,
        position=Slate.objects.filter(election=election).count(),
    )
    audit_record(
        actor_id=_actor_id(actor),
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
        actor_id=_actor_id(actor),
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
        actor_id=_actor_id(actor),
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
        actor_id=_actor_id(actor),
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
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DomainError("The file is not UTF-8 text.", field="file") from err


def _result_store(
    *, actor: User | None, section: Section, kind: ResultKind, filename: str, data: dict[str, Any]
) -> SectionResult:
    result, _ = SectionResult.objects.update_or_create(
        section=section,
        defaults={"kind": kind, "filename": filename[:200], "data": data},
    )
    audit_record(
        actor_id=_actor_id(actor),
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


def _number(value: object, where: str) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation as err:
        raise DomainError(f"{where}: {value!r} is not a number.", field="file") from err
    if not number.is_finite() or number < 0:
        raise DomainError(f"{where}: {value!r} is not a number of votes.", field="file")
    return str(number)


def sheet_parse(text: str) -> dict[str, Any]:
    """Check a published count sheet in JSON (docs/elections.md) and return it in the stored
    layout (the engine's ``Result.to_dict()`` keys that the analysis reads)."""
    try:
        sheet = json.loads(text)
    except json.JSONDecodeError as err:
        raise DomainError(f"Not JSON: line {err.lineno}: {err.msg}.", field="file") from err
    if not isinstance(sheet, dict):
        raise DomainError("The sheet must be a JSON object.", field="file")
    candidates = sheet.get("candidates")
    if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
        raise DomainError('"candidates" must be a list of names.', field="file")
    names = set(candidates)
    elected = sheet.get("elected")
    if not isinstance(elected, list) or not set(elected) <= names:
        raise DomainError('"elected" must list candidates from "candidates".', field="file")
    stages = sheet.get("stages")
    if not isinstance(stages, list) or not stages:
        raise DomainError('"stages" must be a non-empty list.', field="file")
    out = []
    for number, stage in enumerate(stages, start=1):
        where = f"stage {number}"
        if not isinstance(stage, dict) or not isinstance(stage.get("votes"), dict):
            raise DomainError(f'{where}: needs "votes", an object of votes by name.', field="file")
        unknown = set(stage["votes"]) - names
        if unknown:
            raise DomainError(f"{where}: unknown candidate(s) {sorted(unknown)}.", field="file")
        transfers = []
        for t in stage.get("transfers") or []:
            if not isinstance(t, dict) or t.get("from") not in names:
                raise DomainError(f'{where}: each transfer needs "from" a candidate.', field="file")
            if t.get("to") is not None and t["to"] not in names:
                raise DomainError(f"{where}: transfer to unknown {t['to']!r}.", field="file")
            transfers.append(
                {"from": t["from"], "to": t.get("to"), "votes": _number(t.get("votes"), where)}
            )
        out.append(
            {
                "number": number,
                "votes": {n: _number(v, where) for n, v in stage["votes"].items()},
                "exhausted": _number(stage.get("exhausted", 0), where),
                "transfers": transfers,
            }
        )
    return {
        "title": str(sheet.get("title", "")),
        "seats": len(elected),
        "candidates": candidates,
        "elected": elected,
        "stages": out,
    }


SHEET_ROWS = {"non-transferable", "loss by rounding", "elected", "excluded"}


def sheet_parse_csv(text: str) -> dict[str, Any]:
    """Read a published count sheet in the wide CSV layout ``grassroots count --format csv``
    writes (docs/elections.md) and return it in the stored layout.

    Transfers are not in the sheet; they are worked out stage by stage where exactly one
    candidate lost votes (a surplus or a single exclusion): each gain is a transfer from that
    candidate, and the rise in non-transferable votes a transfer to nobody. A stage where
    several candidates lost votes is left without transfers, and a note says so.
    """
    rows = list(csv.reader(io.StringIO(text)))
    # The header: candidate, category, then at least one stage.
    if not rows or len(rows[0]) < 3 or rows[0][0].strip().lower() != "candidate":
        raise DomainError(
            "The first row must be: candidate, category, then one column per stage.", field="file"
        )
    n_stages = len(rows[0]) - 2
    votes: dict[str, list[str]] = {}
    special: dict[str, list[str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != n_stages + 2:
            raise DomainError(
                f"Line {line}: expected {n_stages + 2} fields, got {len(row)}.", field="file"
            )
        name = row[0].strip()
        if name.lower() in SHEET_ROWS:
            special[name.lower()] = [cell.strip() for cell in row[2:]]
        elif name in votes:
            raise DomainError(f"Line {line}: {name} appears twice.", field="file")
        else:
            votes[name] = [_number(cell.strip(), f"line {line}") for cell in row[2:]]
    if not votes:
        raise DomainError("The sheet lists no candidates.", field="file")
    exhausted = [
        _number(v or 0, "non-transferable")
        for v in special.get("non-transferable", ["0"] * n_stages)
    ]
    elected = [
        name.strip()
        for cell in special.get("elected", [])
        for name in cell.split(";")
        if name.strip()
    ]
    unknown = [name for name in elected if name not in votes]
    if not elected or unknown:
        raise DomainError(
            'The "elected" row must name the elected candidates, separated by ";".', field="file"
        )
    stages: list[dict[str, Any]] = []
    notes: list[str] = []
    for i in range(n_stages):
        transfers: list[dict[str, Any]] = []
        if i:
            change = {n: Decimal(v[i]) - Decimal(v[i - 1]) for n, v in votes.items()}
            losers = [n for n, d in change.items() if d < 0]
            if len(losers) == 1:
                transfers = [
                    {"from": losers[0], "to": n, "votes": str(d)}
                    for n, d in change.items()
                    if d > 0
                ]
                gone = Decimal(exhausted[i]) - Decimal(exhausted[i - 1])
                if gone > 0:
                    transfers.append({"from": losers[0], "to": None, "votes": str(gone)})
            elif losers:
                notes.append(
                    f"stage {i + 1}: transfers not worked out ({len(losers)} candidates lost votes)"
                )
        stages.append(
            {
                "number": i + 1,
                "votes": {n: v[i] for n, v in votes.items()},
                "exhausted": exhausted[i],
                "transfers": transfers,
            }
        )
    return {
        "title": "",
        "seats": len(elected),
        "candidates": list(votes),
        "elected": elected,
        "stages": stages,
        "notes": notes,
    }


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
