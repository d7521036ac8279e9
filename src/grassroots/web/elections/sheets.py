"""Reading published count sheets (JSON, or the wide CSV ``grassroots count --format csv``
writes) into the stored result layout (docs/elections.md). Plain functions: they check the
whole sheet and raise ``DomainError`` on the file field; ``services.result_sheet_import`` stores
the result."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.count.formats.cells import cell_restore
from grassroots.web.elections.imports import csv_error_reason
from grassroots.web.errors import DomainError

# More votes than any party's electorate: a figure past this is a typing error, and Decimal
# arithmetic on it (an exponent such as 1e999999999) would overflow.
MOST_VOTES = Decimal(10) ** 12
MAX_TEXT = 500


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="file")


def _number(value: object, where: str) -> str:
    """A number of votes, as the stored decimal string."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _refuse(f"{where}: {_shown(value)} is not a number.")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as err:
        raise _refuse(f"{where}: {_shown(value)} is not a number.") from err
    if not number.is_finite() or number < 0 or number > MOST_VOTES:
        raise _refuse(f"{where}: {_shown(value)} is not a number of votes.")
    return str(number)


def _text(value: object, where: str) -> str:
    """A name or title: a string the database can store (no NUL, no lone surrogate), not
    longer than ``MAX_TEXT``."""
    if not isinstance(value, str):
        raise _refuse(f"{where}: expected text, found {_kind(value)}.")
    if "\x00" in value:
        raise _refuse(f"{where}: the text holds a NUL character (\\u0000).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _refuse(
            f"{where}: the text holds an unpaired surrogate (\\ud800 to \\udfff)."
        ) from err
    if len(value) > MAX_TEXT:
        raise _refuse(f"{where}: the text is longer than {MAX_TEXT} characters.")
    return value


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: object) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _json_load(text: str) -> object:
    """The JSON value of ``text``; a ``DomainError`` for text that is not JSON, is nested too
    deeply for the parser, or holds a number too long to read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _refuse(f"Not JSON: line {err.lineno}: {err.msg}.") from err
    except RecursionError as err:
        raise _refuse("Not a count sheet: the JSON is nested too deeply.") from err
    except ValueError as err:  # an integer of more than 4,300 digits
        raise _refuse(f"Not a count sheet: {err}.") from err


def _names(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise _refuse(f'"{where}" must be a list of names, found {_kind(value)}.')
    names = [_text(name, f'"{where}"') for name in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _refuse(f'"{where}" lists {_shown(repeated[0])} twice.')
    return names


def _transfer(value: object, where: str, names: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("from") not in names:
        raise _refuse(f'{where}: each transfer needs "from" a candidate.')
    to = value.get("to")
    if to is not None and (not isinstance(to, str) or to not in names):
        raise _refuse(f"{where}: transfer to unknown {_shown(to)}.")
    return {"from": value["from"], "to": to, "votes": _number(value.get("votes"), where)}


def sheet_parse(text: str) -> dict[str, Any]:
    """Check a published count sheet in JSON (docs/elections.md) and return it in the stored
    layout (the engine's ``Result.to_dict()`` keys that the analysis reads).

    This is the one place the sheet's structure is checked: every value is checked for its
    type, every name against ``candidates``, every text for what the database cannot store,
    so that whatever the file holds, the answer is a ``DomainError`` naming the place."""
    sheet = _json_load(text)
    if not isinstance(sheet, dict):
        raise _refuse(f"The sheet must be a JSON object, found {_kind(sheet)}.")
    candidates = _names(sheet.get("candidates"), "candidates")
    names = set(candidates)
    elected = _names(sheet.get("elected"), "elected")
    if not set(elected) <= names:
        raise _refuse('"elected" must list candidates from "candidates".')
    stages = sheet.get("stages")
    if not isinstance(stages, list) or not stages:
        raise _refuse('"stages" must be a non-empty list.')
    title = sheet.get("title", "")
    out = []
    for number, stage in enumerate(stages, start=1):
        where = f"stage {number}"
        if not isinstance(stage, dict) or not isinstance(stage.get("votes"), dict):
            raise _refuse(f'{where}: needs "votes", an object of votes by name.')
        unknown = set(stage["votes"]) - names
        if unknown:
            raise _refuse(f"{where}: unknown candidate(s) {_shown(sorted(unknown))}.")
        transfers = stage.get("transfers") or []
        if not isinstance(transfers, list):
            raise _refuse(f'{where}: "transfers" must be a list, found {_kind(transfers)}.')
        out.append(
            {
                "number": number,
                "votes": {n: _number(v, f"{where}, {n}") for n, v in stage["votes"].items()},
                "exhausted": _number(stage.get("exhausted", 0), f"{where}, exhausted"),
                "transfers": [_transfer(t, where, names) for t in transfers],
            }
        )
    return {
        "title": _text("" if title is None else title, '"title"'),
        "seats": len(elected),
        "candidates": candidates,
        "elected": elected,
        "stages": out,
    }


def csv_rows(text: str) -> list[list[str]]:
    """Every row of a CSV text; a ``DomainError`` naming the line the reader stopped at (a
    field longer than the reader takes, 131,072 characters, or a quote left open)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as err:
        raise _refuse(f"Line {reader.line_num}: {csv_error_reason(err)}.") from err


SHEET_ROWS = {"non-transferable", "loss by rounding", "elected", "excluded"}


def sheet_parse_csv(text: str) -> dict[str, Any]:
    """Read a published count sheet in the wide CSV layout ``grassroots count --format csv``
    writes (docs/elections.md) and return it in the stored layout.

    Transfers are not in the sheet; they are worked out stage by stage where exactly one
    candidate lost votes (a surplus or a single exclusion): each gain is a transfer from that
    candidate, and the rise in non-transferable votes a transfer to nobody. A stage where
    several candidates lost votes is left without transfers, and a note says so.
    """
    # A name written after a ``'`` (so that a spreadsheet shows it as text) reads back as it was.
    rows = [[cell_restore(cell.strip()) for cell in row] for row in csv_rows(text)]
    # The header: candidate, category, then at least one stage.
    if not rows or len(rows[0]) < 3 or rows[0][0].strip().lower() != "candidate":
        raise DomainError(
            "The first row must be: candidate, category, then one column per stage.", field="file"
        )
    n_stages = len(rows[0]) - 2
    votes: dict[str, list[str]] = {}
    special: dict[str, list[str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != n_stages + 2:
            raise DomainError(
                f"Line {line}: expected {n_stages + 2} fields, got {len(row)}.", field="file"
            )
        name = _text(row[0].strip(), f"Line {line}")
        if name.lower() in SHEET_ROWS:
            special[name.lower()] = [cell.strip() for cell in row[2:]]
        elif name in votes:
            raise DomainError(f"Line {line}: {name} appears twice.", field="file")
        else:
            votes[name] = [_number(cell.strip(), f"line {line}") for cell in row[2:]]
    if not votes:
        raise DomainError("The sheet lists no candidates.", field="file")
    exhausted = [
        _number(v or 0, "non-transferable")
        for v in special.get("non-transferable", ["0"] * n_stages)
    ]
    elected = [
        name.strip()
        for cell in special.get("elected", [])
        for name in cell.split(";")
        if name.strip()
    ]
    unknown = [name for name in elected if name not in votes]
    if not elected or unknown:
        raise DomainError(
            'The "elected" row must name the elected candidates, separated by ";".', field="file"
        )
    stages: list[dict[str, Any]] = []
    notes: list[str] = []
    for i in range(n_stages):
        transfers: list[dict[str, Any]] = []
        if i:
            change = {n: Decimal(v[i]) - Decimal(v[i - 1]) for n, v in votes.items()}
            losers = [n for n, d in change.items() if d < 0]
            if len(losers) == 1:
                transfers = [
                    {"from": losers[0], "to": n, "votes": str(d)}
                    for n, d in change.items()
                    if d > 0
                ]
                gone = Decimal(exhausted[i]) - Decimal(exhausted[i - 1])
                if gone > 0:
                    transfers.append({"from": losers[0], "to": None, "votes": str(gone)})
            elif losers:
                notes.append(
                    f"stage {i + 1}: transfers not worked out ({len(losers)} candidates lost votes)"
                )
        stages.append(
            {
                "number": i + 1,
                "votes": {n: v[i] for n, v in votes.items()},
                "exhausted": exhausted[i],
                "transfers": transfers,
            }
        )
    return {
        "title": "",
        "seats": len(elected),
        "candidates": list(votes),
        "elected": elected,
        "stages": stages,
        "notes": notes,
    }
