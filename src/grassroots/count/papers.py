"""Ballot papers in the candidates' piles, for the transfer-based rules.

Papers with the same ranking always travel together under Gregory-style
rules (they sit in the same pile and move in the same transfer, at the same
value), so the state is kept per distinct ranking: where in the ranking the
papers now stand, whom they count for, and their value per paper. Each
candidate's pile is a list of parcels in the order they arrived, so a
transfer touches only the papers that move.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from grassroots.count.profile import PAD

EXHAUSTED = -1

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Parcel:
    """Papers (distinct-ranking rows) that reached a candidate in one stage."""

    groups: IntArray
    stage: int


@dataclass(frozen=True)
class Movement:
    """The outcome of moving papers on: credit per candidate and what exhausted."""

    credits: IntArray  # scaled votes gained, per candidate
    exhausted: int  # scaled value of papers with no further continuing preference
    papers_to: IntArray  # number of papers gained, per candidate
    papers_exhausted: int


class Papers:
    """Where every distinct ranking's papers are, and at what value per paper."""

    def __init__(
        self,
        rankings: npt.NDArray[np.int32],
        weights: npt.NDArray[np.int64],
        n_candidates: int,
    ) -> None:
        self.rankings = rankings
        self.weights = weights.astype(np.int64)
        self.n_candidates = n_candidates
        n = rankings.shape[0]
        self.pos = np.zeros(n, dtype=np.int64)
        self.value = np.zeros(n, dtype=np.int64)
        self.holder = np.full(n, EXHAUSTED, dtype=np.int64)
        self.piles: list[list[Parcel]] = [[] for _ in range(n_candidates)]

    def _advance(self, groups: IntArray, continuing: npt.NDArray[np.bool_]) -> IntArray:
        """Move each group's pointer to its next continuing preference; return holders."""
        width = self.rankings.shape[1]
        # continuing has one extra False slot at the end so that PAD (-1) indexes it.
        holders = np.full(groups.shape[0], EXHAUSTED, dtype=np.int64)
        pos = self.pos[groups]
        active = np.arange(groups.shape[0])
        while active.size:
            p = pos[active]
            inside = p < width
            cand = np.full(active.shape[0], PAD, dtype=np.int64)
            cand[inside] = self.rankings[groups[active[inside]], p[inside]]
            ended = cand == PAD
            found = ~ended & continuing[cand]
            holders[active[found]] = cand[found]
            keep = ~ended & ~found
            pos[active[keep]] += 1
            active = active[keep]
        self.pos[groups] = pos
        return holders

    def move(
        self,
        groups: IntArray,
        values: IntArray,
        continuing: npt.NDArray[np.bool_],
        stage: int,
        *,
        skip_current: bool,
    ) -> Movement:
        """Give ``groups`` their new per-paper ``values`` and pass them on.

        With ``skip_current`` the papers leave their present holder first
        (a transfer); without it they go to their first continuing preference
        (the first stage).
        """
        if skip_current:
            self.pos[groups] += 1
        self.value[groups] = values
        holders = self._advance(groups, continuing)
        self.holder[groups] = holders
        amounts = self.weights[groups] * values
        credits = np.zeros(self.n_candidates, dtype=np.int64)
        papers_to = np.zeros(self.n_candidates, dtype=np.int64)
        live = holders != EXHAUSTED
        np.add.at(credits, holders[live], amounts[live])
        np.add.at(papers_to, holders[live], self.weights[groups][live])
        dead = ~live
        # Append each receiving candidate's new parcel in one pass over the movers.
        if live.any():
            moving = groups[live]
            to = holders[live]
            order = np.argsort(to, kind="stable")
            to_sorted = to[order]
            bounds = np.flatnonzero(np.diff(to_sorted)) + 1
            for chunk in np.split(order, bounds):
                self.piles[int(to[chunk[0]])].append(Parcel(moving[chunk], stage))
        return Movement(
            credits=credits,
            exhausted=int(amounts[dead].sum()),
            papers_to=papers_to,
            papers_exhausted=int(self.weights[groups][dead].sum()),
        )

    def take(self, candidate: int) -> list[Parcel]:
        """Remove and return a candidate's whole pile, parcel by parcel."""
        parcels = self.piles[candidate]
        self.piles[candidate] = []
        return parcels

    def pile_groups(self, candidate: int) -> IntArray:
        """All groups in a candidate's pile, without removing them."""
        parcels = self.piles[candidate]
        if not parcels:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([p.groups for p in parcels])

    def next_holders(self, groups: IntArray, continuing: npt.NDArray[np.bool_]) -> IntArray:
        """Each group's next continuing preference after its present holder, without moving it.

        ``EXHAUSTED`` marks a group with no further continuing preference; a
        rule that must count the transferable papers before it can fix their
        value (ERS97 5.3.7) looks first, then moves.
        """
        saved = self.pos[groups].copy()
        self.pos[groups] += 1
        holders = self._advance(groups, continuing)
        self.pos[groups] = saved
        return holders
