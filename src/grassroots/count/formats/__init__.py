"""Ballot file formats: BLT (read, write), PrefLib .soi/.toi (read), CSV (read).

Every reader raises :class:`~grassroots.count.errors.FormatError` naming the
file, line and field of the first problem; none lets a ``ValueError`` or
``IndexError`` through. The layouts are described in ``docs/formats.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from grassroots.count.errors import CountError, FormatError
from grassroots.count.profile import Profile

MAX_BALLOTS = 100_000_000  # keeps every scaled product inside 64-bit integers

_WHOLE = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-[0-9]+")
_DECIMAL = re.compile(r"-?([0-9]+\.[0-9]*|\.[0-9]+)")


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, with a clear error when it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError("no such file", path=path) from None
    except IsADirectoryError:
        raise FormatError("is a directory, not a ballot file", path=path) from None
    except OSError as err:
        raise FormatError(f"cannot be read: {err.strerror}", path=path) from err


def decode_text(data: bytes, *, path: str | Path | None) -> str:
    """Bytes as UTF-8 text, with a clear error naming the line of a bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: str | Path) -> str:
    """Read a file as UTF-8, with a clear error naming the line of a bad byte."""
    return decode_text(read_bytes(path), path=path)


def _shown(token: str) -> str:
    """A token as quoted in a message, cut short if it is very long."""
    return f'"{token}"' if len(token) <= 24 else f'"{token[:20]}…"'


def whole_number(
    token: str,
    *,
    path: str | Path | None,
    line: int | None,
    field: str,
    limit: int = MAX_BALLOTS,
) -> int:
    """Parse a count or weight: digits only, at most ``limit``.

    Raises:
        FormatError: saying whether the token is negative, has a decimal
            point, is too large, or is not a number at all.
    """
    token = token.strip()
    if not _WHOLE.fullmatch(token):
        if _NEGATIVE.fullmatch(token):
            problem = "expected a whole number, not a negative one"
        elif _DECIMAL.fullmatch(token):
            problem = "expected a whole number (no decimal point)"
        elif not token:
            problem = "expected a whole number, found nothing"
        else:
            problem = "expected a whole number"
        raise FormatError(
            f"{_shown(token)}: {problem}" if token else problem,
            path=path,
            line=line,
            field=field,
        )
    # Compare digit strings before int(): Python refuses to convert strings of
    # more than 4,300 digits, and such a token is too large anyway.
    digits = token.lstrip("0") or "0"
    if len(digits) > len(str(limit)) or int(digits) > limit:
        raise FormatError(
            f"{_shown(token)} is too large (at most {limit:,})", path=path, line=line, field=field
        )
    return int(digits)


def build_profile(
    candidates: Sequence[str],
    seats: int,
    rankings: Sequence[Sequence[int]],
    weights: Sequence[int],
    *,
    path: str | Path | None,
    title: str = "",
) -> Profile:
    """Make an aggregated profile from checked rankings, turning any slip into a FormatError."""
    try:
        return Profile.from_rankings(candidates, seats, rankings, weights, title=title)
    except CountError as err:
        raise FormatError(str(err), path=path) from err


def check_seats(seats: int, n_candidates: int, *, path: str | Path | None) -> int:
    """Check a number of seats given on the command line against the candidates."""
    if not 1 <= seats <= n_candidates:
        raise FormatError(
            f"must be between 1 and the number of candidates ({n_candidates}), got {seats}",
            path=path,
            field="seats",
        )
    return seats


def read_profile(path: str | Path, *, fmt: str | None = None, seats: int | None = None) -> Profile:
    """Read a ballot file, choosing the format by ``fmt`` or by the file's extension.

    Args:
        path: the ballot file.
        fmt: ``"blt"``, ``"soi"``, ``"toi"``, ``"soc"``, ``"toc"`` or ``"csv"``;
            by default the file's extension.
        seats: the number of seats. PrefLib files and most CSV layouts do not
            give it, so it is required for them; for BLT and the MGGG CSV
            layout it overrides the number in the file.

    Raises:
        FormatError: for an unknown format or any problem in the file.
    """
    # The readers are imported here, not at the top: each imports read_text
    # and whole_number from this package.
    path = Path(path)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind == "blt":
        from grassroots.count.formats.blt import read_blt

        profile = read_blt(path)
        if seats is None:
            return profile
        return replace(profile, seats=check_seats(seats, len(profile.candidates), path=path))
    if kind in {"soi", "toi", "soc", "toc"}:
        from grassroots.count.formats.preflib import read_preflib

        return read_preflib(path, seats=seats)
    if kind == "csv":
        from grassroots.count.formats.csv import read_csv

        return read_csv(path, seats=seats)
    raise FormatError(
        f'unknown ballot format "{kind or path.name}": use .blt, .soi, .toi or .csv',
        path=path,
    )
