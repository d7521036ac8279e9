"""Reading a file of CLP nominations (``clp,candidate,date``) for a section.

The whole file is checked before anything is stored: every bad row is reported with its line
and the reason, and a file with any bad row imports nothing (docs/elections.md).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Q

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Candidate, Nomination, Section
from grassroots.web.errors import DomainError

COLUMNS = ("clp", "candidate", "date")


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class NominationFileError(DomainError):
    """A nominations file with bad rows: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        noun = "row" if len(errors) == 1 else "rows"
        super().__init__(
            f"Nothing imported: {len(errors)} bad {noun}. " + "; ".join(map(str, errors)),
            field="file",
        )


@dataclass(frozen=True)
class NominationRow:
    line: int
    clp: Constituency
    candidate: Candidate
    nominated_on: datetime.date


def csv_error_reason(err: csv.Error) -> str:
    """Why Python's CSV reader stopped, in words for the person who made the file."""
    if "field larger than field limit" in str(err):
        return (
            f"a field is longer than {csv.field_size_limit():,} characters "
            "(a quote left open runs to the end of the file)"
        )
    return f"not readable as CSV ({err})"


def nomination_date_check(section: Section, nominated_on: datetime.date) -> str | None:
    """Why a nomination date is refused (outside the nomination window), or None."""
    election = section.election
    if election.nominations_open and nominated_on < election.nominations_open:
        return f"nominations opened on {election.nominations_open.isoformat()}"
    if election.nominations_close and nominated_on > election.nominations_close:
        return f"nominations closed on {election.nominations_close.isoformat()}"
    return None


def nominations_parse(*, section: Section, text: str) -> list[NominationRow]:
    """Check every row of a nominations CSV against the section; raise
    ``NominationFileError`` listing every bad row, or return the rows to store."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        records = list(reader)
    except csv.Error as err:
        raise NominationFileError([RowError(reader.line_num, csv_error_reason(err))]) from err
    header = records[0] if records else None
    if header is None:
        raise NominationFileError([RowError(1, "the file is empty")])
    names = [h.strip().lower() for h in header]
    if names != list(COLUMNS):
        raise NominationFileError(
            [RowError(1, f"the header must be {','.join(COLUMNS)}, got {','.join(header)}")]
        )
    clps: dict[str, Constituency] = {}
    for row in Constituency.objects.with_clp():
        clps[row.name.lower()] = row
        clps[row.gss_code.lower()] = row
    candidates = {c.name.lower(): c for c in Candidate.objects.filter(section=section)}
    taken = set(Nomination.objects.filter(section=section).values_list("clp_id", "candidate_id"))
    errors: list[RowError] = []
    rows: list[NominationRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(COLUMNS):
            errors.append(RowError(line, f"expected 3 fields, got {len(record)}"))
            continue
        clp_text, candidate_text, date_text = (cell.strip() for cell in record)
        reasons = []
        clp = clps.get(clp_text.lower())
        if clp is None:
            reasons.append(f'"{clp_text}" is not a CLP name or GSS code')
        candidate = candidates.get(candidate_text.lower())
        if candidate is None:
            reasons.append(f'"{candidate_text}" is not a candidate in {section.name}')
        nominated_on: datetime.date | None = None
        try:
            nominated_on = datetime.date.fromisoformat(date_text)
        except ValueError:
            reasons.append(f'date "{date_text}": expected YYYY-MM-DD')
        if nominated_on is not None and (why := nomination_date_check(section, nominated_on)):
            reasons.append(f"date {date_text}: {why}")
        if clp is not None and candidate is not None:
            key = (clp.pk, candidate.pk)
            if key in taken:
                reasons.append(f"{clp.name} has already nominated {candidate.name}")
            elif key in seen:
                reasons.append(f"repeats line {seen[key]}")
            else:
                seen[key] = line
        if reasons:
            errors.append(RowError(line, "; ".join(reasons)))
        elif clp is not None and candidate is not None and nominated_on is not None:
            rows.append(NominationRow(line, clp, candidate, nominated_on))
    if errors:
        raise NominationFileError(errors)
    if not rows:
        raise NominationFileError([RowError(2, "the file has no nominations")])
    return rows


def candidate_match(*, section: Section, names: list[str]) -> dict[str, Candidate]:
    """The section's candidates named in a ballot file; ``DomainError`` listing any name that
    is not a candidate of the section."""
    found = {c.name: c for c in Candidate.objects.filter(section=section).filter(Q(name__in=names))}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise DomainError(
            f"The file names candidates who do not stand in {section.name}: "
            f"{', '.join(unknown)}. Names must match the candidates' names exactly.",
            field="file",
        )
    return found
