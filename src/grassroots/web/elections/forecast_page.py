"""The forecast page of a section: its forms and its views.

Organisers see the scenario the site builds from the section
(:mod:`grassroots.web.elections.forecasting`), may change each slate's share
and loyalty and the uncertainty, and ask for the forecast. Asking (POST) stores
the inputs as a forecast run, queues it for the worker
(:mod:`grassroots.web.elections.forecast_runs`) and redirects at once to the
run's own address, which shows a progress bar until the result is stored and
then the result; that address can be shared among organisers. The same figures
download as a scenario file for ``grassroots forecast`` (a GET of the page).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from grassroots.forecast import Scenario, scenario_to_mapping
from grassroots.forecast import Slate as ForecastSlate
from grassroots.web.elections import access, forecast_runs
from grassroots.web.elections.forecasting import WEB_VOTERS, section_scenario
from grassroots.web.elections.models import ForecastRun, ForecastStatus, Section
from grassroots.web.errors import DomainError
from grassroots.web.people.access import acting_user


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
    """The section's forecast: the scenario and the figures to change. POST asks for the
    forecast and redirects (303) to its run; GET with ``format=json`` downloads the scenario."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    context: dict[str, Any] = {"section": section, "voters": WEB_VOTERS}
    try:
        base = section_scenario(section=section)
    except DomainError as err:
        context["error"] = err.message
        return render(request, "elections/forecast.html", context, status=200)
    asked = request.method == "POST"
    run = asked or "run" in request.GET or request.GET.get("format") == "json"
    data = (request.POST if asked else request.GET) if run else None
    slates = base.scenario.slates
    figures = SlateFiguresForm(data, slates=slates)
    settings = ForecastSettingsForm(data, slates=[s.name for s in slates])
    context.update(
        basis=base.basis,
        notes=base.notes,
        form=settings,
        figures=figures,
        slate_rows=figures.rows(),
        scenario_url=_download_url(section, data, figures, settings),
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
    if not asked:
        return render(request, "elections/forecast.html", context)  # shown, not run: POST runs
    forecast = forecast_runs.forecast_run_request(
        section=section,
        scenario=built.scenario,
        runs=settings.cleaned_data["runs"],
        sizes=settings.cleaned_data["sizes"],
        orders=settings.cleaned_data["orders"],
        form=_form_values(figures, settings),
        by=acting_user(request),
    )
    return HttpResponseRedirect(_run_url(section, forecast), status=303)


def forecast_run_view(
    request: HttpRequest, election_slug: str, section_slug: str, run_id: int
) -> HttpResponse:
    """A forecast run: its progress while the worker runs it, then its result (or error),
    under the figures it was asked with, ready to change and run again."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    forecast = get_object_or_404(ForecastRun, pk=run_id, section=section)
    context: dict[str, Any] = {"section": section, "voters": WEB_VOTERS, **_run_context(forecast)}
    try:
        base = section_scenario(section=section)
    except DomainError as err:
        context["error"] = err.message  # the slates changed since: the stored result still shows
    else:
        data = forecast.inputs.get("form", {})
        slates = base.scenario.slates
        figures = SlateFiguresForm(data, slates=slates)
        settings = ForecastSettingsForm(data, slates=[s.name for s in slates])
        context.update(
            basis=base.basis,
            notes=base.notes,
            form=settings,
            figures=figures,
            slate_rows=figures.rows(),
            scenario_url=_download_url(section, data, figures, settings),
        )
    if forecast.status == ForecastStatus.DONE and forecast.result:
        context.update(forecast.result)
    return render(request, "elections/forecast.html", context)


def forecast_run_progress(
    request: HttpRequest, election_slug: str, section_slug: str, run_id: int
) -> HttpResponse:
    """The progress bar alone, which the run's page polls; once the run is over it tells the
    page to reload (``HX-Refresh``) and stops polling."""
    section = access.section_for_organiser(request.user, election_slug, section_slug)
    forecast = get_object_or_404(ForecastRun, pk=run_id, section=section)
    context = {"section": section, **_run_context(forecast)}
    response = render(request, "elections/forecast_progress.html", context)
    if not context["run_active"]:
        response["HX-Refresh"] = "true"
    return response


def _run_url(section: Section, forecast: ForecastRun) -> str:
    return reverse(
        "elections:forecast_run", args=[section.election.slug, section.slug, forecast.pk]
    )


def _run_context(forecast: ForecastRun) -> dict[str, Any]:
    section = forecast.section
    args = [section.election.slug, section.slug, forecast.pk]
    return {
        "run": forecast,
        "run_active": forecast.status in (ForecastStatus.QUEUED, ForecastStatus.RUNNING),
        "run_url": reverse("elections:forecast_run", args=args),
        "progress_url": reverse("elections:forecast_run_progress", args=args),
    }


def _form_values(*forms_: forms.Form) -> dict[str, str]:
    """The forms' cleaned values as text, as the run's page shows them again."""
    values = {}
    for form in forms_:
        for name in form.fields:
            value = form.cleaned_data.get(name)
            values[name] = "" if value is None else str(value)
    return values


def _download_url(section: Section, data: Mapping[str, Any] | None, *forms_: forms.Form) -> str:
    """The scenario file's address: the figures asked for, or before any run the ones shown."""
    query = QueryDict(mutable=True)
    for form in forms_:
        for name, field in form.fields.items():
            value = data.get(name) if data is not None else field.initial
            if value is not None:
                query[name] = str(value)
    query["run"] = "1"
    query["format"] = "json"
    path = reverse("elections:forecast", args=[section.election.slug, section.slug])
    return f"{path}?{query.urlencode()}"


def _scenario_download(scenario: Scenario) -> HttpResponse:
    body = json.dumps(scenario_to_mapping(scenario), indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scenario.json"'
    return response
