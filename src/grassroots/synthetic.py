"""Seeded, party-election-shaped ballots for tests, benchmarks and peer checks.

An internal party election (the reference is a Labour NEC constituency-section
ballot: 25 candidates, 9 seats) is contested by a few competing slates and a
handful of independents. This module draws such an election from one seed:

* **Candidates.** The slates come first, largest first (the biggest runs about
  as many candidates as there are seats), then independents. Candidates are
  listed on the paper in a shuffled order. Within a slate, genders alternate
  from a random start, so every slate is near-balanced; independents toss a coin.
* **Popularity.** Every candidate has a log-strength (name recognition) drawn
  from a normal distribution; ``popularity_spread`` 0 makes all equal.
* **Voters.** Each voter belongs to a slate's faction or is unaligned. A
  *loyal* faction voter ranks their whole slate first, then may go on into the
  other candidates; a *soft* one only favours their slate; rival slates are
  penalised for every aligned voter. Orders follow the Plackett-Luce model
  (each next choice in proportion to strength), drawn by sorting
  ``log-strength + Gumbel noise``, which gives exactly that distribution.
* **Length.** Rankings are partial: loyal voters often stop at the end of their
  slate; others rank a short list (geometric around ``mean_length``), and a
  few rank everyone.

Everything is numpy, and the ballots are drawn in fixed chunks from child
streams of the seed, so :func:`generate_profile` and :func:`write_blt_file`
give the same ballots for the same arguments.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from grassroots.count.profile import PAD, Profile

CHUNK = 50_000  # ballots drawn per child stream; part of the determinism contract

_WOMEN = (
    "Aisha", "Bethan", "Carys", "Delyth", "Eilidh", "Fiona", "Gwen", "Halima",
    "Isla", "Jasmine", "Kirsty", "Leanne", "Maryam", "Nerys", "Orla", "Petra",
    "Rosa", "Sunita", "Tegan", "Yvonne",
)  # fmt: skip
_MEN = (
    "Ade", "Bilal", "Ciaran", "Dafydd", "Emeka", "Fraser", "Gordon", "Hamza",
    "Idris", "Jamie", "Kenji", "Lewis", "Malik", "Niall", "Omar", "Pawel",
    "Ravi", "Stuart", "Tomasz", "Wyn",
)  # fmt: skip
_SURNAMES = (
    "Abbott", "Bhatti", "Chowdhury", "Dunlop", "Edwards", "Farrell", "Gallagher",
    "Hussain", "Igwe", "Jarvis", "Kaur", "Lennon", "McAllister", "Nowak",
    "Okafor", "Pritchard", "Rahman", "Sheridan", "Taylor", "Umar", "Varga",
    "Whitfield", "Yates", "Ashworth", "Brennan", "Cole", "Doherty", "Ferguson",
    "Greaves", "Holt",
)  # fmt: skip


@dataclass(frozen=True)
class ElectionModel:
    """The election-level draws: who stands, on which slate, and how voters lean.

    Arrays are indexed by candidate (ballot-paper order) or by faction
    (one per slate, then the unaligned).
    """

    names: tuple[str, ...]
    gender: tuple[str, ...]
    slate: npt.NDArray[np.int64]  # slate of each candidate, -1 for an independent
    slate_sizes: npt.NDArray[np.int64]
    strength: npt.NDArray[np.float64]  # log-strength (popularity) of each candidate
    faction_share: npt.NDArray[np.float64]  # n_slates + 1 shares summing to 1
    loyalty: npt.NDArray[np.float64]  # per slate: share of its faction who vote the slate first
    stop_at_slate_end: float
    mean_length: float
    full_ranking_share: float
    # Forecasts only: per slate, the share of its loyal voters who rank it in its own order
    # (a how-to-vote card), and each candidate's place on its slate (0 first). None: nobody.
    follow_order: npt.NDArray[np.float64] | None = None
    slate_rank: npt.NDArray[np.int64] | None = None
    # Forecasts only, vote management: one slate's loyal voters are split into groups (by
    # ``card_shares``), each told its own order of the slate (``card_rank[group, candidate]``:
    # the candidate's place on the group's card); ``card_follow`` of them follow it.
    card_slate: int = -1
    card_follow: float = 0.0
    card_shares: npt.NDArray[np.float64] | None = None
    card_rank: npt.NDArray[np.int64] | None = None

    @property
    def n_candidates(self) -> int:
        return len(self.names)

    @property
    def n_slates(self) -> int:
        return int(self.slate_sizes.shape[0])


def _slate_sizes(n_candidates: int, seats: int, n_slates: int) -> list[int]:
    """Slate sizes, largest first, leaving about one candidate in six independent."""
    independents = n_candidates // 6 if n_candidates >= 6 else 0
    room = n_candidates - independents
    sizes: list[int] = []
    for k in range(n_slates):
        wanted = max(1, seats - 2 * k)
        still_to_place = n_slates - k - 1
        size = max(1, min(wanted, room - still_to_place))
        sizes.append(size)
        room -= size
    return sizes


def _names(rng: np.random.Generator, gender: list[str]) -> tuple[str, ...]:
    """Unique names: a first name matching the gender, a surname used once (then numbered)."""
    women = [_WOMEN[i] for i in rng.permutation(len(_WOMEN))]
    men = [_MEN[i] for i in rng.permutation(len(_MEN))]
    surnames = [_SURNAMES[i] for i in rng.permutation(len(_SURNAMES))]
    names: list[str] = []
    n_women = n_men = 0
    for k, g in enumerate(gender):
        if g == "F":
            first, n_women = women[n_women % len(women)], n_women + 1
        else:
            first, n_men = men[n_men % len(men)], n_men + 1
        name = f"{first} {surnames[k % len(surnames)]}"
        names.append(name if k < len(surnames) else f"{name} {k + 1}")
    return tuple(names)


def build_model(
    rng: np.random.Generator,
    *,
    n_candidates: int,
    seats: int,
    n_slates: int,
    loyalty: float | None,
    popularity_spread: float,
    stop_at_slate_end: float,
    mean_length: float,
    full_ranking_share: float,
) -> ElectionModel:
    """Draw the election: slates, genders, names, popularity and voter factions."""
    sizes = _slate_sizes(n_candidates, seats, n_slates)
    slate_by_position = np.full(n_candidates, -1, dtype=np.int64)
    start = 0
    for s, size in enumerate(sizes):
        slate_by_position[start : start + size] = s
        start += size
    slate = slate_by_position[rng.permutation(n_candidates)]

    gender = ["M"] * n_candidates
    for s in range(n_slates):
        first_is_woman = bool(rng.integers(2))
        for k, c in enumerate(np.flatnonzero(slate == s).tolist()):
            gender[c] = "F" if (k % 2 == 0) == first_is_woman else "M"
    for c in np.flatnonzero(slate == -1).tolist():
        gender[c] = "F" if rng.random() < 0.5 else "M"

    names = _names(rng, gender)
    strength = rng.normal(0.0, popularity_spread, n_candidates)
    aligned = np.sort(rng.dirichlet(np.full(n_slates, 3.0)))[::-1]
    unaligned = rng.uniform(0.1, 0.3)
    shares = np.append(aligned * (1.0 - unaligned), unaligned)
    if loyalty is None:
        loyal = rng.uniform(0.45, 0.85, n_slates)
    else:
        loyal = np.full(n_slates, float(loyalty))
    return ElectionModel(
        names=names,
        gender=tuple(gender),
        slate=slate,
        slate_sizes=np.asarray(sizes, dtype=np.int64),
        strength=strength,
        faction_share=shares,
        loyalty=loyal,
        stop_at_slate_end=stop_at_slate_end,
        mean_length=mean_length,
        full_ranking_share=full_ranking_share,
    )


_SOFT_BONUS = 1.5  # log-strength added to a soft voter's own slate
_RIVAL_PENALTY = 0.8  # log-strength taken from rival slates for aligned voters
_SLATE_FIRST = 1.0e6  # lifts a loyal voter's own slate above everyone else
_ORDER_STEP = 1.0e3  # orders the slate by its own list, far beyond popularity and noise


def draw_ballots(
    model: ElectionModel, rng: np.random.Generator, n: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Draw ``n`` ballots: full orders ``(n, candidates)`` and how many places each uses."""
    c, s = model.n_candidates, model.n_slates
    faction = rng.choice(s + 1, size=n, p=model.faction_share)
    in_slate = faction < s
    faction_slate = np.where(in_slate, faction, -1)
    loyal = in_slate & (rng.random(n) < model.loyalty[np.minimum(faction, s - 1)])
    follows = None
    # No extra draw unless someone follows an order: the same ballots as before it existed.
    if model.follow_order is not None and (model.follow_order > 0).any():
        follows = loyal & (rng.random(n) < model.follow_order[np.minimum(faction, s - 1)])

    own = (model.slate[None, :] == faction_slate[:, None]) & in_slate[:, None]
    rival = (model.slate[None, :] >= 0) & ~own & in_slate[:, None]
    keys = model.strength[None, :] + rng.gumbel(size=(n, c))
    keys -= _RIVAL_PENALTY * rival
    keys += np.where(own & ~loyal[:, None], _SOFT_BONUS, 0.0)
    keys += np.where(own & loyal[:, None], _SLATE_FIRST, 0.0)
    if follows is not None and model.slate_rank is not None:
        in_order = _ORDER_STEP * (c - model.slate_rank)[None, :]
        keys += np.where(own & follows[:, None], in_order, 0.0)

    # Ordinary voters: a geometric short list, or (a few) everyone.
    p = 1.0 / max(model.mean_length, 1.0)
    length = rng.geometric(p, size=n)
    length = np.where(rng.random(n) < model.full_ranking_share, c, length)
    # Loyal voters: the slate, then often stop; otherwise a few more.
    slate_len = np.append(model.slate_sizes, 0)[faction]
    more = np.where(rng.random(n) < model.stop_at_slate_end, 0, rng.geometric(0.4, size=n))
    length = np.where(loyal, slate_len + more, length)

    # Cards are drawn last, and only when there are some: every earlier draw is the same with
    # a plan as without, so a plan's forecast differs from no plan's only by the cards followed.
    if model.card_shares is not None and model.card_rank is not None and model.card_follow > 0:
        carded = loyal & (faction == model.card_slate) & (rng.random(n) < model.card_follow)
        bounds = np.cumsum(model.card_shares)
        group = np.minimum(
            np.searchsorted(bounds, rng.random(n) * bounds[-1], side="right"), bounds.size - 1
        )
        on_card = _ORDER_STEP * (c - model.card_rank[group])
        keys += np.where(own & carded[:, None], on_card, 0.0)
    order = np.argsort(-keys, axis=1, kind="stable").astype(np.int32)
    return order, np.clip(length, 1, c).astype(np.int64)


@dataclass(frozen=True)
class _Plan:
    model: ElectionModel
    seed: int
    n_ballots: int

    def chunks(self) -> Iterator[tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]]:
        """Ballots in chunks of :data:`CHUNK`, each from its own child stream of the seed."""
        done = 0
        index = 0
        while done < self.n_ballots:
            n = min(CHUNK, self.n_ballots - done)
            yield draw_ballots(self.model, np.random.default_rng([self.seed, 1, index]), n)
            done += n
            index += 1


def _plan(
    *,
    n_ballots: int,
    n_candidates: int,
    seats: int,
    n_slates: int,
    seed: int,
    loyalty: float | None,
    popularity_spread: float,
    stop_at_slate_end: float,
    mean_length: float,
    full_ranking_share: float,
) -> _Plan:
    if n_ballots < 0:
        raise ValueError(f"n_ballots must not be negative, got {n_ballots}")
    if n_candidates < 1 or not 1 <= seats <= n_candidates:
        raise ValueError(
            f"need 1 <= seats <= candidates, got {seats} seats and {n_candidates} candidates"
        )
    if not 1 <= n_slates <= n_candidates:
        raise ValueError(f"n_slates must be between 1 and {n_candidates}, got {n_slates}")
    if loyalty is not None and not 0.0 <= loyalty <= 1.0:
        raise ValueError(f"loyalty must be between 0 and 1, got {loyalty}")
    model = build_model(
        np.random.default_rng([seed, 0]),
        n_candidates=n_candidates,
        seats=seats,
        n_slates=n_slates,
        loyalty=loyalty,
        popularity_spread=popularity_spread,
        stop_at_slate_end=stop_at_slate_end,
        mean_length=mean_length,
        full_ranking_share=full_ranking_share,
    )
    return _Plan(model=model, seed=seed, n_ballots=n_ballots)


def _title(n_ballots: int, n_candidates: int, seats: int, seed: int) -> str:
    return (
        f"Synthetic party election: {n_ballots} ballots, {n_candidates} candidates, "
        f"{seats} seats, seed {seed}"
    )


def generate_profile(
    *,
    n_ballots: int,
    n_candidates: int = 25,
    seats: int = 9,
    n_slates: int = 3,
    seed: int,
    loyalty: float | None = None,
    popularity_spread: float = 0.6,
    stop_at_slate_end: float = 0.6,
    mean_length: float = 5.0,
    full_ranking_share: float = 0.1,
) -> tuple[Profile, dict[str, str]]:
    """A party-election-shaped profile and each candidate's gender ("F" or "M").

    Args:
        n_ballots: how many ballots to draw.
        n_candidates: candidates on the paper.
        seats: seats to fill.
        n_slates: competing slates (each gets at least one candidate).
        seed: the one seed everything is drawn from.
        loyalty: share of each faction that ranks its own slate first; ``None``
            draws one per slate between 0.45 and 0.85.
        popularity_spread: standard deviation of candidates' log-strength
            (0: all equally popular, which makes ties likely in small elections).
        stop_at_slate_end: chance that a loyal voter stops after their slate.
        mean_length: mean length of an ordinary voter's ranking.
        full_ranking_share: share of ordinary voters who rank every candidate.

    >>> profile, gender = generate_profile(n_ballots=100, n_candidates=6, seats=2, seed=1)
    >>> profile.n_ballots, len(profile.candidates), sorted(set(gender.values()))
    (100, 6, ['F', 'M'])
    """
    plan = _plan(
        n_ballots=n_ballots,
        n_candidates=n_candidates,
        seats=seats,
        n_slates=n_slates,
        seed=seed,
        loyalty=loyalty,
        popularity_spread=popularity_spread,
        stop_at_slate_end=stop_at_slate_end,
        mean_length=mean_length,
        full_ranking_share=full_ranking_share,
    )
    parts: list[npt.NDArray[np.int32]] = []
    for order, length in plan.chunks():
        padded = order.copy()
        padded[np.arange(n_candidates)[None, :] >= length[:, None]] = PAD
        parts.append(padded)
    rankings = np.concatenate(parts) if parts else np.full((0, n_candidates), PAD, dtype=np.int32)
    profile = Profile(
        candidates=plan.model.names,
        seats=seats,
        rankings=rankings,
        weights=np.ones(rankings.shape[0], dtype=np.int64),
        title=_title(n_ballots, n_candidates, seats, seed),
    ).aggregated()
    return profile, dict(zip(plan.model.names, plan.model.gender, strict=True))


def _ballot_bytes(order: npt.NDArray[np.int32], length: npt.NDArray[np.int64]) -> bytes:
    """BLT lines ``1 a b c 0`` for a chunk, built as one byte array (no per-ballot Python).

    Each preference is a fixed-width cell such as ``b"\\0 7"`` (a space, the
    1-based number, right-aligned with NUL fill); cells past a ballot's length
    become all NUL, and every NUL is dropped at the end.
    """
    n, c = order.shape
    digits = len(str(c))
    width = digits + 1
    table = np.zeros((c, width), dtype=np.uint8)
    for k in range(c):
        text = f" {k + 1}".encode("ascii")
        table[k, width - len(text) :] = np.frombuffer(text, dtype=np.uint8)
    cells = table[order]  # (n, c, width)
    cells[np.arange(c)[None, :] >= length[:, None]] = 0
    head = np.full((n, 1), ord("1"), dtype=np.uint8)
    tail = np.frombuffer(b" 0\n", dtype=np.uint8)
    lines = np.concatenate(
        [head, cells.reshape(n, c * width), np.broadcast_to(tail, (n, tail.size))], axis=1
    )
    flat = lines.reshape(-1)
    kept: bytes = flat[flat != 0].tobytes()
    return kept


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gender_path(path: str | Path) -> Path:
    """The gender side file of a BLT file: ``ward.blt`` → ``ward.gender.json``."""
    return Path(path).with_suffix(".gender.json")


def write_blt_file(
    path: str | Path,
    *,
    n_ballots: int,
    n_candidates: int = 25,
    seats: int = 9,
    n_slates: int = 3,
    seed: int,
    loyalty: float | None = None,
    popularity_spread: float = 0.6,
    stop_at_slate_end: float = 0.6,
    mean_length: float = 5.0,
    full_ranking_share: float = 0.1,
) -> Path:
    """Stream the same ballots as :func:`generate_profile` to a BLT file, one line per ballot.

    Writes the gender side file next to it (see :func:`gender_path`) and
    returns its path. Memory stays at one chunk, so a million ballots are fine.
    """
    plan = _plan(
        n_ballots=n_ballots,
        n_candidates=n_candidates,
        seats=seats,
        n_slates=n_slates,
        seed=seed,
        loyalty=loyalty,
        popularity_spread=popularity_spread,
        stop_at_slate_end=stop_at_slate_end,
        mean_length=mean_length,
        full_ranking_share=full_ranking_share,
    )
    target = Path(path)
    with target.open("wb") as out:
        out.write(f"{n_candidates} {seats}\n".encode("ascii"))
        for order, length in plan.chunks():
            out.write(_ballot_bytes(order, length))
        out.write(b"0\n")
        for name in plan.model.names:
            out.write((_quoted(name) + "\n").encode("utf-8"))
        out.write((_quoted(_title(n_ballots, n_candidates, seats, seed)) + "\n").encode("utf-8"))
    side = gender_path(target)
    side.write_text(
        json.dumps(dict(zip(plan.model.names, plan.model.gender, strict=True)), indent=1) + "\n",
        encoding="utf-8",
    )
    return side


__all__ = [
    "CHUNK",
    "ElectionModel",
    "build_model",
    "draw_ballots",
    "gender_path",
    "generate_profile",
    "write_blt_file",
]
