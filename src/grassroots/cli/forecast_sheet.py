"""Forecast tables for the terminal: seats by slate, chances by candidate, slate sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from grassroots.forecast import Forecast, OrderAdvice, SizeAdvice, chances_table

if TYPE_CHECKING:  # rich is imported only to draw text tables
    from rich.console import Console

    from grassroots.forecast.calibrate import Calibration


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def render_forecast(forecast: Forecast, console: Console) -> None:
    """Seats by slate (expected, 90% range, chance of each seat count), then candidates."""
    from rich.table import Table

    scenario = forecast.scenario
    quotas = [
        f"at least {v['min']} {k}" if v.get("min") else f"at most {v.get('max')} {k}"
        for k, v in scenario.quotas.items()
    ]
    console.print(f"[bold]{scenario.title or 'Forecast'}[/bold]")
    facts = [f"{scenario.seats} seats", scenario.rule, *quotas]
    facts += [f"{forecast.runs} runs of {scenario.voters:,} ballots", f"seed {forecast.seed}"]
    console.print(" · ".join(facts))
    # Columns only for the seat counts some slate reached in some run.
    reached = [k for k in range(scenario.seats + 1) if (forecast.seats == k).any()]
    seats = Table(title="Seats by slate", title_justify="left")
    seats.add_column("slate", no_wrap=True)
    seats.add_column("first prefs", justify="right")
    seats.add_column("expected seats", justify="right")
    seats.add_column("90% range", justify="right")
    for k in reached:
        seats.add_column(f"{k} seat" if k == 1 else f"{k} seats", justify="right")
    for index, group in enumerate(forecast.groups):
        low, high = forecast.seats_range(group)
        chances = forecast.seat_chances(group)
        seats.add_row(
            group,
            _percent(float(forecast.first_preferences[:, index].mean())),
            f"{forecast.expected_seats(group):.2f}",
            f"{low}–{high}",
            *(_percent(chances[k]) if chances[k] >= 0.005 else "" for k in reached),
        )
    console.print(seats)
    people = Table(title="Chance of election", title_justify="left")
    for name, justify in (("candidate", "left"), ("slate", "left"), ("category", "left")):
        people.add_column(name, justify=justify)  # type: ignore[arg-type]
    people.add_column("chance", justify="right")
    for name, slate, category, chance in chances_table(forecast):
        people.add_row(name, slate, category, _percent(chance))
    console.print(people)


def render_sizes(advice: SizeAdvice, console: Console) -> None:
    """Expected seats for each slate size tried, and the best."""
    from rich.table import Table

    table = Table(title=f"How many should {advice.slate} stand?", title_justify="left")
    table.add_column("stands", justify="right")
    table.add_column("expected seats", justify="right")
    table.add_column("90% range", justify="right")
    table.add_column("last candidate's chance", justify="right")
    for size, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        slate = forecast.scenario.slates[forecast.scenario.slate_index(advice.slate)]
        marker = " ◀ best" if size == advice.best_size else ""
        table.add_row(
            str(size),
            f"{forecast.expected_seats(advice.slate):.2f}{marker}",
            f"{low}–{high}",
            _percent(forecast.chance(slate.candidates[-1].name)),
        )
    console.print(table)


def render_orders(advice: OrderAdvice, console: Console) -> None:
    """Expected seats and each candidate's chance for each order tried."""
    from rich.table import Table

    table = Table(
        title=f"In which order should {advice.slate} list its candidates?", title_justify="left"
    )
    table.add_column("order")
    table.add_column("expected seats", justify="right")
    table.add_column("90% range", justify="right")
    table.add_column("candidates in that order, with their chances")
    for label, order, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        marker = " ◀ best" if label == advice.best else ""
        table.add_row(
            label,
            f"{forecast.expected_seats(advice.slate):.2f}{marker}",
            f"{low}–{high}",
            ", ".join(f"{name} {_percent(forecast.chance(name))}" for name in order),
        )
    console.print(table)


def render_calibration(fitted: Calibration, console: Console) -> None:
    """The fitted parameters, then the fit: first preferences and transfers, source vs model."""
    from rich.table import Table

    scenario = fitted.scenario
    console.print(f"[bold]Calibration: {scenario.title or 'a past election'}[/bold]")
    console.print(f"{fitted.source}: {fitted.ballots:,} ballots · {scenario.seats} seats")
    slates = Table(title="Fitted slates", title_justify="left")
    for name in ("slate", "share", "loyalty", "candidates, most liked first"):
        slates.add_column(name, justify="left" if name[0] in "sc" else "right")
    for slate in scenario.slates:
        slates.add_row(
            slate.name,
            _percent(slate.share),
            _percent(slate.loyalty),
            ", ".join(f"{c.name} ({c.strength:+.2f})" for c in slate.candidates),
        )
    console.print(slates)
    ranking = scenario.ranking
    console.print(
        f"ranking lengths: mean {ranking.mean_length:.2f}, stop at the slate's end "
        f"{_percent(ranking.stop_at_slate_end)}, "
        f"rank everyone {_percent(ranking.full_ranking_share)}"
    )
    for line in fitted.kept:
        console.print(f"kept, not fitted: {line}")
    first = Table(title="First preferences: source and model", title_justify="left")
    for name in ("candidate", "slate", "source", "model"):
        first.add_column(name, justify="left" if name in ("candidate", "slate") else "right")
    for name, slate_name, source, model in fitted.first_table():
        first.add_row(name, slate_name, f"{100 * source:.1f}%", f"{100 * model:.1f}%")
    console.print(first)
    rows = fitted.transfer_table()
    if rows:
        moves = Table(title="Next preference by the first's slate", title_justify="left")
        for name in ("first", "next", "source", "model"):
            moves.add_column(name, justify="left" if name in ("first", "next") else "right")
        for origin, target, source, model in rows:
            if source >= 0.0005 or model >= 0.0005:
                moves.add_row(origin, target, f"{100 * source:.1f}%", f"{100 * model:.1f}%")
        console.print(moves)
    distance = f"first preferences {fitted.first_distance:.3f}"
    if rows:
        distance += f", next preferences {fitted.transfer_distance:.3f}"
    console.print(f"distance (total variation, 0 = identical): {distance}")
