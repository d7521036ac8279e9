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
import numpy.typing as npt

from grassroots.count.errors import FormatError
from grassroots.count.formats import MAX_BALLOTS, read_text, whole_number
from grassroots.count.profile import PAD, Profile, aggregate

_WITHDRAWN = re.compile(r"-[0-9]+")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(["\\])')  # \" and \\ inside a quoted name


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
#
# A BLT file from an election system is almost all ballot lines of digits and
# spaces. The fast path reads that block as one byte array and does every
# check of the careful parser as an array operation. It never raises: on
# anything it does not recognise (a comment, a "-" or "=" or quote among the
# ballots, a bad weight, a repeated candidate, a lone CR, ...) it returns
# None and the careful parser reads the whole text again, so errors and
# unusual layouts keep exactly the careful parser's behaviour.

_HEADER = re.compile(r"[ \t]*([0-9]{1,9})[ \t]+([0-9]{1,9})[ \t]*\r?\n")
_WITHDRAWN_LINE = re.compile(r"[ \t]*(-[0-9]{1,9}(?:[ \t]+-[0-9]{1,9})*)[ \t]*\r?\n")
_MAX_DIGITS = len(str(MAX_BALLOTS))
_SPACE, _TAB, _CR, _LF, _ZERO = (ord(c) for c in " \t\r\n0")
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[[_SPACE, _TAB, _CR, _LF, *range(_ZERO, _ZERO + 10)]] = True


def _end_of_ballots(text: str, start: int) -> tuple[int, int] | None:
    """Where the lone ``0`` line ending the ballots begins and where the names begin.

    Only a line that is exactly ``0`` is taken; a ``0`` line with spaces around
    it sends the file to the careful parser (the ballot checks see it as a line
    of one token).
    """
    at = start - 1  # the search looks for "\n0", and text[start - 1] is "\n"
    while True:
        at = text.find("\n0", at)
        if at < 0:
            return None
        after = at + 2
        if text.startswith("\n", after):
            return at + 1, after + 1
        if text.startswith("\r\n", after):
            return at + 1, after + 2
        if after == len(text):
            return at + 1, after
        at = after


def _parse_fast(text: str, *, path: str | Path | None) -> Profile | None:
    """Read a plainly regular BLT text with numpy, or return None (see above)."""
    header = _HEADER.match(text)
    if header is None:
        return None
    n_candidates, seats = int(header[1]), int(header[2])
    if n_candidates < 1 or not 1 <= seats <= n_candidates or n_candidates > MAX_BALLOTS:
        return None
    start = header.end()
    withdrawn: set[int] = set()
    while (line := _WITHDRAWN_LINE.match(text, start)) is not None:
        for token in line[1].split():
            candidate = int(token[1:])
            if not 1 <= candidate <= n_candidates:
                return None
            withdrawn.add(candidate - 1)
        start = line.end()
    end = _end_of_ballots(text, start)
    if end is None:
        return None
    try:
        block = text[start : end[0]].encode("ascii")
    except UnicodeEncodeError:
        return None
    ballots = _fast_ballots(np.frombuffer(block, dtype=np.uint8), n_candidates)
    if ballots is None:
        return None
    rows, weights = ballots
    try:
        names, title = _names_and_title(_lines(text[end[1] :]), n_candidates, path=path)
    except FormatError:
        return None
    rankings, counts = aggregate(rows, weights)
    return Profile(
        candidates=tuple(name for name, _ in names),
        seats=seats,
        rankings=rankings,
        weights=counts,
        withdrawn=frozenset(withdrawn),
        title=title,
    )


def _fast_ballots(
    data: npt.NDArray[np.uint8], n_candidates: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]] | None:
    """Ballot lines as a padded ranking array and weights, or None if any line is irregular.

    Each line must be ``weight pref ... 0``: a weight from 1 to ``MAX_BALLOTS``,
    candidates 1..n each at most once, and a final token that is exactly ``0``.
    Blank lines are skipped, as the careful parser skips them.
    """
    if not _ALLOWED[data].all():
        return None
    # A CR counts as a line end for the careful parser only before LF here.
    carriage = np.flatnonzero(data == _CR)
    if carriage.size and (carriage[-1] + 1 >= data.size or (data[carriage + 1] != _LF).any()):
        return None
    is_digit = (data - np.uint8(_ZERO)) < 10  # uint8 wraps below "0"
    if not is_digit.any():
        return np.full((0, 1), PAD, dtype=np.int32), np.zeros(0, dtype=np.int64)

    # Tokens: runs of digits, from byte first[i] up to (not including) stop[i].
    first = np.flatnonzero(is_digit[1:] & ~is_digit[:-1]) + 1
    if is_digit[0]:
        first = np.concatenate(([0], first))
    stop = np.flatnonzero(is_digit[:-1] & ~is_digit[1:]) + 1
    if is_digit[-1]:
        stop = np.append(stop, data.size)
    length = stop - first
    if int(length.max()) > _MAX_DIGITS:
        return None
    # Each token's value, adding its digits from the last: k = 0 is the units.
    value = (data[stop - 1] - np.uint8(_ZERO)).astype(np.int64)
    for k in range(1, int(length.max())):
        longer = np.flatnonzero(length > k)
        value[longer] += (data[stop[longer] - 1 - k] - np.uint8(_ZERO)).astype(np.int64) * (10**k)

    # Lines: line j holds tokens bounds[j] .. bounds[j + 1] - 1 (none for a blank line).
    # The block ends with a line end, so the last bound is the number of tokens.
    line_starts = np.concatenate(([0], np.flatnonzero(data == _LF) + 1))
    bounds = np.searchsorted(first, line_starts)
    size = np.diff(bounds)
    nonblank = size > 0
    opens = bounds[:-1][nonblank]  # first token of each ballot line
    size = size[nonblank]
    closes = opens + size - 1  # last token of each ballot line
    if (size < 2).any():  # a lone token: an early "0" end line, or a bad ballot
        return None
    weights = value[opens]
    if (weights < 1).any() or (weights > MAX_BALLOTS).any():
        return None
    if (value[closes] != 0).any() or (length[closes] != 1).any():
        return None
    if int(weights.sum()) > MAX_BALLOTS:
        return None

    # Preferences: every token that is neither a weight nor the closing 0.
    is_pref = np.ones(first.size, dtype=bool)
    is_pref[opens] = False
    is_pref[closes] = False
    candidate = value[is_pref]
    if candidate.size and (candidate.min() < 1 or candidate.max() > n_candidates):
        return None
    n_prefs = size - 2
    width = max(int(n_prefs.max()), 1)
    # Line r's prefs are tokens opens[r] + 1 ... ; in the flat (rows x width)
    # array they go to r * width + 0, 1, ...
    shift = np.arange(opens.size, dtype=np.int64) * width - opens - 1
    place = np.flatnonzero(is_pref) + np.repeat(shift, n_prefs)
    flat = np.full(opens.size * width, PAD, dtype=np.int32)
    flat[place] = candidate - 1
    rows = flat.reshape(opens.size, width)
    if _has_repeat(rows, candidate - 1, n_prefs, n_candidates):
        return None
    return rows, weights


def _has_repeat(
    rows: npt.NDArray[np.int32],
    candidate: npt.NDArray[np.int64],
    n_prefs: npt.NDArray[np.int64],
    n_candidates: int,
) -> bool:
    """Whether any ballot names a candidate twice."""
    if candidate.size == 0:
        return False
    if n_candidates <= 62:
        # One bit per candidate: a ballot repeats someone iff its bits are fewer than its prefs.
        bits = np.left_shift(np.int64(1), candidate)
        ranked = n_prefs[n_prefs > 0]
        marks = np.bitwise_or.reduceat(bits, np.cumsum(ranked) - ranked)
        return bool((np.bitwise_count(marks) != ranked).any())
    ordered = np.sort(rows, axis=1)
    return bool(((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] != PAD)).any())


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
