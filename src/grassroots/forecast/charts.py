"""Charts of a forecast's uncertainty, as SVG text: no plotting library needed.

Three charts: the seat distribution (bars per number of seats, per slate), the slate-size
curve (expected seats by size, with the range covering 90% of runs) and the vote-management
comparison (the slate's seats with no plan and with the plan, side by side). Every chart has
a title and a description for screen readers, prints every value as text, and tells series
apart by pattern as well as colour, so no meaning rests on colour alone.

The site embeds the strings as they are; ``grassroots forecast --plot FILE.svg`` writes them,
and ``FILE.png`` converts them when the ``plot`` extra (cairosvg) is installed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from grassroots.forecast.scenario import ScenarioError

if TYPE_CHECKING:
    from grassroots.forecast.simulate import Forecast, SizeAdvice
    from grassroots.forecast.vote_management import PlanComparison

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 48, 72
INK = "#1a1a1a"
# Colour and pattern together: each series is told apart without colour.
STYLES = (
    ("#1f5f8b", "solid"),
    ("#c2571a", "hatch"),
    ("#3b7d3b", "dots"),
    ("#6b4c9a", "cross"),
    ("#8a6d1f", "solid"),
)


def _id(*parts: object) -> str:
    """A short id unique to a chart's content, so several charts can share one page."""
    return "c" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:8]


def _patterns(prefix: str, count: int) -> str:
    defs = []
    for k in range(count):
        colour, kind = STYLES[k % len(STYLES)]
        if kind == "solid":
            continue
        marks = {
            "hatch": f'<path d="M0,6 L6,0" stroke="{colour}" stroke-width="2"/>',
            "dots": f'<circle cx="3" cy="3" r="1.6" fill="{colour}"/>',
            "cross": f'<path d="M0,0 L6,6 M6,0 L0,6" stroke="{colour}" stroke-width="1.2"/>',
        }[kind]
        defs.append(
            f'<pattern id="{prefix}-p{k}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="#ffffff"/>{marks}</pattern>'
        )
    return "<defs>" + "".join(defs) + "</defs>" if defs else ""


def _fill(prefix: str, k: int) -> str:
    colour, kind = STYLES[k % len(STYLES)]
    return colour if kind == "solid" else f"url(#{prefix}-p{k})"


def _frame(prefix: str, title: str, desc: str, body: Sequence[str], series: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{prefix}-t {prefix}-d" font-family="sans-serif" font-size="12">'
        f'<title id="{prefix}-t">{escape(title)}</title>'
        f'<desc id="{prefix}-d">{escape(desc)}</desc>'
        + _patterns(prefix, series)
        + f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold" fill="{INK}">{escape(title)}</text>' + "".join(body) + "</svg>\n"
    )


def _axes(top_value: float, y_label: str, ticks: int = 4, percent: bool = False) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="{INK}"/>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{INK}"/>',
        f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2})">{escape(y_label)}</text>',
    ]
    for k in range(ticks + 1):
        value = top_value * k / ticks
        y = HEIGHT - BOTTOM - plot_h * k / ticks
        label = f"{100 * value:.0f}%" if percent else f"{value:g}"
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{LEFT}" y2="{y:.1f}" stroke="{INK}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{label}</text>'
        )
    return parts


def _legend(prefix: str, names: Sequence[str]) -> list[str]:
    parts = []
    x = LEFT
    y = HEIGHT - 20
    for k, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="14" height="14" fill="{_fill(prefix, k)}" '
            f'stroke="{INK}"/><text x="{x + 18}" y="{y + 1}" fill="{INK}">{escape(name)}</text>'
        )
        x += 26 + 7 * len(name)
    return parts


def grouped_bars(
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    x_label: str,
    y_label: str,
) -> str:
    """Bars of shares (0 to 1) per category, one bar per series, each labelled with its value."""
    if not series or not categories:
        raise ScenarioError("a chart needs at least one series and one category")
    prefix = _id(title, categories, series)
    top = max(0.05, *(max(values) for _, values in series))
    top = min(1.0, (int(top * 10) + 1) / 10)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(categories)
    bar = min(40.0, slot * 0.8 / len(series))
    body = _axes(top, y_label, percent=True)
    for i, category in enumerate(categories):
        centre = LEFT + slot * (i + 0.5)
        start = centre - bar * len(series) / 2
        for k, (name, values) in enumerate(series):
            value = float(values[i]) if i < len(values) else 0.0
            h = plot_h * value / top
            x = start + k * bar
            y = HEIGHT - BOTTOM - h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{_fill(prefix, k)}" stroke="{INK}" stroke-width="0.5">'
                f"<title>{escape(name)}, {escape(category)}: {100 * value:.0f}%</title></rect>"
            )
            if value >= 0.005:
                body.append(
                    f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="{INK}">{100 * value:.0f}%</text>'
                )
        body.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{INK}">{escape(category)}</text>'
        )
    body.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - BOTTOM + 34}" text-anchor="middle" '
        f'fill="{INK}">{escape(x_label)}</text>'
    )
    body += _legend(prefix, [name for name, _ in series])
    return _frame(prefix, title, desc, body, len(series))


def seat_distribution_svg(forecast: Forecast, slates: Sequence[str] | None = None) -> str:
    """The chance of each number of seats, per slate (all slates unless ``slates``)."""
    names = list(slates) if slates is not None else [s.name for s in forecast.scenario.slates]
    seats = forecast.scenario.seats
    series = [(name, forecast.seat_chances(name)) for name in names]
    summary = "; ".join(
        f"{name}: {forecast.expected_seats(name):.2f} seats expected, "
        + ", ".join(f"{k} seats {100 * p:.0f}%" for k, p in enumerate(chances) if p >= 0.005)
        for name, chances in series
    )
    return grouped_bars(
        "Seats won: the chance of each number",
        f"Over {forecast.runs} simulated elections for {seats} seats. {summary}.",
        [str(k) for k in range(seats + 1)],
        series,
        x_label="seats won",
        y_label="share of runs",
    )


def slate_size_svg(advice: SizeAdvice) -> str:
    """Expected seats by slate size, each with the range that covers 90% of runs."""
    points = [
        (size, f.expected_seats(advice.slate), f.seats_range(advice.slate))
        for size, f in advice.forecasts
    ]
    prefix = _id("sizes", advice.slate, points)
    top = max(high for _, _, (_, high) in points) + 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(points)
    body = _axes(float(top), "seats won", ticks=min(top, 6))

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - plot_h * value / top

    line = []
    for i, (size, expected, (low, high)) in enumerate(points):
        x = LEFT + slot * (i + 0.5)
        best = size == advice.best_size
        line.append(f"{x:.1f},{y_of(expected):.1f}")
        body.append(
            f'<line x1="{x:.1f}" y1="{y_of(low):.1f}" x2="{x:.1f}" y2="{y_of(high):.1f}" '
            f'stroke="{INK}" stroke-width="2"/>'
            f'<line x1="{x - 6:.1f}" y1="{y_of(low):.1f}" x2="{x + 6:.1f}" y2="{y_of(low):.1f}" '
            f'stroke="{INK}"/>'
            f'<line x1="{x - 6:.1f}" y1="{y_of(high):.1f}" x2="{x + 6:.1f}" '
            f'y2="{y_of(high):.1f}" stroke="{INK}"/>'
            f'<circle cx="{x:.1f}" cy="{y_of(expected):.1f}" r="{6 if best else 4}" '
            f'fill="{STYLES[0][0] if not best else "#ffffff"}" stroke="{STYLES[0][0]}" '
            f'stroke-width="2"><title>{size} standing: {expected:.2f} seats expected, '
            f"{low} to {high} in 90% of runs</title></circle>"
            f'<text x="{x + 8:.1f}" y="{y_of(expected) - 6:.1f}" font-size="10" '
            f'fill="{INK}">{expected:.2f}{" (best)" if best else ""}</text>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{INK}">{size}</text>'
        )
    body.insert(
        0,
        f'<polyline points="{" ".join(line)}" fill="none" stroke="{STYLES[0][0]}" '
        f'stroke-dasharray="4 3"/>',
    )
    body.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - BOTTOM + 34}" text-anchor="middle" '
        f'fill="{INK}">candidates standing for {escape(advice.slate)} (bars: 90% of runs; '
        f"open circle: best size)</text>"
    )
    desc = f"Expected seats of {advice.slate} by the number of candidates it stands: " + "; ".join(
        f"{size}: {e:.2f} ({lo} to {hi})" for size, e, (lo, hi) in points
    )
    return _frame(
        prefix,
        f"{advice.slate}: expected seats by slate size",
        desc + f". Best size: {advice.best_size}.",
        body,
        1,
    )


def plan_comparison_svg(comparison: PlanComparison) -> str:
    """The slate's seats with no plan and with the plan, side by side, on the same draws."""
    without = comparison.seat_chances(planned=False)
    with_plan = comparison.seat_chances()
    seats = len(with_plan) - 1
    desc = (
        f"{comparison.slate}, over the same {comparison.runs} simulated elections, with "
        f"{100 * comparison.follow:.0f}% of its loyal voters following their card: "
        f"{comparison.expected_seats(planned=False):.2f} seats expected with no plan, "
        f"{comparison.expected_seats():.2f} with the plan. By seats won (no plan, plan): "
        + ", ".join(
            f"{k}: {100 * a:.0f}% and {100 * b:.0f}%"
            for k, (a, b) in enumerate(zip(without, with_plan, strict=True))
            if a >= 0.005 or b >= 0.005
        )
    )
    return grouped_bars(
        f"{comparison.slate}: seats with no plan and with the plan",
        desc + ".",
        [str(k) for k in range(seats + 1)],
        [
            (f"no plan ({comparison.expected_seats(planned=False):.2f} expected)", without),
            (f"plan ({comparison.expected_seats():.2f} expected)", with_plan),
        ],
        x_label="seats won by the slate",
        y_label="share of runs",
    )


PLOT_EXTRA = "pip install 'grassroots[plot]'"


def svg_to_png(svg: str) -> bytes:
    """PNG bytes of an SVG chart; needs the ``plot`` extra (cairosvg)."""
    try:
        import cairosvg  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise ScenarioError(
            f"a PNG chart needs the plot extra (cairosvg): {PLOT_EXTRA}; or write .svg"
        ) from None
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    return png


def write_chart(path: str, svg: str) -> None:
    """Write ``svg`` to ``path``: as it is for ``.svg``, converted for ``.png``."""
    from pathlib import Path

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".svg":
        target.write_text(svg, encoding="utf-8")
    elif suffix == ".png":
        target.write_bytes(svg_to_png(svg))
    else:
        raise ScenarioError(f'a chart is written as .svg or .png, not "{suffix or path}"')
