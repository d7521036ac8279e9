"""Past NEC elections' published figures, read from the JSON files in ``data/`` (sources and
gaps in ``data/README.md``; nothing is estimated), for trends by slate across years."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
NOT_FOUND = "Slate not found"


@dataclass(frozen=True)
class PastElection:
    file: str
    year: int
    section: str
    election: str
    seats: int
    method: str
    seats_by_slate: dict[str, int]  # seats won by candidates each slate backed
    elected: list[tuple[str, str]]  # (name, slate label) of each winner
    sources: int


@cache
def _files() -> tuple[dict[str, Any], ...]:
    out = []
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return tuple(out)


def _label(slates: list[str] | None) -> str:
    """A winner's slates as the sources name them, joined with " + "; a gap says so."""
    return " + ".join(slates) if slates else NOT_FOUND


def past_election_list(*, section: str = "CLP") -> list[PastElection]:
    """The past elections of one section, oldest first, with seats won by slate."""
    elections = []
    for data in _files():
        if data["section"] != section:
            continue
        elected = [(c["name"], _label(c.get("slates"))) for c in data["candidates"] if c["elected"]]
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
                sources=len(data.get("sources", [])),
            )
        )
    return sorted(elections, key=lambda e: e.year)


def slate_trend(elections: list[PastElection]) -> tuple[list[str], list[list[int]]]:
    """Slates (rows, most seats overall first) and seats won per year (columns)."""
    totals: dict[str, int] = defaultdict(int)
    for e in elections:
        for slate, seats in e.seats_by_slate.items():
            totals[slate] += seats
    slates = sorted(totals, key=lambda s: (s == NOT_FOUND, -totals[s], s))
    return slates, [[e.seats_by_slate.get(s, 0) for e in elections] for s in slates]
