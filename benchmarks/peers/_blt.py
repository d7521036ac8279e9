"""A plain-Python BLT reader for the peer adapters (each peer is fed as a user would feed it).

Returns the seats, the candidate names and the ballots merged by ranking
(``{(names...): count}``). It reads well-formed files only: the benchmark's
own files and the real wards, which the engine has already checked.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def read(path: str | Path) -> tuple[int, list[str], Counter[tuple[str, ...]]]:
    """Seats, candidate names and ``ranking -> number of ballots`` from a BLT file."""
    lines = [
        line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    n_candidates, seats = (int(x) for x in lines[0].split())
    at = 1
    while lines[at].startswith("-"):
        at += 1
    numbered: Counter[tuple[int, ...]] = Counter()
    while lines[at] != "0":
        numbers = [int(x) for x in lines[at].split()]
        numbered[tuple(numbers[1:-1])] += numbers[0]
        at += 1
    names = [line.strip('"') for line in lines[at + 1 : at + 1 + n_candidates]]
    ballots: Counter[tuple[str, ...]] = Counter()
    for ranking, count in numbered.items():
        if ranking:
            ballots[tuple(names[c - 1] for c in ranking)] += count
    return seats, names, ballots
