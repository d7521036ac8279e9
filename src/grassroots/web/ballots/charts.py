"""Server-rendered SVG charts of a stored count (``Result.to_dict()``): votes round by round,
and the transfers between candidates. No JavaScript; each chart has a title and a description
for screen readers, and the count sheet beside it holds the same numbers as a table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Distinguishable colours (Okabe & Ito's palette, then greys), cycled for many candidates.
COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
    "#56B4E9", "#F0E442", "#000000", "#999999", "#7F3C8D",
)  # fmt: skip


LABEL_GAP = 12


def _colour(i: int) -> str:
    return COLOURS[i % len(COLOURS)]


def rounds_svg(result: dict[str, Any]) -> SafeString:
    """A line per candidate: their votes at the end of each stage, the quota dashed."""
    stages = result["stages"]
    candidates = result["candidates"]
    if not stages:
        return mark_safe("")
    quota = Decimal(result["quota"])
    top = max([quota, *(Decimal(v) for s in stages for v in s["votes"].values())]) or Decimal(1)
    width, height, left, right, bottom, pad = 760, 360, 50, 150, 30, 10
    plot_w, plot_h = width - left - right, height - bottom - pad
    step = plot_w / max(len(stages) - 1, 1)

    def y(value: Decimal) -> float:
        return pad + plot_h - float(value / top) * plot_h

    parts: list[str] = []
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-dasharray="6 4"/>'
            '<text x="{}" y="{}" font-size="11" fill="#555">quota {}</text>',
            left, _n(y(quota)), left + plot_w, _n(y(quota)), left + 4, _n(y(quota) - 4),
            result["quota"],
        )
    )  # fmt: skip
    for n, stage in enumerate(stages):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                _n(left + n * step), pad + plot_h + 16, stage["number"],
            )
        )  # fmt: skip
    labels: list[tuple[float, int, str]] = []
    for i, name in enumerate(candidates):
        points = []
        for n, stage in enumerate(stages):
            value = Decimal(stage["votes"].get(name, "0"))
            points.append(f"{left + n * step:.1f},{y(value):.1f}")
            if value == 0 and name in _excluded_by(stages, n):
                break
        last = Decimal(stages[len(points) - 1]["votes"].get(name, "0"))
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}">'
                "<title>{}</title></polyline>",
                _colour(i), " ".join(points), name,
            )
        )  # fmt: skip
        if len(points) == len(stages):
            labels.append((y(last) + 4, i, name))
    # Names at the right-hand end, pushed apart so that they never overlap.
    labels.sort()
    placed: list[float] = []
    for wanted, i, name in labels:
        at = max(wanted, placed[-1] + LABEL_GAP) if placed else wanted
        placed.append(at)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                left + plot_w + 4, _n(at), _colour(i), name,
            )
        )  # fmt: skip
    height = max(height, int(placed[-1]) + 8 if placed else height)
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">stage</text>',
            left + plot_w // 2, pad + plot_h + 28,
        )
    )  # fmt: skip
    header = [
        format_html(
            '<svg viewBox="0 0 {} {}" role="img" aria-labelledby="rounds-title rounds-desc" '
            'class="chart" width="{}" style="max-width:100%;height:auto" '
            'xmlns="http://www.w3.org/2000/svg">'
            '<title id="rounds-title">Votes round by round</title>'
            '<desc id="rounds-desc">Each candidate\'s votes at the end of each of {} stages; '
            "the dashed line is the quota, {}.</desc>",
            width, height, width, len(stages), result["quota"],
        )
    ]  # fmt: skip
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(header + parts))  # noqa: S308 (every part is escaped above)


def _excluded_by(stages: list[dict[str, Any]], n: int) -> set[str]:
    return {name for stage in stages[: n + 1] for name in stage["excluded"]}


def transfer_totals(result: dict[str, Any]) -> list[tuple[str, str, Decimal]]:
    """Every transfer of the count summed by (from, to); ``to`` "non-transferable" for none."""
    totals: dict[tuple[str, str], Decimal] = {}
    for stage in result["stages"]:
        for transfer in stage["transfers"]:
            key = (transfer["from"], transfer["to"] or "non-transferable")
            totals[key] = totals.get(key, Decimal(0)) + Decimal(transfer["votes"])
    return [(source, target, votes) for (source, target), votes in totals.items() if votes]


def transfers_svg(result: dict[str, Any]) -> SafeString:
    """A grid: a row per candidate whose votes moved, a column per receiver; the darker the
    square, the more votes moved, with the number written in it."""
    totals = transfer_totals(result)
    if not totals:
        return mark_safe("")
    sources = [c for c in result["candidates"] if any(s == c for s, _, _ in totals)]
    targets = [c for c in result["candidates"] if any(t == c for _, t, _ in totals)]
    if any(t == "non-transferable" for _, t, _ in totals):
        targets.append("non-transferable")
    most = max(v for _, _, v in totals)
    cell, left, top = 56, 150, 130
    width, height = left + cell * len(targets) + 70, top + cell * len(sources) + 10
    parts = [
        format_html(
            '<svg viewBox="0 0 {} {}" role="img" aria-labelledby="transfers-title transfers-desc" '
            'class="chart" xmlns="http://www.w3.org/2000/svg">'
            '<title id="transfers-title">Transfers between candidates</title>'
            '<desc id="transfers-desc">Votes moved from each candidate (rows) to each other '
            "candidate (columns), summed over the whole count.</desc>",
            width, height,
        )
    ]  # fmt: skip
    for j, target in enumerate(targets):
        x = left + j * cell + cell // 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" transform="rotate(-50 {} {})">{}</text>',
                x, top - 8, x, top - 8, target,
            )
        )  # fmt: skip
    for i, source in enumerate(sources):
        y = top + i * cell
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
                left - 6, y + cell // 2 + 4, source,
            )
        )  # fmt: skip
        for j, target in enumerate(targets):
            votes = next((v for s, t, v in totals if s == source and t == target), Decimal(0))
            if not votes:
                continue
            shade = 0.12 + 0.88 * float(votes / most)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="#0072B2" '
                    'fill-opacity="{}"><title>{} to {}: {}</title></rect>'
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
                    left + j * cell + 1, y + 1, cell - 2, cell - 2, f"{shade:.2f}", source, target,
                    _short(votes), left + j * cell + cell // 2, y + cell // 2 + 4,
                    "#fff" if shade > 0.5 else "#000", _short(votes),
                )
            )  # fmt: skip
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _short(votes: Decimal) -> str:
    if votes < Decimal("0.01"):
        return "<0.01"
    return escape(f"{votes:.2f}".rstrip("0").rstrip("."))
