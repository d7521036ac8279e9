"""Calibration: the voter model's parameters fitted to a past election.

From a ballot file (BLT and the engine's other formats) every parameter of the voter model is
fitted: each slate's share and loyalty, each candidate's popularity, and the ranking lengths.
From a published count sheet (the JSON the engine writes) only first preferences and
transfers are known, so shares and popularity are fitted to the first preferences, loyalty is
read from the transfers, and ranking lengths keep their defaults (the report says so).

Fitting is by simulation, with the forecasts' own voter model: draw ballots with the current
parameters, compare a handful of statistics with the source's, nudge each parameter towards
its statistic, and repeat with the same seed (so the steps are not noise). The statistics:

* **first preferences** of every candidate (popularity, and each slate's share);
* **loyalty**: the share of a slate's first-preference ballots that rank the whole slate
  before anyone else;
* **soft support**: among a slate's other first-preference ballots, the share whose second
  preference stays on the slate (slate voters who are not loyal against unaligned voters);
* **lengths**: how often a loyal ballot stops at the slate's end, and the mean length and
  full-ranking share of the others.

The fit report compares the source with ballots simulated from the fitted model: first
preferences by candidate, and where each slate's first-preference ballots go next
(transfers), each with a total variation distance (0 identical, 1 disjoint).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from grassroots.count.profile import PAD, Profile
from grassroots.forecast.scenario import (
    Candidate,
    Ranking,
    Scenario,
    ScenarioError,
    Slate,
)
from grassroots.synthetic import ElectionModel, draw_ballots

NONE = "(none)"  # a ballot with no next preference
SIM_BALLOTS = 100_000  # ballots drawn per fitting step
STEPS = 30


def read_slates(path: str | Path) -> dict[str, list[str]]:
    """A slates file: ``{"Slate": ["candidate", ...], ...}`` (JSON), checked for shape."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ScenarioError(f"cannot read the file ({err.strerror})", path=where) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ScenarioError(f"not JSON text: {err}", path=where) from err
    return slates_from_mapping(data, path=where)


def slates_from_mapping(data: Any, *, path: str | None = None) -> dict[str, list[str]]:
    if not isinstance(data, Mapping) or not data:
        raise ScenarioError('must look like {"Slate": ["candidate", ...]}', path=path)
    for name, members in data.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ScenarioError("must be a list of candidates' names", field=str(name), path=path)
    return {str(k): list(v) for k, v in data.items()}


def slates_from_names(candidates: Sequence[str]) -> dict[str, list[str]]:
    """Slates read from names such as ``"Jane Smith (SNP)"``: the party in brackets."""
    slates: dict[str, list[str]] = {}
    for name in candidates:
        if name.endswith(")") and "(" in name:
            party = name[name.rindex("(") + 1 : -1].strip()
            if party:
                slates.setdefault(party, []).append(name)
    return slates


@dataclass(frozen=True)
class Ballots:
    """Rankings as the statistics read them: ``(n, width)`` candidate indices, PAD-padded."""

    rankings: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Statistics:
    """What the fit matches, for one set of ballots (see the module's docstring)."""

    first: npt.NDArray[np.float64]  # by candidate
    loyal: npt.NDArray[np.float64]  # by slate: share of its first preferences, whole slate first
    loyal_mass: npt.NDArray[np.float64]  # by slate: ballots ranking it whole first, of all
    soft_mass: npt.NDArray[np.float64]  # by slate: others starting with two of it, of all
    inflow: npt.NDArray[np.float64]  # by slate: ballots second for it but not first, of all
    stop: float
    mean_length: float
    full: float
    transfers: npt.NDArray[np.float64]  # (groups, groups + 1): next preference by first's group


def _statistics(ballots: Ballots, group: npt.NDArray[np.int64], sizes: Sequence[int]) -> Statistics:
    """The statistics of ``ballots``; ``group`` is each candidate's slate (independents last)."""
    n_slates = len(sizes)
    n_groups = int(group.max()) + 1 if group.size else 0
    n_groups = max(n_groups, n_slates + 1)
    c = group.size
    rank = ballots.rankings
    w = ballots.weights
    length = (rank != PAD).sum(axis=1)
    voted = length > 0
    rank, w, length = rank[voted], w[voted], length[voted]
    table = np.append(group, -1)  # PAD (-1) looks up the last entry: no group
    of = table[rank]
    total = float(w.sum()) or 1.0
    first = np.bincount(rank[:, 0], weights=w, minlength=c) / total
    loyal = np.zeros(n_slates)
    loyal_mass = np.zeros(n_slates)
    soft_mass = np.zeros(n_slates)
    inflow = np.zeros(n_slates)
    complete_any = np.zeros(rank.shape[0], dtype=bool)
    at_end = np.zeros(rank.shape[0], dtype=bool)
    for s, size in enumerate(sizes):
        starts = of[:, 0] == s
        if size > rank.shape[1]:
            complete = np.zeros(rank.shape[0], dtype=bool)
        else:
            complete = starts & (of[:, :size] == s).all(axis=1)
        complete_any |= complete
        at_end |= complete & (length == size)
        weight = float(w[starts].sum())
        loyal[s] = float(w[complete].sum()) / weight if weight else 0.0
        loyal_mass[s] = float(w[complete].sum()) / total
        rest = starts & ~complete & (length >= 2)
        soft_mass[s] = float(w[rest & (of[:, 1] == s)].sum()) / total
        if rank.shape[1] > 1:
            inflow[s] = float(w[~starts & (of[:, 1] == s)].sum()) / total
    weight = float(w[complete_any].sum())
    stop = float(w[at_end].sum()) / weight if weight else 0.0
    others = ~complete_any
    weight = float(w[others].sum())
    full = float(w[others & (length >= c)].sum()) / weight if weight else 0.0
    short = others & (length < c)
    weight = float(w[short].sum())
    mean_length = float((w[short] * length[short]).sum()) / weight if weight else 1.0
    transfers = np.zeros((n_groups, n_groups + 1))
    nxt = np.where(length >= 2, of[:, 1] if rank.shape[1] > 1 else -1, -1)
    nxt = np.where(nxt < 0, n_groups, nxt)
    np.add.at(transfers, (of[:, 0], nxt), w)
    rows = transfers.sum(axis=1, keepdims=True)
    transfers = np.divide(transfers, rows, out=np.zeros_like(transfers), where=rows > 0)
    return Statistics(
        first, loyal, loyal_mass, soft_mass, inflow, stop, mean_length, full, transfers
    )


@dataclass
class _Parameters:
    share: npt.NDArray[np.float64]  # by slate
    loyalty: npt.NDArray[np.float64]
    strength: npt.NDArray[np.float64]  # by candidate
    mean_length: float = 5.0
    stop: float = 0.6
    full: float = 0.1


def _model(
    names: Sequence[str], group: npt.NDArray[np.int64], sizes: Sequence[int], p: _Parameters
) -> ElectionModel:
    n_slates = len(sizes)
    shares = np.append(p.share, max(0.0, 1.0 - float(p.share.sum())))
    return ElectionModel(
        names=tuple(names),
        gender=("",) * len(names),
        slate=np.where(group < n_slates, group, -1),
        slate_sizes=np.asarray(sizes, dtype=np.int64),
        strength=p.strength,
        faction_share=shares / shares.sum(),
        loyalty=p.loyalty,
        stop_at_slate_end=p.stop,
        mean_length=p.mean_length,
        full_ranking_share=p.full,
    )


def _simulated(
    names: Sequence[str],
    group: npt.NDArray[np.int64],
    sizes: Sequence[int],
    p: _Parameters,
    *,
    seed: int,
    n: int = SIM_BALLOTS,
) -> Ballots:
    order, length = draw_ballots(_model(names, group, sizes, p), np.random.default_rng(seed), n)
    rankings = np.where(np.arange(order.shape[1])[None, :] < length[:, None], order, PAD)
    return Ballots(rankings.astype(np.int32), np.ones(n))


def _ratio(observed: float, simulated: float) -> float:
    """A bounded multiplicative step towards ``observed``."""
    if observed <= 0 or simulated <= 0:
        return 1.0
    return float(min(2.0, max(0.5, observed / simulated)))


def _fit(
    names: Sequence[str],
    group: npt.NDArray[np.int64],
    sizes: Sequence[int],
    target: Statistics,
    *,
    lengths: bool,
    loyalty: npt.NDArray[np.float64] | None,
    seed: int,
) -> _Parameters:
    """Parameters whose simulated statistics match ``target`` (see the module's docstring).

    ``lengths`` false: the ranking lengths are not known and keep their defaults.
    ``loyalty`` given: it is kept (read from a count sheet's transfers), not fitted.
    """
    n_slates = len(sizes)
    first = np.maximum(target.first, 1e-6)
    slate_first = np.array([target.first[group == s].sum() for s in range(n_slates)])
    p = _Parameters(
        share=np.minimum(slate_first, 0.98 / max(n_slates, 1)) * 0.9,
        loyalty=(
            np.where(np.asarray(sizes) > 1, np.clip(target.loyal, 0.05, 0.95), 0.6)
            if loyalty is None
            else np.asarray(loyalty, float)
        ),
        strength=np.log(first) - float(np.log(first).mean()),
    )
    if lengths:
        p.mean_length = max(1.0, target.mean_length)
        p.stop = float(np.clip(target.stop, 0.0, 1.0))
        p.full = float(np.clip(target.full, 0.0, 1.0))
    for step in range(STEPS):
        got = _statistics(_simulated(names, group, sizes, p, seed=seed), group, sizes)
        damp = 1.0 if step < STEPS // 2 else 0.5
        change = np.log(first / np.maximum(got.first, 1e-6))
        for s in range(n_slates):
            members = group == s
            # Within a slate, popularity follows first preferences; the slate's level, its
            # loyal and its soft voters follow the three statistics that tell them apart.
            level = float(change[members].mean())
            change[members] -= level
            loyal_voters = p.share[s] * p.loyalty[s]
            soft_voters = p.share[s] * (1.0 - p.loyalty[s])
            if loyalty is None and sizes[s] > 2:
                loyal_voters *= _ratio(target.loyal_mass[s], got.loyal_mass[s]) ** damp
                soft_voters *= _ratio(target.soft_mass[s], got.soft_mass[s]) ** damp
                p.share[s] = loyal_voters + soft_voters
                p.loyalty[s] = loyal_voters / p.share[s] if p.share[s] > 0 else 0.0
                change[members] += math.log(_ratio(target.inflow[s], got.inflow[s]))
            else:
                # Two candidates or fewer: a soft voter ranking both first looks loyal, so the
                # share follows first preferences and loyalty the whole-slate-first share.
                have = float(got.first[members].sum())
                want = float(target.first[members].sum())
                p.share[s] *= _ratio(want, have) ** damp
                change[members] += level
                if loyalty is None and sizes[s] == 2:
                    p.loyalty[s] = float(
                        np.clip(p.loyalty[s] + damp * (target.loyal[s] - got.loyal[s]), 0.0, 1.0)
                    )
        p.strength = p.strength + damp * change
        p.strength -= float(p.strength.mean())
        total = float(p.share.sum())
        if total > 0.99:
            p.share *= 0.99 / total
        if lengths:
            p.mean_length = max(1.0, p.mean_length * _ratio(target.mean_length, got.mean_length))
            p.stop = float(np.clip(p.stop + damp * (target.stop - got.stop), 0.0, 1.0))
            p.full = float(np.clip(p.full * _ratio(target.full, got.full) ** damp, 0.0, 1.0))
    return p


@dataclass(frozen=True)
class Calibration:
    """A fitted scenario and how well the model's ballots match the source's."""

    scenario: Scenario
    source: str  # "ballots" or "count sheet"
    ballots: int
    names: tuple[str, ...]
    groups: tuple[str, ...]  # the slates' names, then "independent"
    observed: Statistics
    simulated: Statistics
    fitted: tuple[str, ...] = field(default=())  # what was fitted, in words
    kept: tuple[str, ...] = field(default=())  # what was not (defaults kept), in words

    @property
    def first_distance(self) -> float:
        """Total variation distance between the first preferences (0 to 1)."""
        return 0.5 * float(np.abs(self.observed.first - self.simulated.first).sum())

    @property
    def transfer_distance(self) -> float:
        """Mean total variation distance between next-preference rows, weighted by first
        preferences; ``nan`` when the source has no transfers (a count sheet's are per stage).
        """
        if self.source != "ballots":
            return math.nan
        n = len(self.groups)
        weight = np.array(
            [
                self.observed.first[[i for i, g in enumerate(self._group) if g == k]].sum()
                for k in range(n)
            ]
        )
        rows = 0.5 * np.abs(self.observed.transfers - self.simulated.transfers).sum(axis=1)
        return float((weight * rows[:n]).sum() / max(float(weight.sum()), 1e-12))

    @property
    def _group(self) -> list[int]:
        slate_of = {c.name: i for i, s in enumerate(self.scenario.slates) for c in s.candidates}
        return [slate_of.get(name, len(self.scenario.slates)) for name in self.names]

    def first_table(self) -> list[tuple[str, str, float, float]]:
        """Rows of (candidate, slate, source's share, model's share) of first preferences."""
        group = self._group
        return [
            (
                name,
                self.groups[group[i]],
                float(self.observed.first[i]),
                float(self.simulated.first[i]),
            )
            for i, name in enumerate(self.names)
        ]

    def transfer_table(self) -> list[tuple[str, str, float, float]]:
        """Rows of (first preference's slate, next preference's slate or "(none)", source's
        share, model's share)."""
        if self.source != "ballots":
            return []
        targets = [*self.groups, NONE]
        rows = []
        for k, origin in enumerate(self.groups):
            for t, target in enumerate(targets):
                rows.append(
                    (
                        origin,
                        target,
                        float(self.observed.transfers[k, t]),
                        float(self.simulated.transfers[k, t]),
                    )
                )
        return rows

    def to_mapping(self) -> dict[str, Any]:
        def rounded(value: float) -> float | None:
            return None if math.isnan(value) else round(value, 4)

        return {
            "source": self.source,
            "ballots": self.ballots,
            "fitted": list(self.fitted),
            "kept": list(self.kept),
            "first_preferences": [
                {"candidate": n, "slate": g, "source": round(a, 4), "model": round(b, 4)}
                for n, g, a, b in self.first_table()
            ],
            "transfers": [
                {"from": a, "to": b, "source": round(x, 4), "model": round(y, 4)}
                for a, b, x, y in self.transfer_table()
            ],
            "first_distance": round(self.first_distance, 4),
            "transfer_distance": rounded(self.transfer_distance),
        }


def _layout(
    candidates: Sequence[str], slates: Mapping[str, Sequence[str]]
) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Each candidate's group (slate index, independents after the slates) and slate sizes."""
    known = set(candidates)
    where: dict[str, int] = {}
    for s, (slate, members) in enumerate(slates.items()):
        for name in members:
            if name not in known:
                raise ScenarioError(f'"{name}" is not a candidate in the source', field=slate)
            if name in where:
                raise ScenarioError(f'"{name}" is on two slates', field=slate)
            where[name] = s
    if not where:
        raise ScenarioError("no slate has a candidate", field="slates")
    group = np.array([where.get(c, len(slates)) for c in candidates], dtype=np.int64)
    sizes = [int((group == s).sum()) for s in range(len(slates))]
    return group, sizes


def _scenario(
    title: str,
    seats: int,
    *,
    candidates: Sequence[str],
    slates: Mapping[str, Sequence[str]],
    group: npt.NDArray[np.int64],
    p: _Parameters,
    categories: Mapping[str, str],
    voters: int,
) -> Scenario:
    """The fitted scenario; each slate lists its candidates most liked first."""
    strength = {name: float(p.strength[i]) for i, name in enumerate(candidates)}

    def candidate(name: str) -> Candidate:
        return Candidate(name, categories.get(name, ""), round(strength[name], 3))

    slate_list = []
    for s, slate in enumerate(slates):
        members = sorted(
            (c for i, c in enumerate(candidates) if group[i] == s), key=lambda n: -strength[n]
        )
        slate_list.append(
            Slate(
                name=slate,
                share=round(float(p.share[s]), 4),
                loyalty=round(float(p.loyalty[s]), 4),
                candidates=tuple(candidate(n) for n in members),
            )
        )
    independents = tuple(candidate(c) for i, c in enumerate(candidates) if group[i] == len(slates))
    return Scenario(
        seats=seats,
        slates=tuple(slate_list),
        independents=independents,
        voters=min(max(voters, 1), 200_000),
        ranking=Ranking(
            mean_length=round(p.mean_length, 3),
            stop_at_slate_end=round(p.stop, 4),
            full_ranking_share=round(p.full, 4),
        ),
        title=title,
    ).check()


def calibrate_profile(
    profile: Profile, slates: Mapping[str, Sequence[str]] | None = None, *, seed: int = 1
) -> Calibration:
    """Fit the voter model to a ballot file's ballots (see the module's docstring).

    Without ``slates``, slates are read from names such as ``"Jane Smith (SNP)"``.
    """
    candidates = profile.candidates
    slates = dict(slates) if slates else slates_from_names(candidates)
    if not slates:
        raise ScenarioError(
            "say which candidates stand for which slate (a slates file), or name them "
            '"Name (Slate)"',
            field="slates",
        )
    group, sizes = _layout(candidates, slates)
    width = len(candidates)
    rankings = np.full((profile.rankings.shape[0], width), PAD, dtype=np.int32)
    used = min(width, profile.rankings.shape[1])
    rankings[:, :used] = profile.rankings[:, :used]
    source = Ballots(rankings, profile.weights.astype(np.float64))
    target = _statistics(source, group, sizes)
    p = _fit(candidates, group, sizes, target, lengths=True, loyalty=None, seed=seed)
    simulated = _statistics(_simulated(candidates, group, sizes, p, seed=seed + 1), group, sizes)
    categories = (
        dict(zip(candidates, profile.categories, strict=True)) if profile.categories else {}
    )
    scenario = _scenario(
        profile.title,
        profile.seats,
        candidates=candidates,
        slates=slates,
        group=group,
        p=p,
        categories=categories,
        voters=profile.n_ballots,
    )
    return Calibration(
        scenario=scenario,
        source="ballots",
        ballots=profile.n_ballots,
        names=tuple(candidates),
        groups=(*slates, "independent"),
        observed=target,
        simulated=simulated,
        fitted=(
            "slate shares and candidates' popularity (first preferences)",
            "loyalty (ballots ranking the whole slate first)",
            "ranking lengths",
        ),
        kept=tuple(
            f"{name}'s loyalty (one candidate: loyal and other voters look alike): 0.6"
            for name, size in zip(slates, sizes, strict=True)
            if size == 1
        ),
    )


def _sheet_loyalty(
    sheet: Mapping[str, Any], slates: Mapping[str, Sequence[str]]
) -> dict[str, float | None]:
    """Per slate: the share of votes transferred from its candidates that stayed on the slate,
    over the stages where another of its candidates was still in the count."""
    slate_of = {name: s for s, members in slates.items() for name in members}
    kept = dict.fromkeys(slates, Decimal(0))
    moved = dict.fromkeys(slates, Decimal(0))
    gone: set[str] = set()
    for stage in sheet.get("stages", []):
        for transfer in stage.get("transfers", []):
            source = transfer.get("from")
            slate = slate_of.get(source)
            if slate is None:
                continue
            others = [n for n in slates[slate] if n != source and n not in gone]
            if not others:
                continue
            votes = Decimal(str(transfer.get("votes", "0")))
            moved[slate] += votes
            if slate_of.get(transfer.get("to")) == slate:
                kept[slate] += votes
        gone |= set(stage.get("elected", [])) | set(stage.get("excluded", []))
    return {s: (float(kept[s] / moved[s]) if moved[s] > 0 else None) for s in slates}


def calibrate_sheet(
    sheet: Mapping[str, Any], slates: Mapping[str, Sequence[str]] | None = None, *, seed: int = 1
) -> Calibration:
    """Fit the voter model to a published count sheet (the engine's JSON result)."""
    try:
        candidates = [str(c) for c in sheet["candidates"]]
        first_stage = sheet["stages"][0]
        votes = [float(Decimal(str(first_stage["votes"].get(c, "0")))) for c in candidates]
        seats = int(sheet["seats"])
        ballots = int(sheet.get("valid_ballots") or round(sum(votes)))
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError) as err:
        raise ScenarioError(
            f"not a count sheet (the JSON of `grassroots count --format json`): {err}"
        ) from err
    slates = dict(slates) if slates else slates_from_names(candidates)
    if not slates:
        raise ScenarioError(
            "say which candidates stand for which slate (a slates file)", field="slates"
        )
    group, sizes = _layout(candidates, slates)
    total = sum(votes) or 1.0
    observed_first = np.array(votes) / total
    read = _sheet_loyalty(sheet, slates)
    loyalty = np.array([0.6 if read[s] is None else read[s] for s in slates], dtype=np.float64)
    ranking = Ranking()
    target = Statistics(
        first=observed_first,
        loyal=np.zeros(len(sizes)),
        loyal_mass=np.zeros(len(sizes)),
        soft_mass=np.zeros(len(sizes)),
        inflow=np.zeros(len(sizes)),
        stop=ranking.stop_at_slate_end,
        mean_length=ranking.mean_length,
        full=ranking.full_ranking_share,
        transfers=np.zeros((len(sizes) + 1, len(sizes) + 2)),
    )
    p = _fit(candidates, group, sizes, target, lengths=False, loyalty=loyalty, seed=seed)
    simulated = _statistics(_simulated(candidates, group, sizes, p, seed=seed + 1), group, sizes)
    categories = {str(k): str(v) for k, v in (sheet.get("categories") or {}).items()}
    scenario = _scenario(
        str(sheet.get("title", "")),
        seats,
        candidates=candidates,
        slates=slates,
        group=group,
        p=p,
        categories=categories,
        voters=ballots,
    )
    quotas = sheet.get("quotas") or {}
    rule = str(sheet.get("rule", "scottish"))
    if quotas or rule != scenario.rule:
        scenario = replace(scenario, quotas={k: dict(v) for k, v in quotas.items()}, rule=rule)
        scenario.check()
    missing = [s for s in slates if read[s] is None]
    return Calibration(
        scenario=scenario,
        source="count sheet",
        ballots=ballots,
        names=tuple(candidates),
        groups=(*slates, "independent"),
        observed=target,
        simulated=simulated,
        fitted=(
            "slate shares and candidates' popularity (first preferences)",
            "loyalty (transfers from a slate's candidates kept on the slate)",
        ),
        kept=(
            "ranking lengths (a count sheet does not show them): the defaults",
            *(f"{s}'s loyalty (no transfer from it while it had others in): 0.6" for s in missing),
        ),
    )


def calibrate_file(
    path: str | Path, slates: Mapping[str, Sequence[str]] | None = None, *, seed: int = 1
) -> Calibration:
    """Calibrate from a ballot file or, for a ``.json`` file, a count sheet."""
    where = Path(path)
    if where.suffix.lower() == ".json":
        try:
            sheet = json.loads(where.read_text(encoding="utf-8"))
        except OSError as err:
            raise ScenarioError(f"cannot read the file ({err.strerror})", path=str(path)) from err
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ScenarioError(f"not JSON text: {err}", path=str(path)) from err
        if not isinstance(sheet, Mapping):
            raise ScenarioError("a count sheet is a JSON object", path=str(path))
        return calibrate_sheet(sheet, slates, seed=seed)
    from grassroots.count.formats import read_profile

    return calibrate_profile(read_profile(where), slates, seed=seed)
