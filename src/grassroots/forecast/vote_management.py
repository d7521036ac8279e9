"""Vote management: telling groups of a slate's supporters different orders of the slate.

A slate whose voters rank it by their own liking piles first preferences on its best-known
candidate; the others can then be excluded before that candidate's surplus reaches them, and
some of the slate's votes leak to rivals on the way. A *plan* splits the slate's loyal voters
into groups (by region, by birth month...) and tells each group its own order, so that first
preferences spread over the slate. This module says what a plan does to first preferences
(worked out exactly from the voter model), evaluates it against no plan on the same simulated
elections, and searches for a good plan for given groups.

Everything here is drawn by the same voter model as :func:`grassroots.forecast.simulate`: a
plan's forecast and no plan's share the seed, so they share every share, popularity and ballot
draw, and differ only in the cards the following voters use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from grassroots.forecast.scenario import Scenario, ScenarioError
from grassroots.forecast.simulate import NEAR, Cards, Forecast, Progress, _offset, simulate
from grassroots.synthetic import _RIVAL_PENALTY, _SOFT_BONUS

SHARE_TOLERANCE = 1e-6  # how far a plan's group shares may add up from 1


@dataclass(frozen=True)
class PlanGroup:
    """One group of the slate's loyal voters and the order of the slate it is told.

    ``share`` is the fraction of the slate's loyal voters in the group (a plan's shares add up
    to 1); ``order`` names each of the slate's candidates once.
    """

    name: str
    share: float
    order: tuple[str, ...]


@dataclass(frozen=True)
class VotingPlan:
    """A vote-management plan for one slate: its groups, each with its own card."""

    slate: str
    groups: tuple[PlanGroup, ...]

    def to_mapping(self) -> dict[str, Any]:
        """The JSON shape :func:`plan_from_mapping` reads."""
        return {
            "slate": self.slate,
            "groups": [
                {"name": g.name, "share": g.share, "order": list(g.order)} for g in self.groups
            ],
        }

    def group_of(self, name: str) -> PlanGroup:
        """The group called ``name`` (what a supporter in that group is told)."""
        for group in self.groups:
            if group.name == name:
                return group
        raise ScenarioError(f'no group is called "{name}"', field="groups")


def check_plan(scenario: Scenario, plan: VotingPlan) -> VotingPlan:
    """Raise :class:`ScenarioError` (naming the field) unless ``plan`` fits ``scenario``."""
    index = scenario.slate_index(plan.slate)
    names = [c.name for c in scenario.slates[index].candidates]
    if not plan.groups:
        raise ScenarioError("a plan needs at least one group", field="groups")
    seen: set[str] = set()
    for i, group in enumerate(plan.groups):
        where = f"groups[{i}]"
        if not group.name.strip():
            raise ScenarioError("a group needs a name", field=f"{where}.name")
        if group.name in seen:
            raise ScenarioError(f'"{group.name}" is named twice', field=f"{where}.name")
        seen.add(group.name)
        if not (math.isfinite(group.share) and 0.0 <= group.share <= 1.0):
            raise ScenarioError(f"must be from 0 to 1, got {group.share}", field=f"{where}.share")
        if sorted(group.order) != sorted(names):
            raise ScenarioError(
                f"must name each of {plan.slate}'s candidates once: {', '.join(names)}",
                field=f"{where}.order",
            )
    total = sum(g.share for g in plan.groups)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ScenarioError(f"the groups' shares add up to {total:.4f}, not 1", field="groups")
    return plan


def plan_from_mapping(data: Mapping[str, Any], scenario: Scenario) -> VotingPlan:
    """Read a plan (the shape of :meth:`VotingPlan.to_mapping`) and check it fits ``scenario``."""
    if not isinstance(data, Mapping):
        raise ScenarioError("a plan is a JSON object")
    slate = data.get("slate")
    if not isinstance(slate, str):
        raise ScenarioError("is required (a slate's name)", field="slate")
    items = data.get("groups")
    if not isinstance(items, list) or not items:
        raise ScenarioError("must be a non-empty list", field="groups")
    groups = []
    for i, item in enumerate(items):
        where = f"groups[{i}]"
        if not isinstance(item, Mapping):
            raise ScenarioError("must be an object", field=where)
        name, share, order = item.get("name"), item.get("share"), item.get("order")
        if not isinstance(name, str):
            raise ScenarioError("is required (text)", field=f"{where}.name")
        if isinstance(share, bool) or not isinstance(share, int | float):
            raise ScenarioError("is required (a number from 0 to 1)", field=f"{where}.share")
        if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
            raise ScenarioError("is required (a list of names)", field=f"{where}.order")
        groups.append(PlanGroup(name=name, share=float(share), order=tuple(order)))
    return check_plan(scenario, VotingPlan(slate=slate, groups=tuple(groups)))


def regions_groups(counts: Mapping[str, int]) -> list[tuple[str, float]]:
    """Groups from supporters counted by region (or CLP): each name with its share.

    Regions with no supporters are left out; the shares add up to 1.

    >>> regions_groups({"North": 30, "South": 10, "Islands": 0})
    [('North', 0.75), ('South', 0.25)]
    """
    if any(n < 0 for n in counts.values()):
        raise ScenarioError("supporters cannot be counted below 0", field="groups")
    total = sum(counts.values())
    if total <= 0:
        raise ScenarioError("no group has any supporters", field="groups")
    return [(name, n / total) for name, n in counts.items() if n > 0]


def _check_follow(follow: float) -> float:
    if not (math.isfinite(follow) and 0.0 <= follow <= 1.0):
        raise ScenarioError(f"must be from 0 to 1, got {follow}", field="follow")
    return float(follow)


def _without_card(scenario: Scenario, slate: str) -> Scenario:
    """``scenario`` with ``slate``'s voters following no card of its own: the no-plan case."""
    index = scenario.slate_index(slate)
    slates = list(scenario.slates)
    slates[index] = replace(slates[index], follow_order=0.0)
    return replace(scenario, slates=tuple(slates))


def _first_preferences(
    scenario: Scenario, slate: str, heads: Mapping[str, float], follow: float
) -> dict[str, float]:
    """Expected first preferences (share of all votes) of ``slate``'s candidates.

    ``heads`` gives, per candidate, the share of the slate's loyal voters whose card puts
    them first; ``follow`` of those loyal voters follow their card. Worked out from the voter
    model at the scenario's central shares and strengths: a loyal voter's first choice within
    the slate, and everyone else's among all candidates, in proportion to exp(strength), with
    the model's bonus for a soft voter's own slate and penalty for rival slates.
    """
    index = scenario.slate_index(slate)
    candidates = scenario.candidates
    slate_of = [i for i, s in enumerate(scenario.slates) for _ in s.candidates]
    slate_of += [-1] * len(scenario.independents)
    strength = np.array([c.strength for c in candidates], dtype=np.float64)
    owner = np.array(slate_of)
    total = sum(s.share for s in scenario.slates) + scenario.unaligned_share
    first = np.zeros(len(candidates))

    def liking(bonus: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        weight: npt.NDArray[np.float64] = np.exp(strength + bonus)
        return weight / float(weight.sum())

    for s, other in enumerate(scenario.slates):
        share = other.share / total
        own = owner == s
        soft = np.where(own, _SOFT_BONUS, np.where(owner >= 0, -_RIVAL_PENALTY, 0.0))
        first += share * (1.0 - other.loyalty) * liking(soft)
        within = np.where(own, np.exp(strength), 0.0)
        within /= within.sum()
        carded = other.follow_order if s != index else follow
        if s == index:
            headed = np.array([heads.get(c.name, 0.0) for c in candidates])
        else:
            headed = np.zeros(len(candidates))
            headed[np.flatnonzero(own)[0]] = 1.0  # its own card: its first-listed candidate
        first += share * other.loyalty * ((1.0 - carded) * within + carded * headed)
    first += scenario.unaligned_share / total * liking(np.zeros(len(candidates)))
    names = [c.name for c in scenario.slates[index].candidates]
    position = {c.name: i for i, c in enumerate(candidates)}
    return {name: float(first[position[name]]) for name in names}


def plan_first_preferences(scenario: Scenario, plan: VotingPlan, follow: float) -> dict[str, float]:
    """Expected first preferences (share of all votes) per slate candidate under ``plan``.

    ``follow`` is the share of the slate's loyal voters who follow their group's card; the
    others rank the slate by their own liking. Exact for the voter model at the scenario's
    central figures (the simulation also varies shares and popularity around them).
    """
    check_plan(scenario, plan)
    heads: dict[str, float] = {}
    for group in plan.groups:
        heads[group.order[0]] = heads.get(group.order[0], 0.0) + group.share
    return _first_preferences(scenario, plan.slate, heads, _check_follow(follow))


def slate_first_preferences(scenario: Scenario, slate: str) -> dict[str, float]:
    """Expected first preferences per candidate of ``slate`` with no plan (own liking)."""
    return _first_preferences(_without_card(scenario, slate), slate, {}, 0.0)


def _cards(plan: VotingPlan, follow: float) -> Cards:
    return Cards(
        slate=plan.slate,
        follow=follow,
        shares=tuple(g.share for g in plan.groups),
        orders=tuple(g.order for g in plan.groups),
    )


@dataclass(frozen=True)
class PlanComparison:
    """A plan against no plan, forecast on the same draws.

    ``planned`` and ``unplanned`` are the two forecasts (the slate's voters following no
    card of the slate's own in ``unplanned``); run ``k`` of one had the same shares,
    popularity and ballots as run ``k`` of the other, but for the cards followed.
    """

    plan: VotingPlan
    follow: float
    planned: Forecast
    unplanned: Forecast

    @property
    def slate(self) -> str:
        return self.plan.slate

    @property
    def runs(self) -> int:
        return self.planned.runs

    def _forecast(self, planned: bool) -> Forecast:
        return self.planned if planned else self.unplanned

    def expected_seats(self, *, planned: bool = True) -> float:
        """The slate's expected seats with the plan (or, ``planned=False``, without one)."""
        return self._forecast(planned).expected_seats(self.slate)

    def seat_chances(self, *, planned: bool = True) -> list[float]:
        """``[P(0 seats), P(1 seat), ..., P(every seat)]`` for the slate."""
        return self._forecast(planned).seat_chances(self.slate)

    def chances(self, *, planned: bool = True) -> dict[str, float]:
        """Each of the slate's candidates' chance of election."""
        forecast = self._forecast(planned)
        slate = forecast.scenario.slates[forecast.scenario.slate_index(self.slate)]
        return {c.name: forecast.chance(c.name) for c in slate.candidates}

    @property
    def gain(self) -> float:
        """Expected seats with the plan minus without."""
        return self.expected_seats() - self.expected_seats(planned=False)

    @property
    def gain_error(self) -> float:
        """The standard error of :attr:`gain`, from the run-by-run (paired) differences."""
        column = self.planned.groups.index(self.slate)
        change = self.planned.seats[:, column] - self.unplanned.seats[:, column]
        if change.size < 2:
            return 0.0
        return float(change.std(ddof=1) / math.sqrt(change.size))

    def first_preferences(self, *, planned: bool = True) -> dict[str, float]:
        """Expected first preferences per slate candidate (see :func:`plan_first_preferences`)."""
        scenario = self.unplanned.scenario
        if planned:
            return plan_first_preferences(scenario, self.plan, self.follow)
        return slate_first_preferences(scenario, self.slate)

    def to_mapping(self) -> dict[str, Any]:
        """A JSON-ready summary: the plan, then each side's seats, chances, first preferences."""

        def side(planned: bool) -> dict[str, Any]:
            return {
                "expected_seats": round(self.expected_seats(planned=planned), 3),
                "seat_chances": [round(p, 4) for p in self.seat_chances(planned=planned)],
                "chances": {k: round(v, 4) for k, v in self.chances(planned=planned).items()},
                "first_preferences": {
                    k: round(v, 4) for k, v in self.first_preferences(planned=planned).items()
                },
            }

        return {
            "slate": self.slate,
            "follow": self.follow,
            "runs": self.runs,
            "seed": self.planned.seed,
            "plan": self.plan.to_mapping(),
            "with_plan": side(True),
            "without_plan": side(False),
            "gain": round(self.gain, 3),
            "gain_error": round(self.gain_error, 3),
        }


def plan_evaluate(
    scenario: Scenario,
    plan: VotingPlan,
    *,
    follow: float,
    runs: int,
    seed: int,
    progress: Progress | None = None,
) -> PlanComparison:
    """Forecast ``scenario`` with ``plan`` and with no plan, on the same draws.

    ``follow`` (0 to 1) is the share of the slate's loyal voters who follow their group's
    card. With no plan the slate's voters follow no card of its own (its ``follow_order`` is
    set aside); other slates keep theirs. ``progress`` is told the runs done over both
    forecasts (``2 * runs`` in all).
    """
    scenario.check()
    check_plan(scenario, plan)
    follow = _check_follow(follow)
    base = _without_card(scenario, plan.slate)
    unplanned = simulate(base, runs=runs, seed=seed, progress=progress)
    planned = simulate(
        base, runs=runs, seed=seed, progress=_offset(progress, runs), cards=_cards(plan, follow)
    )
    return PlanComparison(plan=plan, follow=follow, planned=planned, unplanned=unplanned)


def _balanced_heads(
    scenario: Scenario,
    slate: str,
    groups: Sequence[tuple[str, float]],
    follow: float,
    *,
    refine: bool = True,
) -> list[str]:
    """Each group's head: whoever is furthest below the level that equalises first preferences.

    Followers put their card's head first, so a candidate headed by a share ``h`` of the loyal
    voters gains ``h * loyal * follow`` of first preferences. The level is found by filling
    the weakest up first (the shares ``h`` add up to 1); groups, largest first, then go to
    whoever still lacks most of their share; then single groups change head, or two groups
    swap heads, while that brings the heads' shares closer to what each lacks (unless
    ``refine`` is false: then the largest groups stay with the weakest candidates).
    """
    index = scenario.slate_index(slate)
    chosen = scenario.slates[index]
    base = _first_preferences(_without_card(scenario, slate), slate, {}, follow)
    total = sum(s.share for s in scenario.slates) + scenario.unaligned_share
    mass = chosen.share / total * chosen.loyalty * follow
    names = [c.name for c in chosen.candidates]
    low, high = min(base.values()), max(base.values()) + mass
    for _ in range(100):  # bisection on the common level
        level = (low + high) / 2
        if sum(max(0.0, level - base[n]) for n in names) > mass:
            high = level
        else:
            low = level
    wanted = {n: max(0.0, low - base[n]) / mass if mass > 0 else 0.0 for n in names}
    given = dict.fromkeys(names, 0.0)
    heads: list[str] = [""] * len(groups)
    for g in sorted(range(len(groups)), key=lambda g: -groups[g][1]):
        head = max(names, key=lambda n: (wanted[n] - given[n], -names.index(n)))
        heads[g] = head
        given[head] += groups[g][1]

    def miss(heads: Sequence[str]) -> float:
        got = dict.fromkeys(names, 0.0)
        for (_, share), head in zip(groups, heads, strict=True):
            got[head] += share
        return sum((got[n] - wanted[n]) ** 2 for n in names)

    best = miss(heads)
    improved = refine
    while improved:  # each step lowers the miss, so this ends
        improved = False
        moves = [(g, n) for g in range(len(groups)) for n in names if n != heads[g]]
        swaps = [(g, h) for g in range(len(groups)) for h in range(g + 1, len(groups))]
        for g, n in moves:
            trial = [*heads[:g], n, *heads[g + 1 :]]
            if miss(trial) < best - 1e-12:
                heads, best, improved = trial, miss(trial), True
        for g, h in swaps:
            trial = list(heads)
            trial[g], trial[h] = trial[h], trial[g]
            if miss(trial) < best - 1e-12:
                heads, best, improved = trial, miss(trial), True
    return heads


def _rotated(names: Sequence[str], head: str, turn: int) -> tuple[str, ...]:
    """``head`` first, then the others in slate order, starting ``turn`` places further on."""
    rest = [n for n in names if n != head]
    if rest:
        turn %= len(rest)
        rest = rest[turn:] + rest[:turn]
    return (head, *rest)


def _plan_for_heads(
    slate: str, names: Sequence[str], groups: Sequence[tuple[str, float]], heads: Sequence[str]
) -> VotingPlan:
    """Each group's card: its head, then the rest of the slate, rotated for repeated heads."""
    seen: dict[str, int] = {}
    cards = []
    for (name, share), head in zip(groups, heads, strict=True):
        turn = seen.get(head, 0)
        seen[head] = turn + 1
        cards.append(PlanGroup(name=name, share=share, order=_rotated(names, head, turn)))
    return VotingPlan(slate=slate, groups=tuple(cards))


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def plan_search(
    scenario: Scenario,
    slate: str,
    groups: Sequence[tuple[str, float]],
    *,
    follow: float,
    runs: int,
    seed: int,
    progress: Progress | None = None,
) -> tuple[VotingPlan, str]:
    """A good plan for ``groups`` (names and shares of the slate's voters), and why.

    Tries a few plans on the same draws and keeps the one with the most expected seats (on
    a tie within 0.05 seats, the first tried): *balanced* (each candidate heads groups in
    proportion to what equalises expected first preferences, the rest of each card rotating
    through the slate), *balanced, weakest most* (the same, but the largest groups go to
    whoever lacks most, even past an even split), *in turn* (groups, largest first, headed
    by the candidates in turn, weakest first), *weakest first* (one card for all: the slate
    from its least to its most liked) and *as listed* (one card for all: the slate's own
    order). ``progress`` is told the runs done over every forecast (no plan, then each plan
    tried).
    """
    scenario.check()
    follow = _check_follow(follow)
    if follow <= 0:
        raise ScenarioError(
            "nobody follows a card (follow is 0), so every plan forecasts alike", field="follow"
        )
    if not groups:
        raise ScenarioError("at least one group is needed", field="groups")
    total = sum(share for _, share in groups)
    if total <= 0 or any(share < 0 for _, share in groups):
        raise ScenarioError("the groups' shares must be positive", field="groups")
    groups = [(name, share / total) for name, share in groups]
    names = [c.name for c in scenario.slates[scenario.slate_index(slate)].candidates]
    base = slate_first_preferences(scenario, slate)
    weakest = sorted(names, key=lambda n: (base[n], names.index(n)))

    tried: list[tuple[str, VotingPlan]] = []
    balanced = _balanced_heads(scenario, slate, groups, follow)
    tried.append(("balanced", _plan_for_heads(slate, names, groups, balanced)))
    leaning = _balanced_heads(scenario, slate, groups, follow, refine=False)
    tried.append(("balanced, weakest most", _plan_for_heads(slate, names, groups, leaning)))
    by_size = sorted(range(len(groups)), key=lambda g: -groups[g][1])
    in_turn = [""] * len(groups)
    for k, g in enumerate(by_size):
        in_turn[g] = weakest[k % len(weakest)]
    tried.append(("in turn", _plan_for_heads(slate, names, groups, in_turn)))
    for label, order in (("weakest first", weakest), ("as listed", names)):
        one_card = tuple(PlanGroup(name, share, tuple(order)) for name, share in groups)
        tried.append((label, VotingPlan(slate=slate, groups=one_card)))
    unique: list[tuple[str, VotingPlan]] = []
    for label, plan in tried:
        if all(plan.groups != seen.groups for _, seen in unique):
            unique.append((label, check_plan(scenario, plan)))

    no_plan = _without_card(scenario, slate)
    unplanned = simulate(no_plan, runs=runs, seed=seed, progress=progress)
    results: list[tuple[str, VotingPlan, PlanComparison]] = []
    for k, (label, plan) in enumerate(unique):
        planned = simulate(
            no_plan,
            runs=runs,
            seed=seed,
            progress=_offset(progress, runs * (k + 1)),
            cards=_cards(plan, follow),
        )
        comparison = PlanComparison(plan=plan, follow=follow, planned=planned, unplanned=unplanned)
        results.append((label, plan, comparison))
    most = max(c.expected_seats() for _, _, c in results)
    label, plan, best = next(r for r in results if r[2].expected_seats() >= most - NEAR)
    return plan, _explain(scenario, label, best, results, base)


def _explain(
    scenario: Scenario,
    label: str,
    best: PlanComparison,
    results: Sequence[tuple[str, VotingPlan, PlanComparison]],
    base: Mapping[str, float],
) -> str:
    """The choice in plain words: the problem, the plan, and what it gains."""
    slate = best.slate
    weakest = min(base, key=lambda n: base[n])
    before = ", ".join(f"{n} {_percent(v)}" for n, v in base.items())
    after = ", ".join(f"{n} {_percent(v)}" for n, v in best.first_preferences().items())
    cards = "; ".join(
        f"{g.name} ({_percent(g.share)} of the slate's loyal voters): {', '.join(g.order)}"
        for g in best.plan.groups
    )
    tried = "; ".join(f"{lab} {c.expected_seats():.2f}" for lab, _, c in results)
    most_seats = max(c.expected_seats() for _, _, c in results)
    why = (
        "won the most"
        if best.expected_seats() >= most_seats
        else "is within 0.05 seats of the most and was tried earlier (the order above is "
        "from the most even to the plainest card)"
    )
    seats = len(best.seat_chances()) - 1
    standing = len(base)
    lines = [
        f"Without a plan, {slate}'s voters ranking by their own liking would give its "
        f"candidates these first preferences (of all votes): {before}. {weakest} has the "
        "fewest and is the likeliest to be excluded before the slate's surpluses reach them.",
        f"The {label} plan tells each group its own order: {cards}. If "
        f"{100 * best.follow:.0f}% of the slate's loyal voters follow their card, first "
        f"preferences become: {after}.",
        f"On the same {best.runs} simulated elections, the slate wins "
        f"{best.expected_seats():.2f} seats on average with this plan against "
        f"{best.expected_seats(planned=False):.2f} without one "
        f"(a gain of {best.gain:+.2f} ± {best.gain_error:.2f}).",
    ]
    most = min(standing, seats)
    lines.append(
        f"The chance of winning {most} seat{'s' if most != 1 else ''} goes from "
        f"{_percent(best.seat_chances(planned=False)[most])} to "
        f"{_percent(best.seat_chances()[most])}."
    )
    lines.append(
        f"Plans tried (expected seats): {tried}; no plan "
        f"{best.expected_seats(planned=False):.2f}. The {label} plan {why}."
    )
    if best.gain < NEAR:
        lines.append(
            "No plan gains more than 0.05 seats here: the forecast cannot tell this plan's "
            "effect from chance, so a plan may not be worth the effort of telling people."
        )
    return "\n".join(lines)
