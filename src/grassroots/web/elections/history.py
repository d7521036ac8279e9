"""Past NEC elections' published figures, read from the JSON files in ``data/`` (sources and
gaps in ``data/README.md``; nothing is estimated), for trends by slate across years, with the
names one slate went by in different years merged by an explicit table (``SLATE_NAMES``)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
NOT_FOUND = "Slate not found"
CLGA = "Centre-Left Grassroots Alliance (CLGA)"

# Names the sources give one slate in different years, mapped to the name the history's slate
# table shows it under. Only names the data's own sources tie together are merged:
SLATE_NAMES: dict[str, str] = {
    # 2020: the joint left slate. The file's slate_figures give its five seats as "Grassroots
    # Voice (CLGA/Momentum)" and its nominations as "Grassroots Voice (CLGA)", and LabourList's
    # count of candidates with 200+ nominations calls the same six "CLGA". 2022: LabourList
    # (Jan 2024, in the file's notes) calls Momentum's four Grassroots Voice candidates the
    # CLGA's.
    "Grassroots Voice": CLGA,
    # 2018: the file's slate_figures (Skwawkbox) give the CLGA's nine seats as the "nine-name
    # left slate incl. Willsman", the slate Willsman's "JC9" label names. (His own entry notes
    # that no source said whether the CLGA as such kept him after Momentum dropped him.)
    "left slate ('JC9')": CLGA,
    # 2018 to 2020: Luke Akehurst's thread (Sep 2020, in both files' slate_figures) follows
    # one "moderate slate" from Progress and Labour First's in 2018 to Labour to Win in 2020
    # (nominations 23-68, then 108-223; the gap to the left slate 130, then 18).
    "Progress": "Labour to Win",
    "Labour First": "Labour to Win",
}
# Kept apart, as the sources describe different lists: "Momentum" and "CLPD", organisations
# whose own lists differed from the slate's (Momentum dropped Willsman in 2018; CLPD backed a
# fifth candidate in 2022); "Grassroots 5 (CLPD et al.)", which the shared data's README says
# describes a different grouping from the four; "Labour to Win (endorsement)" (2020) and
# "CLPD (recommended)" (2024), endorsements beyond a slate (the published 2020 split counts
# Labour to Win's three seats without Ann Black).


@dataclass(frozen=True)
class Winner:
    name: str
    slates: tuple[str, ...]  # as the sources name them; empty when none was found

    @property
    def label(self) -> str:
        """The winner's slates as the sources name them, joined with " + "; a gap says so."""
        return " + ".join(self.slates) if self.slates else NOT_FOUND


@dataclass(frozen=True)
class PastElection:
    file: str
    year: int
    section: str
    election: str
    seats: int
    method: str
    seats_by_slate: dict[str, int]  # seats won by candidates each slate backed, as named
    elected: list[Winner]
    slate_names: frozenset[str]  # every slate name any candidate's sources give
    sources: int


@dataclass(frozen=True)
class SlateRow:
    """One slate in the table: seats won per year (columns) under the names it used."""

    slate: str
    names: tuple[tuple[str, tuple[int, ...]], ...]  # (name as the sources give it, years)
    seats: list[int]

    @property
    def other_names(self) -> str:
        """The other names the sources used for it, with the years, e.g. "Grassroots Voice
        (2020, 2022)"; empty when it went by one name."""
        return "; ".join(
            f"{name} ({', '.join(map(str, years))})"
            for name, years in self.names
            if name != self.slate
        )


class HistoryDataMissingError(RuntimeError):
    """The past elections' files are not where the package keeps them: an installation that
    left out its data. Raised, never shown as an empty history."""


@cache
def _files() -> tuple[dict[str, Any], ...]:
    out = []
    paths = sorted(DATA.glob("*.json"))
    if not paths:
        raise HistoryDataMissingError(
            f"no past election files (*.json) in {DATA}: the installed package is incomplete; "
            "reinstall Grassroots from a wheel that includes grassroots/web/elections/data"
        )
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return tuple(out)


def past_election_list(*, section: str = "CLP") -> list[PastElection]:
    """The past elections of one section, oldest first, with seats won by slate."""
    elections = []
    for data in _files():
        if data["section"] != section:
            continue
        elected = [
            Winner(c["name"], tuple(c.get("slates") or ()))
            for c in data["candidates"]
            if c["elected"]
        ]
        # A winner backed by several slates counts for each of them, so that one faction's
        # record can be followed across years; a year's column can add up to more than its
        # seats.
        seats: dict[str, int] = defaultdict(int)
        for c in data["candidates"]:
            if c["elected"]:
                for slate in c.get("slates") or [NOT_FOUND]:
                    seats[slate] += 1
        elections.append(
            PastElection(
                file=data["_file"],
                year=int(data["year"]),
                section=data["section"],
                election=data["election"],
                seats=int(data["seats"]),
                method=data["method"],
                seats_by_slate=dict(seats),
                elected=elected,
                slate_names=frozenset(n for c in data["candidates"] for n in c.get("slates") or ()),
                sources=len(data.get("sources", [])),
            )
        )
    return sorted(elections, key=lambda e: e.year)


def slate_of(name: str) -> str:
    """The slate a source's name stands for in the history (itself unless merged)."""
    return SLATE_NAMES.get(name, name)


def slate_trend(elections: list[PastElection]) -> list[SlateRow]:
    """Slates (rows, most seats overall first, names merged by ``SLATE_NAMES``) and seats won
    per year (columns). A winner counts once for each slate, however many of its names the
    sources gave them."""
    seats: dict[str, list[int]] = defaultdict(lambda: [0] * len(elections))
    for column, e in enumerate(elections):
        for winner in e.elected:
            for slate in {slate_of(n) for n in winner.slates} or {NOT_FOUND}:
                seats[slate][column] += 1
    used: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for e in elections:
        for name in e.slate_names:
            used[slate_of(name)][name].append(e.year)
    slates = sorted(seats, key=lambda s: (s == NOT_FOUND, -sum(seats[s]), s))
    return [
        SlateRow(
            slate=slate,
            names=tuple(
                (name, tuple(years))
                for name, years in sorted(used[slate].items(), key=lambda item: (item[1], item[0]))
            ),
            seats=seats[slate],
        )
        for slate in slates
    ]
