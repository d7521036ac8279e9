"""A forecast's scenario: who stands, on which slate, and how members are expected to vote.

A scenario is what an organiser believes before the ballot: each slate's
share of first preferences (from nominations, a past result or a poll), how
loyal its voters are (do they rank the whole slate first?), how sure those
shares are, and the candidates in each slate's own order. Everything the
simulation draws is drawn around these numbers.

Scenarios are plain JSON (see ``examples/forecast-nec.json`` and
docs/forecast.md); :func:`read_scenario` reports a bad file with the field at
fault.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grassroots.count import RULES, Quotas
from grassroots.count.errors import CountError, QuotaError

MAX_VOTERS = 200_000  # ballots drawn per run; more only costs time, not accuracy of the model


class ScenarioError(CountError, ValueError):
    """A scenario that cannot be simulated, with the field at fault.

    A ``CountError`` like the engine's own input errors, so the command reports it the same
    way without importing the forecasts at start-up.
    """

    def __init__(self, message: str, *, field: str | None = None, path: str | None = None):
        self.message = message
        self.field = field
        self.path = path
        where = ": ".join(part for part in (path, field) if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Candidate:
    """One candidate: a name, a quota category (e.g. "F") and a popularity.

    ``strength`` is a log-scale popularity: 0 is average, +0.7 about twice as
    likely to be chosen next as an average candidate, -0.7 about half.
    """

    name: str
    category: str = ""
    strength: float = 0.0


@dataclass(frozen=True)
class Slate:
    """A slate: its candidates in the slate's own order, its share, and its voters' loyalty.

    ``follow_order`` is the share of its loyal voters who rank the slate exactly in its own
    order (as a how-to-vote card asks); the others rank it by their own liking.
    """

    name: str
    share: float
    loyalty: float
    candidates: tuple[Candidate, ...]
    follow_order: float = 0.0


@dataclass(frozen=True)
class Ranking:
    """How long members' rankings are (the same knobs as the synthetic ballots)."""

    mean_length: float = 5.0
    stop_at_slate_end: float = 0.6
    full_ranking_share: float = 0.1


@dataclass(frozen=True)
class Scenario:
    """Everything one forecast needs.

    ``uncertainty`` is the standard deviation of a 50% share from run to
    run, as a fraction (0.05: a slate expected to win half the first
    preferences gets between about 40% and 60% in 95% of runs); smaller
    shares vary proportionately less. ``popularity_spread`` is the
    standard deviation of each candidate's strength from run to run.
    """

    seats: int
    slates: tuple[Slate, ...]
    independents: tuple[Candidate, ...] = ()
    rule: str = "scottish"
    quotas: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    voters: int = 5_000
    uncertainty: float = 0.05
    popularity_spread: float = 0.3
    ranking: Ranking = Ranking()
    title: str = ""

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every candidate, slates first in their order, then independents."""
        return tuple(c for s in self.slates for c in s.candidates) + self.independents

    @property
    def unaligned_share(self) -> float:
        """The share of voters who follow no slate."""
        return max(0.0, 1.0 - sum(s.share for s in self.slates))

    def quota_limits(self) -> Quotas:
        """The scenario's quotas as the engine's :class:`Quotas`."""
        minimum = {k: int(v.get("min", 0)) for k, v in self.quotas.items() if v.get("min")}
        maximum = {k: int(v["max"]) for k, v in self.quotas.items() if v.get("max") is not None}
        return Quotas.build(minimum, maximum)

    def with_slate_size(self, slate: str, size: int) -> Scenario:
        """The same scenario with ``slate`` standing only its first ``size`` candidates."""
        index = self.slate_index(slate)
        chosen = self.slates[index]
        if not 1 <= size <= len(chosen.candidates):
            raise ScenarioError(
                f"a size from 1 to {len(chosen.candidates)} is needed, got {size}",
                field=f"slates[{index}]",
            )
        slates = list(self.slates)
        slates[index] = replace(chosen, candidates=chosen.candidates[:size])
        return replace(self, slates=tuple(slates))

    def with_slate_order(self, slate: str, order: Sequence[str]) -> Scenario:
        """The same scenario with ``slate``'s candidates listed in ``order`` (their names)."""
        index = self.slate_index(slate)
        chosen = self.slates[index]
        by_name = {c.name: c for c in chosen.candidates}
        if sorted(order) != sorted(by_name):
            raise ScenarioError(
                f"an order must name each of {slate}'s candidates once: {', '.join(by_name)}",
                field=f"slates[{index}]",
            )
        slates = list(self.slates)
        slates[index] = replace(chosen, candidates=tuple(by_name[name] for name in order))
        return replace(self, slates=tuple(slates))

    def slate_index(self, name: str) -> int:
        """The position of the slate called ``name``."""
        for index, slate in enumerate(self.slates):
            if slate.name == name:
                return index
        known = ", ".join(s.name for s in self.slates)
        raise ScenarioError(f'no slate is called "{name}" (slates: {known})', field="slates")

    def check(self) -> Scenario:
        """Raise :class:`ScenarioError` for anything the simulation cannot run; else self."""
        if self.rule not in RULES:
            raise ScenarioError(
                f'unknown rule "{self.rule}": choose {", ".join(RULES)}', field="rule"
            )
        if self.rule == "irv" and self.seats != 1:
            raise ScenarioError("instant runoff fills one seat; use an STV rule", field="rule")
        names = [c.name for c in self.candidates]
        if not names:
            raise ScenarioError("no candidates stand", field="slates")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ScenarioError(f"named twice: {', '.join(repeated)}", field="slates")
        if not 1 <= self.seats <= len(names):
            raise ScenarioError(
                f"must be from 1 to the {len(names)} candidates standing, got {self.seats}",
                field="seats",
            )
        total = sum(s.share for s in self.slates)
        if total > 1.0 + 1e-9:
            raise ScenarioError(
                f"the slates' shares add up to {total:.3f}, more than 1", field="slates"
            )
        if not 1 <= self.voters <= MAX_VOTERS:
            raise ScenarioError(
                f"must be from 1 to {MAX_VOTERS:,}, got {self.voters}", field="voters"
            )
        if not 0.0 <= self.uncertainty < 0.5:
            raise ScenarioError(
                f"must be at least 0 and below 0.5, got {self.uncertainty}", field="uncertainty"
            )
        if not 0.0 <= self.popularity_spread <= 3.0:
            raise ScenarioError(
                f"must be from 0 to 3, got {self.popularity_spread}", field="popularity_spread"
            )
        self._check_quotas()
        return self

    def _check_quotas(self) -> None:
        try:
            quotas = self.quota_limits()
        except QuotaError as err:
            raise ScenarioError(str(err), field="quotas") from err
        standing: dict[str, int] = {}
        for candidate in self.candidates:
            standing[candidate.category] = standing.get(candidate.category, 0) + 1
        for category, limit in quotas.limits.items():
            if limit.minimum > min(self.seats, standing.get(category, 0)):
                raise ScenarioError(
                    f'at least {limit.minimum} "{category}" must be elected, but '
                    f"{standing.get(category, 0)} stand for {self.seats} seats",
                    field="quotas",
                )


def scenario_from_mapping(data: Mapping[str, Any], *, path: str | None = None) -> Scenario:
    """Build and check a scenario from parsed JSON (the shape of docs/forecast.md)."""
    reader = _Reader(path)
    if not isinstance(data, Mapping):
        raise ScenarioError("a scenario is a JSON object", path=path)
    slates = tuple(
        _slate(reader, item, f"slates[{i}]")
        for i, item in enumerate(reader.sequence(data, "slates", required=True))
    )
    independents = tuple(
        _candidate(reader, item, f"independents[{i}]")
        for i, item in enumerate(reader.sequence(data, "independents"))
    )
    ranking_data = data.get("ranking", {})
    if not isinstance(ranking_data, Mapping):
        raise ScenarioError("must be an object", field="ranking", path=path)
    ranking = Ranking(
        mean_length=reader.number(ranking_data, "mean_length", 5.0, "ranking.", low=1.0),
        stop_at_slate_end=reader.number(
            ranking_data, "stop_at_slate_end", 0.6, "ranking.", low=0.0, high=1.0
        ),
        full_ranking_share=reader.number(
            ranking_data, "full_ranking_share", 0.1, "ranking.", low=0.0, high=1.0
        ),
    )
    quotas = data.get("quotas", {})
    if not isinstance(quotas, Mapping) or not all(
        isinstance(v, Mapping) and all(isinstance(n, int) for n in v.values())
        for v in quotas.values()
    ):
        raise ScenarioError('must look like {"F": {"min": 4}}', field="quotas", path=path)
    scenario = Scenario(
        seats=reader.whole(data, "seats"),
        slates=slates,
        independents=independents,
        rule=str(data.get("rule", "scottish")),
        quotas={str(k): dict(v) for k, v in quotas.items()},
        voters=reader.whole(data, "voters", 5_000),
        uncertainty=reader.number(data, "uncertainty", 0.05, "", low=0.0),
        popularity_spread=reader.number(data, "popularity_spread", 0.3, "", low=0.0),
        ranking=ranking,
        title=str(data.get("title", "")),
    )
    try:
        return scenario.check()
    except ScenarioError as err:
        raise ScenarioError(err.message, field=err.field, path=path) from err


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a JSON file."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(f"cannot read the file ({err.strerror})", path=where) from err
    except UnicodeDecodeError as err:
        raise ScenarioError("the file is not UTF-8 text", path=where) from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioError(
            f"not JSON: {err.msg} at line {err.lineno}, column {err.colno}", path=where
        ) from err
    except RecursionError:
        raise ScenarioError("not JSON: nested too deeply", path=where) from None
    return scenario_from_mapping(data, path=where)


def scenario_to_mapping(scenario: Scenario) -> dict[str, Any]:
    """The JSON shape of a scenario (what :func:`scenario_from_mapping` reads)."""

    def candidate(c: Candidate) -> dict[str, Any]:
        return {"name": c.name, "category": c.category, "strength": c.strength}

    return {
        "title": scenario.title,
        "seats": scenario.seats,
        "rule": scenario.rule,
        "quotas": {k: dict(v) for k, v in scenario.quotas.items()},
        "voters": scenario.voters,
        "uncertainty": scenario.uncertainty,
        "popularity_spread": scenario.popularity_spread,
        "ranking": {
            "mean_length": scenario.ranking.mean_length,
            "stop_at_slate_end": scenario.ranking.stop_at_slate_end,
            "full_ranking_share": scenario.ranking.full_ranking_share,
        },
        "slates": [
            {
                "name": s.name,
                "share": s.share,
                "loyalty": s.loyalty,
                "follow_order": s.follow_order,
                "candidates": [candidate(c) for c in s.candidates],
            }
            for s in scenario.slates
        ],
        "independents": [candidate(c) for c in scenario.independents],
    }


class _Reader:
    """Typed access to scenario fields, naming the field and file in every error."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    def fail(self, message: str, name: str) -> ScenarioError:
        return ScenarioError(message, field=name, path=self.path)

    def sequence(
        self, data: Mapping[str, Any], key: str, *, required: bool = False, prefix: str = ""
    ) -> Sequence[Any]:
        value = data.get(key)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            message = "must be a non-empty list" if required else "must be a list"
            raise self.fail(message, prefix + key)
        return value

    def whole(self, data: Mapping[str, Any], key: str, default: int | None = None) -> int:
        value = data.get(key, default)
        if value is None:
            raise self.fail("is required", key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"must be a whole number, got {value!r}", key)
        return value

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        default: float | None,
        prefix: str,
        *,
        low: float | None = None,
        high: float | None = None,
    ) -> float:
        value = data.get(key, default)
        name = prefix + key
        if value is None:
            raise self.fail("is required", name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(f"must be a number, got {value!r}", name)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise self.fail(f"must be {bounds}, got {value}", name)
        return float(value)


def _candidate(reader: _Reader, item: Any, name: str) -> Candidate:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping) or not str(item.get("name", "")).strip():
        raise reader.fail('each candidate needs a "name"', name)
    category = item.get("category", item.get("gender", ""))
    return Candidate(
        name=str(item["name"]).strip(),
        category="" if category is None else str(category),
        strength=reader.number(item, "strength", 0.0, f"{name}.", low=-5.0, high=5.0),
    )


def _slate(reader: _Reader, item: Any, name: str) -> Slate:
    if not isinstance(item, Mapping) or not str(item.get("name", "")).strip():
        raise reader.fail('each slate needs a "name"', name)
    candidates = tuple(
        _candidate(reader, c, f"{name}.candidates[{i}]")
        for i, c in enumerate(reader.sequence(item, "candidates", required=True, prefix=f"{name}."))
    )
    return Slate(
        name=str(item["name"]).strip(),
        share=reader.number(item, "share", None, f"{name}.", low=0.0, high=1.0),
        loyalty=reader.number(item, "loyalty", 0.6, f"{name}.", low=0.0, high=1.0),
        candidates=candidates,
        follow_order=reader.number(item, "follow_order", 0.0, f"{name}.", low=0.0, high=1.0),
    )
