"""Ballot file formats: BLT (read, write), PrefLib .soi/.toi (read), CSV (read)."""

from __future__ import annotations

from pathlib import Path

from grassroots.count.errors import FormatError
from grassroots.count.profile import Profile

MAX_BALLOTS = 100_000_000  # keeps every scaled product inside 64-bit integers


def read_text(path: str | Path) -> str:
    """Read a file as UTF-8, with a clear error naming the line of a bad byte."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError("no such file", path=path) from None
    except IsADirectoryError:
        raise FormatError("is a directory, not a ballot file", path=path) from None
    except OSError as err:
        raise FormatError(f"cannot be read: {err.strerror}", path=path) from err
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


def read_profile(path: str | Path, *, fmt: str | None = None) -> Profile:
    """Read a ballot file, choosing the format by ``fmt`` or by the file's extension."""
    path = Path(path)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind == "blt":
        from grassroots.count.formats.blt import read_blt

        return read_blt(path)
    if kind in {"soi", "toi", "soc", "toc"}:
        from grassroots.count.formats.preflib import read_preflib

        return read_preflib(path)
    if kind == "csv":
        from grassroots.count.formats.csv import read_csv

        return read_csv(path)
    raise FormatError(
        f'unknown ballot format "{kind or path.name}": use .blt, .soi, .toi or .csv',
        path=path,
    )
