"""Ballots in CSV files, read in one of three layouts told apart by the first row.

**Wide** (one ballot, or one group of identical ballots, a row)::

    rank1,rank2,rank3,weight
    Anna,Ben,,12
    Ben,,,7

The header holds ``rank1``, ``rank2``, … in order and, optionally, ``weight``
(a whole number ≥ 1; without the column every row is one ballot). Cells hold
candidate names; a blank cell ends the ballot, so a name after a blank is an
error, as is a name given twice on one row. The candidates are the names that
appear, in first-seen order: a candidate nobody ranked is not in the file
(use BLT to list one).

**Long** (one row per ballot and rank, as published in US cast-vote records)::

    ballot_id,rank,choice
    0001,1,Anna
    0001,2,$UNDERVOTE
    0001,3,Ben

Rows of a ballot share a ``ballot_id`` and are ordered by ``rank``.
``$UNDERVOTE`` (a rank left blank) is skipped, and the next marked rank moves
up; ``$OVERVOTE`` (two or more marks at one rank) ends the ballot there, so an
overvote at rank 1 makes an empty ballot. Candidates are the names that appear,
in first-seen order.

**MGGG Scottish** (as in ``mggg/scot-elex``)::

    5,3,                                 candidates, seats
    117,1,                               weight, preferences (1-based numbers)
    42,1,2,
    0,                                   optional end of ballots
    "Candidate 1","Chas Booth","Green (Gr)"
    …                                    one row per candidate, in number order
    "Ward 13 - Leith"                    the title

Candidates are named by the second cell of their row (the party is not kept).

Only the MGGG layout gives the number of seats; for the others the caller
gives it, and for MGGG a given number overrides the file's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from grassroots.count.errors import FormatError
from grassroots.count.formats import (
    MAX_BALLOTS,
    build_profile,
    check_seats,
    read_text,
    whole_number,
)
from grassroots.count.profile import Profile

_RANK = re.compile(r"rank\s*([0-9]+)")
_CANDIDATE_ROW = re.compile(r"candidate\s+([0-9]+)", re.IGNORECASE)
_LONG_HEADER = ["ballot_id", "rank", "choice"]
UNDERVOTE = "$UNDERVOTE"
OVERVOTE = "$OVERVOTE"

Row = tuple[int, list[str]]


def read_csv(path: str | Path, seats: int | None = None) -> Profile:
    """Read a CSV ballot file (wide, long or MGGG layout) into a :class:`Profile`.

    Args:
        path: the CSV file.
        seats: how many are to be elected; required unless the layout is MGGG's.

    Raises:
        FormatError: naming the file, line and field of the first problem,
            or saying that the first row matches no layout we read.
    """
    return parse_csv(read_text(path), seats=seats, path=path)


def _rows(text: str, path: str | Path | None) -> Iterator[Row]:
    """Non-blank rows with their line numbers, cells stripped, trailing blanks dropped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise FormatError(
                f"not readable as CSV: {err}", path=path, line=reader.line_num
            ) from None
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield reader.line_num, cells


def parse_csv(text: str, *, seats: int | None, path: str | Path | None = None) -> Profile:
    """Parse CSV text, choosing the layout by the first row (see the module docstring)."""
    rows = _rows(text, path)
    first = next(rows, None)
    if first is None:
        raise FormatError("empty file: expected a header row", path=path)
    number, header = first
    lowered = [c.lower() for c in header]
    if lowered == _LONG_HEADER:
        return _parse_long(rows, seats=_need_seats(seats, path), path=path)
    if any(_RANK.fullmatch(c) for c in lowered):
        return _parse_wide(number, lowered, rows, seats=_need_seats(seats, path), path=path)
    if header[0].isdigit():
        return _parse_mggg(number, header, rows, seats=seats, path=path)
    raise FormatError(
        f'unknown CSV layout: the first row "{",".join(header)}" should be a header '
        '"rank1,rank2,..." (wide), "ballot_id,rank,choice" (long), '
        'or "candidates,seats" (MGGG)',
        path=path,
        line=number,
    )


def _need_seats(seats: int | None, path: str | Path | None) -> int:
    if seats is None:
        raise FormatError(
            "this CSV layout does not give the number of seats: pass --seats", path=path
        )
    return seats


def _total(total: int, *, path: str | Path | None, line: int, field: str) -> None:
    if total > MAX_BALLOTS:
        raise FormatError(
            f"the file holds more than {MAX_BALLOTS:,} ballots, the most this engine counts",
            path=path,
            line=line,
            field=field,
        )


def _parse_wide(
    number: int, header: list[str], rows: Iterator[Row], *, seats: int, path: str | Path | None
) -> Profile:
    weight_column: int | None = None
    rank_columns: list[int] = []
    for column, cell in enumerate(header):
        match = _RANK.fullmatch(cell)
        if cell == "weight" and weight_column is None:
            weight_column = column
        elif match and int(match.group(1)) == len(rank_columns) + 1:
            rank_columns.append(column)
        else:
            expected = f"rank{len(rank_columns) + 1}"
            raise FormatError(
                f'column {column + 1} is "{cell}": expected "{expected}" '
                '(columns rank1, rank2, ... in order, and optionally one "weight")',
                path=path,
                line=number,
                field="header",
            )
    names: dict[str, int] = {}
    rankings: list[list[int]] = []
    weights: list[int] = []
    total = 0
    for line, cells in rows:
        if len(cells) > len(header):
            raise FormatError(
                f"{len(cells)} cells, but the header has {len(header)} columns",
                path=path,
                line=line,
            )
        padded = cells + [""] * (len(header) - len(cells))
        weight = 1
        if weight_column is not None:
            weight = whole_number(padded[weight_column], path=path, line=line, field="weight")
            if weight == 0:
                raise FormatError("0 is not a ballot weight", path=path, line=line, field="weight")
        ranking: list[int] = []
        ended_at: int | None = None
        for place, column in enumerate(rank_columns, start=1):
            name = padded[column]
            if not name:
                ended_at = ended_at or place
                continue
            if ended_at is not None:
                raise FormatError(
                    f'"{name}" follows a blank rank{ended_at}: a blank cell ends the ballot',
                    path=path,
                    line=line,
                    field=f"rank{place}",
                )
            index = names.setdefault(name, len(names))
            if index in ranking:
                raise FormatError(
                    f'"{name}" is already ranked at rank{ranking.index(index) + 1}',
                    path=path,
                    line=line,
                    field=f"rank{place}",
                )
            ranking.append(index)
        total += weight
        _total(total, path=path, line=line, field="weight")
        rankings.append(ranking)
        weights.append(weight)
    if not names:
        raise FormatError("no ballot names a candidate", path=path)
    check_seats(seats, len(names), path=path)
    return build_profile(list(names), seats, rankings, weights, path=path)


def _parse_long(rows: Iterator[Row], *, seats: int, path: str | Path | None) -> Profile:
    # ballot_id -> {rank: (choice, line)}, in first-seen order of ballots
    ballots: dict[str, dict[int, tuple[str, int]]] = {}
    names: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) != 3:
            raise FormatError(
                f"expected 3 cells (ballot_id, rank, choice), found {len(cells)}",
                path=path,
                line=line,
            )
        ballot_id, rank_text, choice = cells
        if not ballot_id:
            raise FormatError("the ballot_id is empty", path=path, line=line, field="ballot_id")
        rank = whole_number(rank_text, path=path, line=line, field="rank", limit=100_000)
        if rank == 0:
            raise FormatError("ranks start at 1", path=path, line=line, field="rank")
        if not choice:
            raise FormatError(
                f"empty: write {UNDERVOTE} for a rank left blank",
                path=path,
                line=line,
                field="choice",
            )
        if choice.startswith("$") and choice not in {UNDERVOTE, OVERVOTE}:
            raise FormatError(
                f'"{choice}": the only special choices are {UNDERVOTE} and {OVERVOTE}',
                path=path,
                line=line,
                field="choice",
            )
        ballot = ballots.setdefault(ballot_id, {})
        if rank in ballot:
            raise FormatError(
                f'ballot "{ballot_id}" has two rows for rank {rank} '
                f"(the other is line {ballot[rank][1]})",
                path=path,
                line=line,
                field="rank",
            )
        ballot[rank] = (choice, line)
        _total(len(ballots), path=path, line=line, field="ballot_id")
    rankings: list[list[int]] = []
    for ballot_id, marks in ballots.items():
        ranking: list[int] = []
        for rank in sorted(marks):
            choice, line = marks[rank]
            if choice == UNDERVOTE:
                continue
            if choice == OVERVOTE:
                break
            index = names.setdefault(choice, len(names))
            if index in ranking:
                raise FormatError(
                    f'ballot "{ballot_id}" ranks "{choice}" twice',
                    path=path,
                    line=line,
                    field="choice",
                )
            ranking.append(index)
        rankings.append(ranking)
    if not names:
        raise FormatError("no ballot names a candidate", path=path)
    check_seats(seats, len(names), path=path)
    return build_profile(list(names), seats, rankings, [1] * len(rankings), path=path)


def _parse_mggg(
    number: int,
    header: list[str],
    rows: Iterator[Row],
    *,
    seats: int | None,
    path: str | Path | None,
) -> Profile:
    if len(header) != 2:
        raise FormatError(
            f'"{",".join(header)}": expected two whole numbers, candidates and seats',
            path=path,
            line=number,
            field="header",
        )
    n_candidates = whole_number(header[0], path=path, line=number, field="candidates")
    file_seats = whole_number(header[1], path=path, line=number, field="seats")
    if n_candidates < 1:
        raise FormatError("there must be at least one candidate", path=path, line=number)
    if seats is None:
        if not 1 <= file_seats <= n_candidates:
            raise FormatError(
                f"must be between 1 and the number of candidates ({n_candidates}), "
                f"got {file_seats}",
                path=path,
                line=number,
                field="seats",
            )
        seats = file_seats
    else:
        check_seats(seats, n_candidates, path=path)

    rankings: list[list[int]] = []
    weights: list[int] = []
    total = 0
    candidate_row: Row | None = None
    for line, cells in rows:
        if cells == ["0"]:
            break
        if _CANDIDATE_ROW.fullmatch(cells[0]):
            candidate_row = (line, cells)
            break
        weight = whole_number(cells[0], path=path, line=line, field="weight")
        if weight == 0:
            raise FormatError("0 is not a ballot weight", path=path, line=line, field="weight")
        ranking: list[int] = []
        for place, token in enumerate(cells[1:], start=1):
            if not token:
                raise FormatError(
                    "a blank cell in the middle of a ballot",
                    path=path,
                    line=line,
                    field=f"preference {place}",
                )
            candidate = whole_number(token, path=path, line=line, field=f"preference {place}")
            if not 1 <= candidate <= n_candidates:
                raise FormatError(
                    f"candidate {token}: there are only {n_candidates} candidates",
                    path=path,
                    line=line,
                    field=f"preference {place}",
                )
            if candidate - 1 in ranking:
                raise FormatError(
                    f"candidate {token} is ranked twice on one ballot",
                    path=path,
                    line=line,
                    field=f"preference {place}",
                )
            ranking.append(candidate - 1)
        total += weight
        _total(total, path=path, line=line, field="weight")
        rankings.append(ranking)
        weights.append(weight)

    names: list[str] = []
    first_seen: dict[str, int] = {}
    while len(names) < n_candidates:
        if candidate_row is None:
            candidate_row = next(rows, None)
        if candidate_row is None:
            raise FormatError(
                f'expected {n_candidates} candidate rows ("Candidate 1", ...), found {len(names)}',
                path=path,
                field="names",
            )
        line, cells = candidate_row
        candidate_row = None
        expected = f"Candidate {len(names) + 1}"
        match = _CANDIDATE_ROW.fullmatch(cells[0])
        if match is None or int(match.group(1)) != len(names) + 1:
            raise FormatError(
                f'"{cells[0]}": expected "{expected}"', path=path, line=line, field="name"
            )
        name = cells[1] if len(cells) > 1 else ""
        if not name:
            raise FormatError(f"{expected} has no name", path=path, line=line, field="name")
        if name in first_seen:
            raise FormatError(
                f'"{name}" is the name of candidates {first_seen[name]} and {len(names) + 1}',
                path=path,
                line=line,
                field="name",
            )
        first_seen[name] = len(names) + 1
        names.append(name)

    title = ""
    title_row = next(rows, None)
    if title_row is not None:
        title = title_row[1][0].strip('"').strip()
        extra = next(rows, None)
        if len(title_row[1]) > 1 or extra is not None:
            line, cells = extra if extra is not None else title_row
            raise FormatError(
                f'unexpected text after the title: "{",".join(cells)}" '
                "(is the number of candidates on line 1 right?)",
                path=path,
                line=line,
            )
    return build_profile(names, seats, rankings, weights, path=path, title=title)
