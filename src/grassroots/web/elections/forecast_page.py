"""The forecast page of a section: its forms and its view.

Organisers see the scenario the site builds from the section
(:mod:`grassroots.web.elections.forecasting`), may change each slate's share
and loyalty and the uncertainty, and run the forecast. The page only reads:
it stores nothing and writes no audit row, so it answers GET, and its address
(with the figures in it) can be shared or bookmarked. The same figures
download as a scenario file for ``grassroots forecast``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.forecast import (
    Forecast,
    OrderAdvice,
    Scenario,
    ScenarioError,
    SizeAdvice,
    scenario_to_mapping,
)
from grassroots.forecast import Slate as ForecastSlate
from grassroots.web.elections import access, selectors
from grassroots.web.elections.forecasting import WEB_VOTERS, section_scenario
from grassroots.web.errors import DomainError

SEED = 1
SIZE_RUNS = 100  # runs per slate size: a size comparison is paired, so fewer runs suffice
BAR_MAX = 340
BAR_HEIGHT = 28


class SlateFiguresForm(forms.Form):
    """A share of voters and a loyalty, in percent, for each slate."""

    def __init__(self, *args: Any, slates: Sequence[ForecastSlate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slates = list(slates)
        for index, slate in enumerate(self.slates):
            self.fields[f"share_{index}"] = forms.DecimalField(
                label=f"{slate.name}: share of voters (%)",
                min_value=0,
                max_value=100,
                decimal_places=1,
                # Rounded down, so shown shares never add up to more than 100%.
                initial=math.floor(1000 * slate.share + 1e-9) / 10,
            )
            self.fields[f"loyalty_{index}"] = forms.DecimalField(
                label=f"{slate.name}: loyalty (%)",
                min_value=0,
                max_value=100,
                decimal_places=1,
                initial=round(100 * slate.loyalty, 1),
            )
            self.fields[f"follow_{index}"] = forms.DecimalField(
                label=f"{slate.name}: loyal voters who follow its order (%)",
                min_value=0,
                max_value=100,
                decimal_places=1,
                required=False,  # empty: nobody follows it
                initial=round(100 * slate.follow_order, 1),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = [data.get(f"share_{i}") for i in range(len(self.slates))]
        if all(s is not None for s in shares) and sum(shares) > 100:  # type: ignore[arg-type]
            raise forms.ValidationError(
                f"The slates' shares add up to {sum(shares)}%: at most 100% can follow a slate."  # type: ignore[arg-type]
            )
        return data

    def by_slate(self, prefix: str) -> dict[str, float]:
        """Each slate's figure for ``prefix`` as a fraction (an empty optional one is 0)."""
        return {
            slate.name: float(self.cleaned_data.get(f"{prefix}_{i}") or 0) / 100
            for i, slate in enumerate(self.slates)
        }

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "name": slate.name,
                "candidates": [c.name for c in slate.candidates],
                "share_field": self[f"share_{i}"],
                "loyalty_field": self[f"loyalty_{i}"],
                "follow_field": self[f"follow_{i}"],
            }
            for i, slate in enumerate(self.slates)
        ]


class ForecastSettingsForm(forms.Form):
    uncertainty = forms.DecimalField(
        label="Uncertainty (percentage points)",
        min_value=0,
        max_value=25,
        decimal_places=1,
        initial=5,
        help_text="How far a 50% share may be off: 5 means it lands between about 40% and 60% "
        "in 95% of runs.",
    )
    runs = forms.IntegerField(
        label="Runs", min_value=10, max_value=500, initial=200, help_text="From 10 to 500."
    )
    sizes = forms.ChoiceField(
        label="Also compare slate sizes for",
        required=False,
        help_text="Forecasts the slate standing 1, 2, ... of its candidates, in the order shown.",
    )
    orders = forms.ChoiceField(
        label="Also compare candidate orders for",
        required=False,
        help_text="As shown, alternating by the quota's category, and reversed: for the "
        "slate's voters who follow its order (set above).",
    )

    def __init__(self, *args: Any, slates: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "(no comparison)")] + [(name, name) for name in slates]
        self.fields["sizes"].choices = choices  # type: ignore[attr-defined]
        self.fields["orders"].choices = choices  # type: ignore[attr-defined]


def forecast_view(request: HttpRequest, election_slug: str, section_slug: str) -> HttpResponse:
    """The section's forecast: the scenario, the figures to change, and the result of a run."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    context: dict[str, Any] = {"section": section, "voters": WEB_VOTERS}
    try:
        base = section_scenario(section=section)
    except DomainError as err:
        context["error"] = err.message
        return render(request, "elections/forecast.html", context, status=200)
    run = "run" in request.GET or request.GET.get("format") == "json"
    data = request.GET if run else None
    slates = base.scenario.slates
    figures = SlateFiguresForm(data, slates=slates)
    settings = ForecastSettingsForm(data, slates=[s.name for s in slates])
    context.update(
        basis=base.basis,
        notes=base.notes,
        form=settings,
        figures=figures,
        slate_rows=figures.rows(),
        scenario_url=_download_url(request, figures, settings),
    )
    if not run:
        return render(request, "elections/forecast.html", context)
    if not all([figures.is_valid(), settings.is_valid()]):  # both, so both show their errors
        return render(request, "elections/forecast.html", context, status=400)
    try:
        built = section_scenario(
            section=section,
            shares=figures.by_slate("share"),
            loyalty=figures.by_slate("loyalty"),
            follow_order=figures.by_slate("follow"),
            uncertainty=float(settings.cleaned_data["uncertainty"]) / 100,
        )
    except DomainError as err:
        context["error"] = err.message
        return render(request, "elections/forecast.html", context, status=400)
    if request.GET.get("format") == "json":
        return _scenario_download(built.scenario)
    from grassroots.forecast import simulate, slate_orders, slate_sizes

    forecast = simulate(built.scenario, runs=settings.cleaned_data["runs"], seed=SEED)
    context.update(_forecast_context(forecast, section.election))
    runs = min(settings.cleaned_data["runs"], SIZE_RUNS)
    if chosen := settings.cleaned_data["sizes"]:
        advice = slate_sizes(built.scenario, chosen, runs=runs, seed=SEED)
        context.update(advice=advice, size_runs=runs, size_rows=_size_rows(advice))
    if chosen := settings.cleaned_data["orders"]:
        try:
            ordering = slate_orders(built.scenario, chosen, runs=runs, seed=SEED)
        except ScenarioError:
            context["order_error"] = (
                f"None of {chosen}'s loyal voters follow its order (set above), so every order "
                "forecasts alike."
            )
        else:
            context.update(ordering=ordering, order_rows=_order_rows(ordering))
    return render(request, "elections/forecast.html", context)


def _download_url(request: HttpRequest, *forms_: forms.Form) -> str:
    """The scenario file's address: the figures asked for, or before any run the ones shown."""
    query = request.GET.copy()
    if "run" not in query:
        for form in forms_:
            for name, field in form.fields.items():
                if field.initial is not None:
                    query[name] = str(field.initial)
        query["run"] = "1"
    query["format"] = "json"
    return f"{request.path}?{query.urlencode()}"


def _scenario_download(scenario: Scenario) -> HttpResponse:
    body = json.dumps(scenario_to_mapping(scenario), indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scenario.json"'
    return response


def _forecast_context(forecast: Forecast, election: Any) -> dict[str, Any]:
    """Rows of the seats table and chart, and the chances table, as the template shows them."""
    from grassroots.forecast import chances_table

    seats = forecast.scenario.seats
    columns = [k for k in range(seats + 1) if (forecast.seats == k).any()]
    colours = {s.name: s.colour for s in selectors.slate_list(election=election)}
    first = forecast.first_preferences.mean(axis=0)
    rows = []
    for index, group in enumerate(forecast.groups):
        low, high = forecast.seats_range(group)
        expected = forecast.expected_seats(group)
        chances = forecast.seat_chances(group)
        rows.append(
            {
                "name": group,
                "first_preferences": round(100 * float(first[index])),
                "expected": f"{expected:.2f}",
                "low": low,
                "high": high,
                "chances": [round(100 * chances[k]) or "" for k in columns],
                "bar": round(BAR_MAX * expected / seats),
                "colour": colours.get(group, selectors.GREY),
                "y": index * BAR_HEIGHT,
            }
        )
    return {
        "forecast": forecast,
        "seat_columns": columns,
        "seat_rows": rows,
        "chart_height": BAR_HEIGHT * len(rows),
        "chances": [
            (name, slate, category, round(100 * chance))
            for name, slate, category, chance in chances_table(forecast)
        ],
    }


def _size_rows(advice: SizeAdvice) -> list[dict[str, Any]]:
    rows = []
    for size, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        slate = forecast.scenario.slates[forecast.scenario.slate_index(advice.slate)]
        rows.append(
            {
                "size": size,
                "expected": f"{forecast.expected_seats(advice.slate):.2f}",
                "low": low,
                "high": high,
                "last_chance": round(100 * forecast.chance(slate.candidates[-1].name)),
                "best": size == advice.best_size,
            }
        )
    return rows


def _order_rows(advice: OrderAdvice) -> list[dict[str, Any]]:
    rows = []
    for label, order, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        rows.append(
            {
                "label": label,
                "expected": f"{forecast.expected_seats(advice.slate):.2f}",
                "low": low,
                "high": high,
                "candidates": [(name, round(100 * forecast.chance(name))) for name in order],
                "best": label == advice.best,
            }
        )
    return rows
