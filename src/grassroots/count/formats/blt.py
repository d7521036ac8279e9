"""The BLT ballot format (OpenSTV, Droop, OpaVote, eSTV), read and written.

Layout::

    4 2                 candidates seats
    -3                  optional: withdrawn candidates, negated
    12 1 2 3 0          weight, preferences (1-based candidate numbers), 0
    7 2 0
    0                   end of ballots
    "Anna"              one quoted name per candidate, in number order
    "Ben"
    "Cara"
    "Dev"
    "Ward 1 (2022)"     the title

Equal rankings (``1=2``) are rejected: the rules we count give each paper one
preference per place.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from grassroots.count.errors import FormatError
from grassroots.count.formats import MAX_BALLOTS, read_text
from grassroots.count.profile import PAD, Profile, aggregate

_WHOLE = re.compile(r"[0-9]+")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def read_blt(path: str | Path) -> Profile:
    """Read a BLT file into an aggregated :class:`Profile`.

    Raises:
        FormatError: naming the file, line and field of the first problem.
    """
    return parse_blt(read_text(path), path=path)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _whole(token: str, *, path: str | Path | None, line: int, field: str) -> int:
    if not _WHOLE.fullmatch(token):
        raise FormatError(f'"{token}": expected a whole number', path=path, line=line, field=field)
    value = int(token)
    if value > MAX_BALLOTS:
        raise FormatError(
            f"{token} is too large (at most {MAX_BALLOTS:,})", path=path, line=line, field=field
        )
    return value


def parse_blt(text: str, *, path: str | Path | None = None) -> Profile:
    """Parse BLT text (see the module docstring for the layout)."""
    lines = _lines(text)
    header = next(lines, None)
    if header is None:
        raise FormatError("empty file: expected a first line 'candidates seats'", path=path)
    number, line = header
    parts = line.split()
    if len(parts) != 2:
        raise FormatError(
            f'"{line}": expected two whole numbers, candidates and seats',
            path=path,
            line=number,
            field="header",
        )
    n_candidates = _whole(parts[0], path=path, line=number, field="candidates")
    seats = _whole(parts[1], path=path, line=number, field="seats")
    if n_candidates < 1:
        raise FormatError("there must be at least one candidate", path=path, line=number)
    if not 1 <= seats <= n_candidates:
        raise FormatError(
            f"seats must be between 1 and the number of candidates ({n_candidates}), got {seats}",
            path=path,
            line=number,
            field="seats",
        )

    withdrawn: set[int] = set()
    rows: list[list[int]] = []
    weights: list[int] = []
    total = 0
    ended = False
    for number, line in lines:
        tokens = line.split()
        if tokens[0].startswith("-") and not rows:
            for token in tokens:
                body = token[1:] if token.startswith("-") else ""
                candidate = _whole(body or token, path=path, line=number, field="withdrawn")
                if not token.startswith("-") or not 1 <= candidate <= n_candidates:
                    raise FormatError(
                        f'"{token}": expected -N for a candidate N in 1..{n_candidates}',
                        path=path,
                        line=number,
                        field="withdrawn",
                    )
                withdrawn.add(candidate - 1)
            continue
        if tokens == ["0"]:
            ended = True
            break
        if any("=" in t for t in tokens):
            raise FormatError(
                "equal rankings ('=') are not supported: each preference must name one candidate",
                path=path,
                line=number,
                field="ranking",
            )
        weight = _whole(tokens[0], path=path, line=number, field="weight")
        if weight == 0:
            raise FormatError("0 is not a ballot weight", path=path, line=number, field="weight")
        if tokens[-1] != "0":
            raise FormatError(
                "a ballot line must end with 0", path=path, line=number, field="ranking"
            )
        ranking: list[int] = []
        for token in tokens[1:-1]:
            candidate = _whole(token, path=path, line=number, field="preference")
            if not 1 <= candidate <= n_candidates:
                raise FormatError(
                    f"candidate {token}: there are only {n_candidates} candidates",
                    path=path,
                    line=number,
                    field="preference",
                )
            if candidate - 1 in ranking:
                raise FormatError(
                    f"candidate {token} is ranked twice on one ballot",
                    path=path,
                    line=number,
                    field="preference",
                )
            ranking.append(candidate - 1)
        total += weight
        if total > MAX_BALLOTS:
            raise FormatError(
                f"the file holds more than {MAX_BALLOTS:,} ballots, the most this engine counts",
                path=path,
                line=number,
                field="weight",
            )
        rows.append(ranking)
        weights.append(weight)
    if not ended:
        raise FormatError(
            "the ballots have no end line '0' (expected before the candidate names)", path=path
        )

    names: list[str] = []
    title = ""
    for number, line in lines:
        found = _QUOTED.findall(line)
        rest = _QUOTED.sub("", line).strip()
        if not found or rest:
            raise FormatError(
                f'"{line}": expected a name in double quotes',
                path=path,
                line=number,
                field="name" if len(names) < n_candidates else "title",
            )
        for value in found:
            value = value.replace('\\"', '"')
            if len(names) < n_candidates:
                names.append(value)
            elif not title:
                title = value
            else:
                raise FormatError(
                    f'unexpected text after the title: "{value}"', path=path, line=number
                )
    if len(names) < n_candidates:
        raise FormatError(
            f"expected {n_candidates} candidate names, found {len(names)}", path=path, field="names"
        )
    if len(set(names)) != len(names):
        dup = next(n for i, n in enumerate(names) if n in names[:i])
        raise FormatError(f'candidate name "{dup}" appears twice', path=path, field="names")

    width = max((len(r) for r in rows), default=1) or 1
    array = np.full((len(rows), width), PAD, dtype=np.int32)
    for i, r in enumerate(rows):
        array[i, : len(r)] = r
    rankings, counts = aggregate(array, np.asarray(weights, dtype=np.int64))
    return Profile(
        candidates=tuple(names),
        seats=seats,
        rankings=rankings,
        weights=counts,
        withdrawn=frozenset(withdrawn),
        title=title,
    )


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def format_blt(profile: Profile) -> str:
    """The BLT text for a profile (one line per distinct ranking)."""
    out = io.StringIO()
    out.write(f"{len(profile.candidates)} {profile.seats}\n")
    if profile.withdrawn:
        out.write(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)) + "\n")
    for ranking, weight in profile.ballots():
        out.write(" ".join([str(weight), *(str(c + 1) for c in ranking), "0"]) + "\n")
    out.write("0\n")
    for name in profile.candidates:
        out.write(_quote(name) + "\n")
    out.write(_quote(profile.title) + "\n")
    return out.getvalue()


def write_blt(profile: Profile, path: str | Path) -> None:
    """Write a profile as a BLT file."""
    Path(path).write_text(format_blt(profile), encoding="utf-8")
