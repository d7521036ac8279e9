"""Count sheets from a :class:`~grassroots.count.result.Result`: text, JSON, CSV and HTML.

The text sheet follows published Scottish count sheets: candidates as rows,
stages as columns, with the non-transferable votes, the loss by rounding and
the totals beneath, then every decision of the count in words.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from typing import TYPE_CHECKING

from grassroots.count.formats.cells import csv_text
from grassroots.count.result import Action, DecisionKind, Result, Stage

if TYPE_CHECKING:  # rich is imported only to draw a text sheet: start-up matters
    from rich.console import Console

_ACTION_LABEL = {
    Action.FIRST: "First preferences",
    Action.SURPLUS: "Surplus of",
    Action.EXCLUSION: "Exclusion of",
    Action.QUOTA_EXCLUSION: "Quota exclusion of",
}


def stage_heading(stage: Stage) -> str:
    """A column heading such as 'Stage 3: Exclusion of Ann Lee'."""
    label = _ACTION_LABEL[stage.action]
    if stage.subjects and stage.action is not Action.FIRST:
        label = f"{label} {', '.join(stage.subjects)}"
    return f"Stage {stage.number}: {label}"


def _status_by_stage(result: Result) -> dict[str, list[str]]:
    """For each candidate, a marker per stage: '' while continuing, 'E' elected, 'X' excluded."""
    marks: dict[str, list[str]] = {}
    state = dict.fromkeys(result.candidates, "")
    for stage in result.stages:
        for name in stage.elected:
            state[name] = "E"
        for name in stage.excluded:
            state[name] = "X"
        for name in result.candidates:
            marks.setdefault(name, []).append(state[name])
    return marks


def _fmt(value: Decimal) -> str:
    return f"{value:,}"


def render_text(result: Result, console: Console) -> None:
    """Print the count sheet to a rich console."""
    from rich.table import Table
    from rich.text import Text

    quotas = ", ".join(
        f"{cat} {'≥ ' + str(v['min']) if 'min' in v else ''}"
        f"{' ' if 'min' in v and 'max' in v else ''}{'≤ ' + str(v['max']) if 'max' in v else ''}"
        for cat, v in result.quotas.items()
    )
    console.print(Text(result.title or "Count", style="bold"))
    console.print(
        f"Rule: {result.rule_title}  ·  Seats: {result.seats}  ·  Valid ballots: "
        f"{result.valid_ballots:,}  ·  Quota: {_fmt(result.quota)}"
        + (f"  ·  Category quotas: {quotas}" if quotas else "")
    )
    if result.withdrawn:
        console.print(f"Withdrawn: {', '.join(result.withdrawn)}")
    table = Table(show_lines=False, header_style="bold", pad_edge=False)
    table.add_column("Candidate", no_wrap=True)
    if result.categories:
        table.add_column("Cat.", no_wrap=True)
    for stage in result.stages:
        table.add_column(stage_heading(stage), justify="right")
    marks = _status_by_stage(result)
    counted = [n for n in result.candidates if n not in result.withdrawn]
    for name in counted:
        cells: list[str | Text] = [Text(name, style="bold green" if name in result.elected else "")]
        if result.categories:
            cells.append(result.categories.get(name, ""))
        for i, stage in enumerate(result.stages):
            mark = marks[name][i]
            prev = marks[name][i - 1] if i else ""
            value = _fmt(stage.votes[name])
            if mark == "E" and prev != "E":
                cells.append(Text(f"{value} elected", style="bold green"))
            elif mark == "X" and prev == "X":
                cells.append(Text("–", style="dim"))
            elif mark == "X":
                cells.append(Text(f"{value} excluded", style="red"))
            else:
                cells.append(value)
        table.add_row(*cells)
    pad = [""] if result.categories else []
    table.add_section()
    table.add_row("Non-transferable", *pad, *(_fmt(s.exhausted) for s in result.stages))
    table.add_row("Loss by rounding", *pad, *(_fmt(s.loss) for s in result.stages))
    table.add_row(
        "Total",
        *pad,
        *(_fmt(sum(s.votes.values(), Decimal(0)) + s.exhausted + s.loss) for s in result.stages),
    )
    console.print(table)
    notable = [
        (stage.number, d)
        for stage in result.stages
        for d in stage.decisions
        if d.kind is not DecisionKind.ELECTED or "quota" not in d.reason
    ]
    if notable:
        console.print(Text("Decisions", style="bold"))
        for number, decision in notable:
            who = ", ".join(decision.candidates)
            console.print(f"  Stage {number}: {decision.kind} {who} — {decision.reason}")
    console.print(Text(f"Elected: {', '.join(result.elected)}", style="bold"))


def sheet_width(result: Result) -> int:
    """Characters needed to show every stage side by side."""
    name = max((len(n) for n in result.candidates), default=10)
    widest = max((len(_fmt(v)) for s in result.stages for v in s.votes.values()), default=8)
    return max(100, name + 8 + (widest + 12) * len(result.stages))


def render_json(result: Result) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_csv(result: Result) -> str:
    """A wide count sheet: one row per candidate, one column per stage. A name a spreadsheet
    would run as a formula is written after a ``'`` (``count/formats/cells.py``)."""
    rows: list[list[str]] = [["candidate", "category", *(stage_heading(s) for s in result.stages)]]
    for name in result.candidates:
        if name in result.withdrawn:
            continue
        rows.append(
            [name, result.categories.get(name, ""), *(str(s.votes[name]) for s in result.stages)]
        )
    rows.append(["non-transferable", "", *(str(s.exhausted) for s in result.stages)])
    rows.append(["loss by rounding", "", *(str(s.loss) for s in result.stages)])
    rows.append(["elected", "", *("; ".join(s.elected) for s in result.stages)])
    rows.append(["excluded", "", *("; ".join(s.excluded) for s in result.stages)])
    return csv_text(rows)


def render_html(result: Result) -> str:
    """A standalone HTML page with the count sheet and the decisions."""
    e = html.escape
    marks = _status_by_stage(result)
    head = "".join(f"<th scope='col'>{e(stage_heading(s))}</th>" for s in result.stages)
    rows = []
    for name in result.candidates:
        if name in result.withdrawn:
            continue
        cells = []
        for i, stage in enumerate(result.stages):
            mark = marks[name][i]
            css = {"E": "elected", "X": "excluded"}.get(mark, "")
            cells.append(f"<td class='{css}'>{e(_fmt(stage.votes[name]))}</td>")
        rows.append(f"<tr><th scope='row'>{e(name)}</th>{''.join(cells)}</tr>")
    extra = [
        ("Non-transferable", [s.exhausted for s in result.stages]),
        ("Loss by rounding", [s.loss for s in result.stages]),
    ]
    for label, values in extra:
        tds = "".join(f"<td>{e(_fmt(v))}</td>" for v in values)
        rows.append(f"<tr class='sum'><th scope='row'>{label}</th>{tds}</tr>")
    decisions = "".join(
        f"<li>Stage {s.number}: <strong>{e(str(d.kind))}</strong> "
        f"{e(', '.join(d.candidates))}: {e(d.reason)}</li>"
        for s in result.stages
        for d in s.decisions
    )
    title = e(result.title or "Count")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem}} table{{border-collapse:collapse}}
th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}}
th[scope=row]{{text-align:left}} td.elected{{background:#d9f2d9;font-weight:bold}}
td.excluded{{color:#999}} tr.sum{{font-style:italic}}
</style></head><body>
<h1>{title}</h1>
<p>Rule: {e(result.rule_title)} · Seats: {result.seats} · Valid ballots: {result.valid_ballots:,}
 · Quota: {e(_fmt(result.quota))}</p>
<table><thead><tr><th scope='col'>Candidate</th>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Decisions</h2><ol>{decisions}</ol>
<p><strong>Elected:</strong> {e(", ".join(result.elected))}</p>
</body></html>
"""
