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
        flat = self.rankings.reshape(-1)
        # continuing has one extra False slot at the end so that PAD (-1) indexes it.
        # Most papers find a continuing preference at the first look, so that
        # look covers all of them at once; the loop then follows the few left.
        pos = self.pos[groups]
        cand = self._preferences(flat, groups * width + pos, pos < width)
        found = continuing[cand]
        holders = np.where(found, cand, EXHAUSTED).astype(np.int64)
        active = np.flatnonzero(~(found | (cand == PAD)))
        pos[active] += 1
        while active.size:
            p = pos[active]
            cand = self._preferences(flat, groups[active] * width + p, p < width)
            found = continuing[cand]
            holders[active[found]] = cand[found]
            active = active[~(found | (cand == PAD))]
            pos[active] += 1
        self.pos[groups] = pos
        return holders

    @staticmethod
    def _preferences(
        flat: npt.NDArray[np.int32], at: IntArray, inside: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.int32]:
        """The preference at each flat index, or PAD past the end of its row."""
        if inside.all():
            return flat[at]
        cand = np.full(at.shape[0], PAD, dtype=np.int32)
        cand[inside] = flat[at[inside]]
        return cand

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
        weights = self.weights[groups]
        amounts = weights * values
        credits = np.zeros(self.n_candidates, dtype=np.int64)
        papers_to = np.zeros(self.n_candidates, dtype=np.int64)
        live = holders != EXHAUSTED
        dead = ~live
        if live.any():
            # Sort the movers by receiving candidate (a radix sort on narrow
            # integers), then sum each receiver's run and append it as a parcel.
            to = holders[live]
            narrow = to.astype(np.int16) if self.n_candidates <= np.iinfo(np.int16).max else to
            order = np.argsort(narrow, kind="stable")
            to = to[order]
            starts = np.flatnonzero(np.concatenate(([True], to[1:] != to[:-1])))
            receivers = to[starts]
            credits[receivers] = np.add.reduceat(amounts[live][order], starts)
            papers_to[receivers] = np.add.reduceat(weights[live][order], starts)
            moving = groups[live][order]
            parcels = np.split(moving, starts[1:])
            for receiver, parcel in zip(receivers.tolist(), parcels, strict=True):
                self.piles[receiver].append(Parcel(parcel, stage))
        return Movement(
            credits=credits,
            exhausted=int(amounts[dead].sum()),
            papers_to=papers_to,
            papers_exhausted=int(weights[dead].sum()),
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
