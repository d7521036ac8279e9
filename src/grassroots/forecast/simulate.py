"""Monte Carlo forecasts of a party election, counted by the real engine.

Each run draws the slates' shares around the scenario's (a Dirichlet draw
whose spread is the scenario's uncertainty) and each candidate's popularity
around its strength, then draws the members' ballots with the same voter
model as :mod:`grassroots.synthetic` (loyal slate voters rank their slate
first; Plackett-Luce orders; partial rankings), and counts them with the
scenario's rule and quotas. Nothing is approximated in the count itself:
what varies is only what the organisers cannot know.

Runs are drawn from child streams of one seed (``[seed, run, part]``), so a
forecast is reproducible, and two scenarios forecast with the same seed
share their shares draws run by run: comparing slate sizes is then a paired
comparison, not two independent noisy ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

import numpy as np
import numpy.typing as npt

from grassroots.count import count
from grassroots.count.profile import PAD, Profile
from grassroots.forecast.scenario import Scenario, ScenarioError
from grassroots.synthetic import ElectionModel, draw_ballots

INDEPENDENT = "independent"
MAX_RUNS = 100_000
NEAR = 0.05  # expected seats within which two slate sizes count as equally good


@dataclass(frozen=True)
class Forecast:
    """What a scenario's runs gave.

    ``elected`` is a ``(runs, candidates)`` boolean array (candidates in
    :attr:`Scenario.candidates` order); ``seats`` a ``(runs, groups)`` array
    of seats won per slate, with independents last; ``first_preferences``
    the matching share of first preferences per group (and unaligned voters'
    ballots count for whoever they ranked first).
    """

    scenario: Scenario
    seed: int
    elected: npt.NDArray[np.bool_]
    seats: npt.NDArray[np.int64]
    first_preferences: npt.NDArray[np.float64]

    @property
    def runs(self) -> int:
        return int(self.elected.shape[0])

    @property
    def groups(self) -> tuple[str, ...]:
        """The slates' names, then ``"independent"`` if any stand."""
        names = tuple(s.name for s in self.scenario.slates)
        return (*names, INDEPENDENT) if self.scenario.independents else names

    def chance(self, candidate: str) -> float:
        """The share of runs in which ``candidate`` was elected."""
        names = [c.name for c in self.scenario.candidates]
        return float(self.elected[:, names.index(candidate)].mean())

    def expected_seats(self, group: str) -> float:
        return float(self.seats[:, self.groups.index(group)].mean())

    def seat_chances(self, group: str) -> list[float]:
        """``[P(0 seats), P(1 seat), ..., P(all seats)]`` for a slate."""
        won = self.seats[:, self.groups.index(group)]
        counts = np.bincount(won, minlength=self.scenario.seats + 1)
        return [float(p) for p in counts / self.runs]

    def seats_range(self, group: str, coverage: float = 0.9) -> tuple[int, int]:
        """The central ``coverage`` range of a slate's seats (e.g. 5th to 95th percentile)."""
        won = self.seats[:, self.groups.index(group)]
        tail = (1.0 - coverage) / 2.0
        low, high = np.quantile(won, [tail, 1.0 - tail], method="inverted_cdf")
        return int(low), int(high)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: chances by candidate, seats by slate."""
        slate_of = {c.name: s.name for s in self.scenario.slates for c in s.candidates}
        return {
            "title": self.scenario.title,
            "runs": self.runs,
            "seed": self.seed,
            "seats": self.scenario.seats,
            "rule": self.scenario.rule,
            "quotas": {k: dict(v) for k, v in self.scenario.quotas.items()},
            "slates": [
                {
                    "name": group,
                    "expected_seats": round(self.expected_seats(group), 3),
                    "seats_90": list(self.seats_range(group)),
                    "seat_chances": [round(p, 4) for p in self.seat_chances(group)],
                    "first_preferences": round(float(self.first_preferences[:, index].mean()), 4),
                }
                for index, group in enumerate(self.groups)
            ],
            "candidates": [
                {
                    "name": c.name,
                    "slate": slate_of.get(c.name, INDEPENDENT),
                    "category": c.category,
                    "chance": round(self.chance(c.name), 4),
                }
                for c in self.scenario.candidates
            ],
        }


@dataclass(frozen=True)
class Cards:
    """How-to-vote cards for one slate's loyal voters, as the simulation draws them.

    The slate's loyal voters are split into groups by ``shares``; ``follow`` of them rank the
    slate in their group's order (``orders``, candidates' names), the rest by their own
    liking. See :mod:`grassroots.forecast.vote_management`, which builds these from a plan.
    """

    slate: str
    follow: float
    shares: tuple[float, ...]
    orders: tuple[tuple[str, ...], ...]


Progress = Callable[[int], None]
"""Told the number of runs done so far (of one forecast), after each chunk of them."""

CHUNK = 25  # runs between two calls of a ``progress`` function


def simulate(
    scenario: Scenario,
    *,
    runs: int = 200,
    seed: int = 1,
    jobs: int = 1,
    progress: Progress | None = None,
    cards: Cards | None = None,
) -> Forecast:
    """Forecast ``scenario`` over ``runs`` simulated ballots, each counted by the engine.

    With ``jobs`` above 1 the runs are shared among that many processes. Every run draws from
    its own stream (``[seed, run, part]``), so the forecast is the same whatever ``jobs`` is,
    and the same when a ``progress`` function is given and the runs are made ``CHUNK`` at a
    time so that it can be told how many are done. ``cards`` (a vote-management plan) are
    drawn after everything else, so the same seed with and without them gives the same
    shares, popularity and ballots but for the cards followed.
    """
    scenario.check()
    if not 1 <= runs <= MAX_RUNS:
        raise ScenarioError(f"runs must be from 1 to {MAX_RUNS:,}, got {runs}", field="runs")
    if jobs < 1:
        raise ScenarioError(f"jobs must be at least 1, got {jobs}", field="jobs")
    jobs = min(jobs, runs)
    if jobs == 1 and progress is not None:
        parts = []
        for start in range(0, runs, CHUNK):
            stop = min(start + CHUNK, runs)
            parts.append(_runs(scenario, seed, start, stop, cards))
            progress(stop)
        elected, seats, first = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    elif jobs == 1:
        elected, seats, first = _runs(scenario, seed, 0, runs, cards)
    else:
        from concurrent.futures import ProcessPoolExecutor

        bounds = [round(runs * k / jobs) for k in range(jobs + 1)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(
                pool.map(
                    _runs,
                    [scenario] * jobs,
                    [seed] * jobs,
                    bounds[:-1],
                    bounds[1:],
                    [cards] * jobs,
                )
            )
        elected, seats, first = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
        if progress is not None:
            progress(runs)
    return Forecast(
        scenario=scenario, seed=seed, elected=elected, seats=seats, first_preferences=first
    )


def _runs(
    scenario: Scenario, seed: int, start: int, stop: int, cards: Cards | None = None
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Runs ``start`` to ``stop - 1``: who was elected, seats by group, first preferences."""
    candidates = scenario.candidates
    categories = {c.name: c.category for c in candidates}
    quotas = scenario.quota_limits()
    group_of = _group_of(scenario)
    n_groups = int(group_of.max()) + 1
    n = stop - start
    elected = np.zeros((n, len(candidates)), dtype=bool)
    seats = np.zeros((n, n_groups), dtype=np.int64)
    first = np.zeros((n, n_groups), dtype=np.float64)
    index = {c.name: i for i, c in enumerate(candidates)}
    for row, run in enumerate(range(start, stop)):
        profile = _draw_profile(scenario, seed=seed, run=run, cards=cards).with_categories(
            categories
        )
        result = count(profile, rule=scenario.rule, quotas=quotas, seed=run)
        chosen = [index[name] for name in result.elected]
        elected[row, chosen] = True
        seats[row] = np.bincount(group_of[chosen], minlength=n_groups)
        top = profile.rankings[:, 0]
        voted = top != PAD
        shares = np.bincount(
            group_of[top[voted]], weights=profile.weights[voted], minlength=n_groups
        )
        first[row] = shares / max(float(shares.sum()), 1.0)
    return elected, seats, first


@dataclass(frozen=True)
class SizeAdvice:
    """How many candidates a slate should stand: a forecast for each size tried."""

    slate: str
    forecasts: tuple[tuple[int, Forecast], ...]

    @property
    def best_size(self) -> int:
        """The smallest size whose expected seats are within ``NEAR`` of the most any size gets.

        A bigger slate that adds less than that is, within the forecast's own
        noise, only more candidates splitting the same votes.
        """
        most = max(f.expected_seats(self.slate) for _, f in self.forecasts)
        return min(
            size for size, f in self.forecasts if f.expected_seats(self.slate) >= most - NEAR
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "slate": self.slate,
            "best_size": self.best_size,
            "sizes": [
                {
                    "size": size,
                    "expected_seats": round(forecast.expected_seats(self.slate), 3),
                    "seats_90": list(forecast.seats_range(self.slate)),
                    "chances": {
                        c.name: round(forecast.chance(c.name), 4)
                        for c in forecast.scenario.slates[
                            forecast.scenario.slate_index(self.slate)
                        ].candidates
                    },
                }
                for size, forecast in self.forecasts
            ],
        }


def slate_sizes(
    scenario: Scenario,
    slate: str,
    *,
    sizes: Iterable[int] | None = None,
    runs: int = 200,
    seed: int = 1,
    jobs: int = 1,
    progress: Progress | None = None,
) -> SizeAdvice:
    """Forecast the election with ``slate`` standing each of ``sizes`` candidates.

    The slate stands its first candidates in its own order; the others do
    not stand. Every size uses the same seed, so the runs are paired. ``progress`` is told
    the runs done over all sizes.
    """
    standing = len(scenario.slates[scenario.slate_index(slate)].candidates)
    tried = sorted(set(sizes)) if sizes is not None else list(range(1, standing + 1))
    forecasts: list[tuple[int, Forecast]] = []
    for size in tried:
        smaller = scenario.with_slate_size(slate, size)
        try:
            smaller.check()
        except ScenarioError:
            continue  # e.g. too few candidates of a category left for the quota
        told = _offset(progress, runs * len(forecasts))
        forecasts.append((size, simulate(smaller, runs=runs, seed=seed, jobs=jobs, progress=told)))
    if not forecasts:
        raise ScenarioError(f'no size of "{slate}" can be forecast', field="slates")
    return SizeAdvice(slate=slate, forecasts=tuple(forecasts))


@dataclass(frozen=True)
class OrderAdvice:
    """How a slate should list its candidates: a forecast for each order tried."""

    slate: str
    forecasts: tuple[tuple[str, tuple[str, ...], Forecast], ...]  # label, order, forecast

    @property
    def best(self) -> str:
        """The label of the order with the most expected seats (the first tried on a tie
        within ``NEAR``)."""
        most = max(f.expected_seats(self.slate) for _, _, f in self.forecasts)
        return next(
            label for label, _, f in self.forecasts if f.expected_seats(self.slate) >= most - NEAR
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "slate": self.slate,
            "best": self.best,
            "orders": [
                {
                    "label": label,
                    "order": list(order),
                    "expected_seats": round(forecast.expected_seats(self.slate), 3),
                    "seats_90": list(forecast.seats_range(self.slate)),
                    "chances": {name: round(forecast.chance(name), 4) for name in order},
                }
                for label, order, forecast in self.forecasts
            ],
        }


def slate_orders(
    scenario: Scenario,
    slate: str,
    *,
    orders: Sequence[tuple[str, Sequence[str]]] | None = None,
    runs: int = 200,
    seed: int = 1,
    jobs: int = 1,
    progress: Progress | None = None,
) -> OrderAdvice:
    """Forecast the election with ``slate`` listing its candidates in each of ``orders``.

    Order only matters through the voters who follow it (the slate's ``follow_order``),
    so a slate whose voters ignore its order is refused. Without ``orders``: the order as
    listed, then (with a minimum quota) one alternating by the quota's category starting
    with it, then the list reversed. Every order uses the same seed. ``progress`` is told
    the runs done over all orders.
    """
    index = scenario.slate_index(slate)
    chosen = scenario.slates[index]
    if chosen.follow_order <= 0:
        raise ScenarioError(
            f"none of {slate}'s voters follow its order (follow_order is 0), so every order "
            "forecasts alike: set how many do",
            field=f"slates[{index}].follow_order",
        )
    tried = list(orders) if orders is not None else default_orders(scenario, slate)
    forecasts: list[tuple[str, tuple[str, ...], Forecast]] = []
    for label, order in tried:
        listed = scenario.with_slate_order(slate, order)
        told = _offset(progress, runs * len(forecasts))
        forecast = simulate(listed, runs=runs, seed=seed, jobs=jobs, progress=told)
        forecasts.append((label, tuple(order), forecast))
    return OrderAdvice(slate=slate, forecasts=tuple(forecasts))


def _offset(progress: Progress | None, before: int) -> Progress | None:
    """``progress`` told the runs done before this forecast plus this forecast's own."""
    if progress is None:
        return None
    return lambda done: progress(before + done)


def default_orders(scenario: Scenario, slate: str) -> list[tuple[str, list[str]]]:
    """The orders ``slate_orders`` tries by default (see there), without repeats."""
    chosen = scenario.slates[scenario.slate_index(slate)]
    listed = [c.name for c in chosen.candidates]
    orders = [("as listed", listed)]
    minima = [k for k, v in scenario.quotas.items() if v.get("min")]
    if minima:
        category = minima[0]
        first = [c.name for c in chosen.candidates if c.category == category]
        others = [c.name for c in chosen.candidates if c.category != category]
        zipped = [name for pair in zip_longest(first, others) for name in pair if name]
        orders.append((f"alternating, {category} first", zipped))
    orders.append(("reversed", listed[::-1]))
    unique: list[tuple[str, list[str]]] = []
    for label, order in orders:
        if all(order != seen for _, seen in unique):
            unique.append((label, order))
    return unique


def _group_of(scenario: Scenario) -> npt.NDArray[np.int64]:
    """Each candidate's group: its slate's index, or one past the last slate."""
    groups = [i for i, s in enumerate(scenario.slates) for _ in s.candidates]
    groups += [len(scenario.slates)] * len(scenario.independents)
    return np.asarray(groups, dtype=np.int64)


def _card_fields(scenario: Scenario, cards: Cards | None) -> dict[str, Any]:
    """The voter model's card fields for ``cards``: groups' shares and each card's places."""
    if cards is None or cards.follow <= 0:
        return {}
    index = {c.name: i for i, c in enumerate(scenario.candidates)}
    rank = np.zeros((len(cards.orders), len(index)), dtype=np.int64)
    for group, order in enumerate(cards.orders):
        for place, name in enumerate(order):
            rank[group, index[name]] = place
    return {
        "card_slate": scenario.slate_index(cards.slate),
        "card_follow": float(cards.follow),
        "card_shares": np.asarray(cards.shares, dtype=np.float64),
        "card_rank": rank,
    }


def _draw_profile(
    scenario: Scenario, *, seed: int, run: int, cards: Cards | None = None
) -> Profile:
    """One run's ballots: shares and popularity drawn, then the members' rankings."""
    rng = np.random.default_rng([seed, run, 0])
    base = np.array([s.share for s in scenario.slates] + [scenario.unaligned_share])
    shares = _draw_shares(rng, base, scenario.uncertainty)
    candidates = scenario.candidates
    strength = np.array([c.strength for c in candidates], dtype=np.float64)
    strength = strength + rng.normal(0.0, scenario.popularity_spread, strength.size)
    group = _group_of(scenario)
    n_slates = len(scenario.slates)
    model = ElectionModel(
        names=tuple(c.name for c in candidates),
        gender=tuple(c.category for c in candidates),
        slate=np.where(group < n_slates, group, -1),
        slate_sizes=np.array([len(s.candidates) for s in scenario.slates], dtype=np.int64),
        strength=strength,
        faction_share=shares,
        loyalty=np.array([s.loyalty for s in scenario.slates], dtype=np.float64),
        stop_at_slate_end=scenario.ranking.stop_at_slate_end,
        mean_length=scenario.ranking.mean_length,
        full_ranking_share=scenario.ranking.full_ranking_share,
        follow_order=np.array([s.follow_order for s in scenario.slates], dtype=np.float64),
        slate_rank=np.array(
            [rank for s in scenario.slates for rank in range(len(s.candidates))]
            + [0] * len(scenario.independents),
            dtype=np.int64,
        ),
        **_card_fields(scenario, cards),
    )
    order, length = draw_ballots(model, np.random.default_rng([seed, run, 1]), scenario.voters)
    rankings = np.where(np.arange(order.shape[1])[None, :] < length[:, None], order, PAD)
    return Profile(
        candidates=model.names,
        seats=scenario.seats,
        rankings=rankings.astype(np.int32),
        weights=np.ones(order.shape[0], dtype=np.int64),
        title=scenario.title,
    ).aggregated()


def _draw_shares(
    rng: np.random.Generator, base: npt.NDArray[np.float64], uncertainty: float
) -> npt.NDArray[np.float64]:
    """Shares around ``base``: Dirichlet with a 50% share's deviation equal to ``uncertainty``.

    For a Dirichlet with concentration k, a share p varies by
    sqrt(p (1 - p) / (k + 1)); k = 0.25 / uncertainty² - 1 makes that
    ``uncertainty`` at p = 0.5. Zero shares stay zero.
    """
    total = float(base.sum())
    base = base / total if total > 0 else np.full(base.size, 1.0 / base.size)
    if uncertainty <= 0:
        return base
    concentration = 0.25 / uncertainty**2 - 1.0
    positive = base > 0
    shares = np.zeros_like(base)
    shares[positive] = rng.dirichlet(base[positive] * concentration)
    return shares


def chances_table(forecast: Forecast) -> Sequence[tuple[str, str, str, float]]:
    """Rows of (candidate, slate, category, chance), most likely first."""
    slate_of = {c.name: s.name for s in forecast.scenario.slates for c in s.candidates}
    rows = [
        (c.name, slate_of.get(c.name, INDEPENDENT), c.category, forecast.chance(c.name))
        for c in forecast.scenario.candidates
    ]
    return sorted(rows, key=lambda row: -row[3])
