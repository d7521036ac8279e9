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
preference per place. The title is required, and nothing may follow it: a
missing title, or text after it, usually means the number of candidates on the
first line is wrong. Weights are whole numbers from 1 to ``MAX_BALLOTS``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from grassroots.count.errors import FormatError
from grassroots.count.formats import MAX_BALLOTS, blt_fast, decode_text, read_bytes, whole_number
from grassroots.count.profile import PAD, Profile, aggregate

_WITHDRAWN = re.compile(r"-[0-9]+")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(["\\])')  # \" and \\ inside a quoted name


def read_blt(path: str | Path) -> Profile:
    """Read a BLT file into an aggregated :class:`Profile`.

    Raises:
        FormatError: naming the file, line and field of the first problem.
    """
    raw = read_bytes(path)
    profile = None if raw.startswith(b"\xef\xbb\xbf") else _parse_fast(raw, path=path)
    if profile is not None:
        return profile
    return _parse_careful(decode_text(raw, path=path), path=path)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def parse_blt(text: str, *, path: str | Path | None = None) -> Profile:
    """Parse BLT text (see the module docstring for the layout).

    A well-formed file is read by :func:`_parse_fast` (numpy over the bytes,
    no Python per ballot); anything it does not recognise as plainly regular
    goes to the line-by-line parser, which gives the exact error, or reads the
    unusual layout (comments, withdrawn lines between blank lines, CR line ends).
    """
    profile = _parse_fast(text, path=path)
    if profile is not None:
        return profile
    return _parse_careful(text, path=path)


def _parse_careful(text: str, *, path: str | Path | None = None) -> Profile:
    """Parse BLT text line by line, checking every token (the reference reader)."""
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
    n_candidates = whole_number(parts[0], path=path, line=number, field="candidates")
    seats = whole_number(parts[1], path=path, line=number, field="seats")
    if n_candidates < 1:
        raise FormatError("there must be at least one candidate", path=path, line=number)
    if not 1 <= seats <= n_candidates:
        raise FormatError(
            f"must be between 1 and the number of candidates ({n_candidates}), got {seats}",
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
        if all(t.startswith("-") for t in tokens):
            # A line of negated numbers lists withdrawn candidates; a line that
            # merely starts with "-" is a ballot with a negative weight.
            if rows:
                raise FormatError(
                    "withdrawn candidates must be listed before the first ballot",
                    path=path,
                    line=number,
                    field="withdrawn",
                )
            for token in tokens:
                if not _WITHDRAWN.fullmatch(token):
                    raise FormatError(
                        f'"{token}": expected -N for a candidate N in 1..{n_candidates}',
                        path=path,
                        line=number,
                        field="withdrawn",
                    )
                candidate = whole_number(token[1:], path=path, line=number, field="withdrawn")
                if not 1 <= candidate <= n_candidates:
                    raise FormatError(
                        f"candidate {candidate}: there are only {n_candidates} candidates",
                        path=path,
                        line=number,
                        field="withdrawn",
                    )
                withdrawn.add(candidate - 1)
            continue
        if tokens == ["0"]:
            ended = True
            break
        if line.startswith('"'):
            raise FormatError(
                "the ballots have no end line '0' (expected before the candidate names)",
                path=path,
                line=number,
            )
        if any("=" in t for t in tokens):
            raise FormatError(
                "equal rankings ('=') are not supported: each preference must name one candidate",
                path=path,
                line=number,
                field="ranking",
            )
        weight = whole_number(tokens[0], path=path, line=number, field="weight")
        if weight == 0:
            raise FormatError(
                "0 is not a ballot weight (a line holding only 0 ends the ballots)",
                path=path,
                line=number,
                field="weight",
            )
        if tokens[-1] != "0" or len(tokens) < 2:
            raise FormatError(
                "a ballot line must end with 0", path=path, line=number, field="ranking"
            )
        ranking: list[int] = []
        for token in tokens[1:-1]:
            if token.lstrip("0") == "" and token:
                raise FormatError(
                    "0 ends a ballot, but more preferences follow it",
                    path=path,
                    line=number,
                    field="ranking",
                )
            candidate = whole_number(token, path=path, line=number, field="preference")
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

    names, title = _names_and_title(lines, n_candidates, path=path)

    width = max((len(r) for r in rows), default=1) or 1
    array = np.full((len(rows), width), PAD, dtype=np.int32)
    for i, r in enumerate(rows):
        array[i, : len(r)] = r
    rankings, counts = aggregate(array, np.asarray(weights, dtype=np.int64))
    return Profile(
        candidates=tuple(name for name, _ in names),
        seats=seats,
        rankings=rankings,
        weights=counts,
        withdrawn=frozenset(withdrawn),
        title=title,
    )


def _names_and_title(
    lines: Iterator[tuple[int, str]], n_candidates: int, *, path: str | Path | None
) -> tuple[list[tuple[str, int]], str]:
    """Read the quoted candidate names (with their line numbers), then the title."""
    # Names, then the title. The title is required: a missing title usually
    # means the number of candidates on line 1 is wrong. Text after the title
    # is provenance (Droop and OpenSTV files carry notes there) and is ignored.
    names: list[tuple[str, int]] = []
    title: str | None = None
    for number, line in lines:
        if title is not None:
            break
        field = "name" if len(names) < n_candidates else "title"
        found = _QUOTED.findall(line)
        rest = _QUOTED.sub("", line).strip()
        if '"' in rest:
            raise FormatError(
                f"no closing double quote in: {line}", path=path, line=number, field=field
            )
        if not found:
            raise FormatError(
                f'"{line}": expected a name in double quotes', path=path, line=number, field=field
            )
        if rest:
            raise FormatError(
                f'unexpected text "{rest}" outside the double quotes',
                path=path,
                line=number,
                field=field,
            )
        for value in found:
            unescaped = _ESCAPE.sub(r"\1", value)
            if len(names) < n_candidates:
                names.append((unescaped, number))
            elif title is None:
                title = unescaped
    if len(names) < n_candidates or title is None:
        found_count = len(names) + (title is not None)
        raise FormatError(
            f"expected {n_candidates} candidate names then a title, "
            f"found {found_count} quoted {'string' if found_count == 1 else 'strings'}",
            path=path,
            field="names",
        )
    first_seen: dict[str, int] = {}
    for index, (name, number) in enumerate(names, start=1):
        if name in first_seen:
            raise FormatError(
                f'"{name}" is the name of candidates {first_seen[name]} and {index}',
                path=path,
                line=number,
                field="name",
            )
        first_seen[name] = index

    return names, title


# -- the fast path -------------------------------------------------------------


def _parse_fast(data: bytes | str, *, path: str | Path | None) -> Profile | None:
    """Read a plainly regular BLT file with numpy, or return None for the careful parser.

    See :mod:`grassroots.count.formats.blt_fast`: it never raises, so every
    error message is the careful parser's.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    parts = blt_fast.layout(raw)
    if parts is None:
        return None
    found = blt_fast.ballots(raw, parts.start, parts.end, parts.n_candidates)
    if found is None:
        return None
    rankings, weights = found
    try:
        tail = raw[parts.names :].decode("utf-8")
        names, title = _names_and_title(_lines(tail), parts.n_candidates, path=path)
    except (UnicodeDecodeError, FormatError):
        return None
    return Profile(
        candidates=tuple(name for name, _ in names),
        seats=parts.seats,
        rankings=rankings,
        weights=weights,
        withdrawn=frozenset(parts.withdrawn),
        title=title,
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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
