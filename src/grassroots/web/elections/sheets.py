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

from grassroots.web.errors import DomainError


def _number(value: object, where: str) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation as err:
        raise DomainError(f"{where}: {value!r} is not a number.", field="file") from err
    if not number.is_finite() or number < 0:
        raise DomainError(f"{where}: {value!r} is not a number of votes.", field="file")
    return str(number)


def sheet_parse(text: str) -> dict[str, Any]:
    """Check a published count sheet in JSON (docs/elections.md) and return it in the stored
    layout (the engine's ``Result.to_dict()`` keys that the analysis reads)."""
    try:
        sheet = json.loads(text)
    except json.JSONDecodeError as err:
        raise DomainError(f"Not JSON: line {err.lineno}: {err.msg}.", field="file") from err
    if not isinstance(sheet, dict):
        raise DomainError("The sheet must be a JSON object.", field="file")
    candidates = sheet.get("candidates")
    if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
        raise DomainError('"candidates" must be a list of names.', field="file")
    names = set(candidates)
    elected = sheet.get("elected")
    if not isinstance(elected, list) or not set(elected) <= names:
        raise DomainError('"elected" must list candidates from "candidates".', field="file")
    stages = sheet.get("stages")
    if not isinstance(stages, list) or not stages:
        raise DomainError('"stages" must be a non-empty list.', field="file")
    out = []
    for number, stage in enumerate(stages, start=1):
        where = f"stage {number}"
        if not isinstance(stage, dict) or not isinstance(stage.get("votes"), dict):
            raise DomainError(f'{where}: needs "votes", an object of votes by name.', field="file")
        unknown = set(stage["votes"]) - names
        if unknown:
            raise DomainError(f"{where}: unknown candidate(s) {sorted(unknown)}.", field="file")
        transfers = []
        for t in stage.get("transfers") or []:
            if not isinstance(t, dict) or t.get("from") not in names:
                raise DomainError(f'{where}: each transfer needs "from" a candidate.', field="file")
            if t.get("to") is not None and t["to"] not in names:
                raise DomainError(f"{where}: transfer to unknown {t['to']!r}.", field="file")
            transfers.append(
                {"from": t["from"], "to": t.get("to"), "votes": _number(t.get("votes"), where)}
            )
        out.append(
            {
                "number": number,
                "votes": {n: _number(v, where) for n, v in stage["votes"].items()},
                "exhausted": _number(stage.get("exhausted", 0), where),
                "transfers": transfers,
            }
        )
    return {
        "title": str(sheet.get("title", "")),
        "seats": len(elected),
        "candidates": candidates,
        "elected": elected,
        "stages": out,
    }


SHEET_ROWS = {"non-transferable", "loss by rounding", "elected", "excluded"}


def sheet_parse_csv(text: str) -> dict[str, Any]:
    """Read a published count sheet in the wide CSV layout ``grassroots count --format csv``
    writes (docs/elections.md) and return it in the stored layout.

    Transfers are not in the sheet; they are worked out stage by stage where exactly one
    candidate lost votes (a surplus or a single exclusion): each gain is a transfer from that
    candidate, and the rise in non-transferable votes a transfer to nobody. A stage where
    several candidates lost votes is left without transfers, and a note says so.
    """
    rows = list(csv.reader(io.StringIO(text)))
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
        name = row[0].strip()
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
