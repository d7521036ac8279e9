"""Candidate categories side files (for example gender, for a quota), read.

Two layouts, chosen by the extension (``.json``) or, failing that, by whether
the text starts with ``{``:

CSV, with a header row::

    candidate,category
    Anna,F
    Ben,M

JSON, one object mapping each name to its category::

    {"Anna": "F", "Ben": "M"}

Names must be written exactly as in the ballot file, except that a ``'`` before a name or
category that starts with ``=``, ``+``, ``-``, ``@``, a tab or a ``'`` is taken off: that is
how :func:`format_categories_csv` (and the site's ``categories.csv``) keeps a spreadsheet from
running a name as a formula (``formats/cells.py``). Matching the names
against a profile's candidates is :meth:`Profile.with_categories`'s job; this
module only checks that the file itself is sound: no empty category, no
candidate listed twice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from grassroots.count.errors import FormatError
from grassroots.count.formats import read_text
from grassroots.count.formats.cells import cell_restore, csv_text

_HEADER = ["candidate", "category"]


def read_categories(path: str | Path) -> dict[str, str]:
    """Read a categories file into a ``{candidate name: category}`` mapping.

    Raises:
        FormatError: naming the file, line and field of the first problem.
    """
    text = read_text(path)
    if Path(path).suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return parse_categories_json(text, path=path)
    return parse_categories_csv(text, path=path)


def parse_categories_csv(text: str, *, path: str | Path | None = None) -> dict[str, str]:
    """Parse the CSV layout: header ``candidate,category``, then one row per candidate."""
    reader = csv.reader(io.StringIO(text, newline=""))
    mapping: dict[str, str] = {}
    lines: dict[str, int] = {}
    header_seen = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise FormatError(
                f"not readable as CSV: {err}", path=path, line=reader.line_num
            ) from None
        line = reader.line_num
        cells = [cell_restore(c.strip()) for c in row]
        if not any(cells):
            continue
        if not header_seen:
            if [c.lower() for c in cells] != _HEADER:
                raise FormatError(
                    f'expected the header "candidate,category", found "{",".join(cells)}"',
                    path=path,
                    line=line,
                    field="header",
                )
            header_seen = True
            continue
        if len(cells) != 2:
            raise FormatError(
                f"expected 2 cells (candidate, category), found {len(cells)}",
                path=path,
                line=line,
            )
        name, category = cells
        if not name:
            raise FormatError(
                "the candidate's name is empty", path=path, line=line, field="candidate"
            )
        if not category:
            raise FormatError(f'no category for "{name}"', path=path, line=line, field="category")
        if name in mapping:
            raise FormatError(
                f'"{name}" is listed twice (first on line {lines[name]})',
                path=path,
                line=line,
                field="candidate",
            )
        mapping[name] = category
        lines[name] = line
    if not header_seen:
        raise FormatError('empty file: expected the header "candidate,category"', path=path)
    return mapping


def format_categories_csv(categories: Iterable[tuple[str, str]]) -> str:
    """The CSV layout of ``(candidate, category)`` pairs, safe to open in a spreadsheet;
    :func:`parse_categories_csv` reads it back to the same pairs."""
    return csv_text([_HEADER, *categories])


def parse_categories_json(text: str, *, path: str | Path | None = None) -> dict[str, str]:
    """Parse the JSON layout: one object mapping each candidate's name to a string."""

    def no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for key, value in pairs:
            if key in seen:
                raise FormatError(f'"{key}" is listed twice', path=path, field="candidate")
            seen[key] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=no_repeats)
    except json.JSONDecodeError as err:
        raise FormatError(f"not valid JSON: {err.msg}", path=path, line=err.lineno) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply", path=path) from None
    if not isinstance(data, dict):
        raise FormatError(
            f"expected a JSON object mapping names to categories, found {_json_kind(data)}",
            path=path,
        )
    mapping: dict[str, str] = {}
    for name, category in data.items():
        if not isinstance(category, str):
            raise FormatError(
                f'the category of "{name}" must be a string, found {_json_kind(category)}',
                path=path,
                field="category",
            )
        if not name.strip():
            raise FormatError("a candidate's name is empty", path=path, field="candidate")
        if not category.strip():
            raise FormatError(f'no category for "{name}"', path=path, field="category")
        if name.strip() in mapping:
            raise FormatError(f'"{name.strip()}" is listed twice', path=path, field="candidate")
        mapping[name.strip()] = category.strip()
    return mapping


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
