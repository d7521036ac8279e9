"""PrefLib ordinal preference files (.soi, .soc, and .toi/.toc without ties), read.

Layout (PrefLib's format since 2022)::

    # TITLE: Ward 1 (2007)
    # DATA TYPE: soi
    # NUMBER ALTERNATIVES: 4
    # NUMBER VOTERS: 19
    # ALTERNATIVE NAME 1: Anna
    # ALTERNATIVE NAME 2: Ben
    # ALTERNATIVE NAME 3: Cara
    # ALTERNATIVE NAME 4: Dev
    12: 1, 2, 3
    7: 2

Each data line is ``count: a, b, ...``: that many voters ranked alternative
``a`` first, ``b`` second and so on. In .toi/.toc files braces mark a tie,
``3: 1, {2, 4}``; we reject every tie (naming the line and the tied
candidates), because the STV rules we count need one candidate per place.
The header lines we use are NUMBER ALTERNATIVES, ALTERNATIVE NAME i, TITLE and
NUMBER VOTERS (checked against the sum of the counts); others are ignored.
PrefLib files do not say how many are to be elected, so the caller gives the
number of seats.
"""

from __future__ import annotations

import re
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

_HEADER = re.compile(r"#\s*([A-Za-z][A-Za-z0-9 ]*?)\s*:\s?(.*)")
_SINGLE_KEYS = {"NUMBER ALTERNATIVES", "NUMBER VOTERS", "TITLE"}
_NAME_KEY = re.compile(r"ALTERNATIVE NAME ([0-9]+)")
_ITEM = re.compile(r"\s*(\{[^{}]*\}|[^,{}]*)\s*(,|$)")


def read_preflib(path: str | Path, seats: int | None = None) -> Profile:
    """Read a PrefLib .soi/.soc/.toi/.toc file into an aggregated :class:`Profile`.

    Args:
        path: the PrefLib file.
        seats: how many are to be elected (PrefLib files do not say).

    Raises:
        FormatError: naming the file, line and field of the first problem,
            including any tie in a .toi/.toc file.
    """
    if seats is None:
        raise FormatError("PrefLib files do not give the number of seats: pass --seats", path=path)
    return parse_preflib(read_text(path), seats=seats, path=path)


def _ranking(text: str, names: list[str], *, path: str | Path | None, line: int) -> list[int]:
    """The 0-based ranking in ``a, b, {c}``, rejecting ties and repeats."""
    ranking: list[int] = []
    text = text.strip()
    if not text:
        return ranking
    position = 0
    while position <= len(text):
        match = _ITEM.match(text, position)
        if match is None or match.end() == position:
            raise FormatError(
                f'"{text}": expected alternatives separated by commas, ties in braces',
                path=path,
                line=line,
                field="ranking",
            )
        item = match.group(1).strip()
        group = item[1:-1].split(",") if item.startswith("{") else [item]
        numbers = [
            whole_number(token, path=path, line=line, field="ranking")
            if token.strip().isdigit()
            else _not_alternative(token, path=path, line=line)
            for token in group
        ]
        for number in numbers:
            if not 1 <= number <= len(names):
                raise FormatError(
                    f"alternative {number}: there are only {len(names)} alternatives",
                    path=path,
                    line=line,
                    field="ranking",
                )
            if number - 1 in ranking or numbers.count(number) > 1:
                raise FormatError(
                    f'alternative {number} ("{names[number - 1]}") is ranked twice',
                    path=path,
                    line=line,
                    field="ranking",
                )
        if len(numbers) > 1:
            quoted = [f'"{names[n - 1]}"' for n in numbers]
            tied = ", ".join(quoted[:-1]) + " and " + quoted[-1]
            raise FormatError(
                f"{tied} are tied ({item}); our STV rules need strict rankings: "
                "convert the file to strict orders (.soi) first",
                path=path,
                line=line,
                field="ranking",
            )
        ranking.append(numbers[0] - 1)
        position = match.end()
        if match.group(2) == "":
            break
    return ranking


def _not_alternative(token: str, *, path: str | Path | None, line: int) -> int:
    shown = token.strip()
    raise FormatError(
        f'"{shown}": expected an alternative number' if shown else "an empty place in the ranking",
        path=path,
        line=line,
        field="ranking",
    )


def parse_preflib(text: str, *, seats: int, path: str | Path | None = None) -> Profile:
    """Parse PrefLib text (see the module docstring for the layout)."""
    headers: dict[str, tuple[str, int]] = {}
    names: list[str] | None = None
    rows: list[list[int]] = []
    weights: list[int] = []
    total = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _HEADER.fullmatch(line)
            if match and names is None:
                key = match.group(1).upper()
                if key in headers and (key in _SINGLE_KEYS or _NAME_KEY.fullmatch(key)):
                    raise FormatError(
                        f"given twice (first on line {headers[key][1]})",
                        path=path,
                        line=number,
                        field=key,
                    )
                headers[key] = (match.group(2).strip(), number)
            continue
        if names is None:
            names = _names(headers, first_data=number, text=line, path=path)
        count_text, colon, ranking_text = line.partition(":")
        if not colon:
            raise FormatError(
                f'"{line}": expected "count: a, b, ..."', path=path, line=number, field="ranking"
            )
        weight = whole_number(count_text, path=path, line=number, field="count")
        if weight == 0:
            raise FormatError(
                "0 voters: each line must stand for at least one",
                path=path,
                line=number,
                field="count",
            )
        rows.append(_ranking(ranking_text, names, path=path, line=number))
        weights.append(weight)
        total += weight
        if total > MAX_BALLOTS:
            raise FormatError(
                f"the file holds more than {MAX_BALLOTS:,} ballots, the most this engine counts",
                path=path,
                line=number,
                field="count",
            )
    if names is None:
        if not headers:
            raise FormatError("empty file: expected '# KEY: value' header lines", path=path)
        names = _names(headers, first_data=None, text="", path=path)
    voters = headers.get("NUMBER VOTERS")
    if voters is not None:
        expected = whole_number(voters[0], path=path, line=voters[1], field="NUMBER VOTERS")
        if expected != total:
            raise FormatError(
                f"{expected:,} voters, but the counts add up to {total:,}",
                path=path,
                line=voters[1],
                field="NUMBER VOTERS",
            )
    check_seats(seats, len(names), path=path)
    title = headers.get("TITLE", ("", 0))[0]
    return build_profile(names, seats, rows, weights, path=path, title=title)


def _names(
    headers: dict[str, tuple[str, int]],
    *,
    first_data: int | None,
    text: str,
    path: str | Path | None,
) -> list[str]:
    """The alternatives' names, in number order, from the header lines."""
    if "NUMBER ALTERNATIVES" not in headers:
        if first_data is not None and not headers and text.isdigit():
            raise FormatError(
                "this looks like PrefLib's old format (before 2022), which we do not read: "
                "expected '# NUMBER ALTERNATIVES: n' and other '# KEY: value' header lines",
                path=path,
                line=first_data,
            )
        raise FormatError(
            "no '# NUMBER ALTERNATIVES: n' header line before the ballots",
            path=path,
            line=first_data,
        )
    value, line = headers["NUMBER ALTERNATIVES"]
    n = whole_number(value, path=path, line=line, field="NUMBER ALTERNATIVES", limit=100_000)
    if n < 1:
        raise FormatError(
            "there must be at least one alternative",
            path=path,
            line=line,
            field="NUMBER ALTERNATIVES",
        )
    found: dict[int, tuple[str, int]] = {}
    for key, (name, name_line) in headers.items():
        match = _NAME_KEY.fullmatch(key)
        if match is None:
            continue
        index = int(match.group(1)) if len(match.group(1)) < 7 else 0
        if not 1 <= index <= n:
            raise FormatError(
                f"alternative {match.group(1)}: there are only {n} alternatives",
                path=path,
                line=name_line,
                field=key,
            )
        if not name:
            raise FormatError("the name is empty", path=path, line=name_line, field=key)
        found[index] = (name, name_line)
    missing = [i for i in range(1, n + 1) if i not in found]
    if missing:
        raise FormatError(
            f"no '# ALTERNATIVE NAME {missing[0]}: ...' header line (NUMBER ALTERNATIVES is {n})",
            path=path,
            line=first_data,
        )
    first_seen: dict[str, int] = {}
    for index in range(1, n + 1):
        name, name_line = found[index]
        if name in first_seen:
            raise FormatError(
                f'"{name}" is the name of alternatives {first_seen[name]} and {index}',
                path=path,
                line=name_line,
                field=f"ALTERNATIVE NAME {index}",
            )
        first_seen[name] = index
    return [found[i][0] for i in range(1, n + 1)]
