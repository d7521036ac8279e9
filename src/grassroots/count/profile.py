"""Ballot profiles: candidates, seats, and ballots as unique rankings with weights.

A million ballots that hold a few thousand distinct rankings cost what the
distinct rankings cost: each row of :attr:`Profile.rankings` is one distinct
ranking (0-based candidate indices, padded with ``-1``) and
:attr:`Profile.weights` says how many ballots carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from grassroots.count.errors import CountError

PAD = -1  # marks the end of a ranking in the padded array


@dataclass(frozen=True, eq=False)
class Profile:
    """An election's candidates, seats and ballots.

    Args:
        candidates: names, in the order of the ballot file (index = candidate number - 1).
        seats: how many are to be elected.
        rankings: ``(n, width)`` int32 array of 0-based candidate indices, ``-1`` padded.
        weights: ``(n,)`` int64 array, the number of ballots with each ranking.
        withdrawn: indices of candidates who withdrew before the count.
        categories: one category per candidate (for example ``"F"``), or ``None``.
        title: the election's title.
    """

    candidates: tuple[str, ...]
    seats: int
    rankings: npt.NDArray[np.int32]
    weights: npt.NDArray[np.int64]
    withdrawn: frozenset[int] = frozenset()
    categories: tuple[str, ...] | None = None
    title: str = ""
    _effective: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]] = field(
        default_factory=list, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        n = len(self.candidates)
        if n == 0:
            raise CountError("the election has no candidates")
        if len(set(self.candidates)) != n:
            seen: set[str] = set()
            dup = next(c for c in self.candidates if c in seen or seen.add(c))  # type: ignore[func-returns-value]
            raise CountError(f'candidate name "{dup}" appears twice')
        if self.seats < 1:
            raise CountError(f"seats must be at least 1, got {self.seats}")
        if self.rankings.ndim != 2 or self.weights.shape != (self.rankings.shape[0],):
            raise CountError("rankings must be a 2-D array with one weight per row")
        if self.rankings.size and (self.rankings.max() >= n or self.rankings.min() < PAD):
            raise CountError(f"a ranking names a candidate outside 1..{n}")
        if self.weights.size and self.weights.min() < 0:
            raise CountError("a ballot weight is negative")
        if any(not 0 <= w < n for w in self.withdrawn):
            raise CountError(f"a withdrawn candidate is outside 1..{n}")
        if self.categories is not None and len(self.categories) != n:
            raise CountError("categories must give one category per candidate")

    # -- construction -------------------------------------------------------

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        seats: int,
        rankings: Iterable[Sequence[int]],
        weights: Iterable[int] | None = None,
        *,
        withdrawn: Iterable[int] = (),
        categories: Sequence[str] | None = None,
        title: str = "",
    ) -> Profile:
        """Build an aggregated profile from 0-based rankings (one per ballot or group).

        >>> p = Profile.from_rankings(["A", "B"], 1, [[0, 1], [1], [0, 1]])
        >>> p.n_ballots, p.n_unique
        (3, 2)
        """
        rows = [list(r) for r in rankings]
        w = [1] * len(rows) if weights is None else list(weights)
        if len(w) != len(rows):
            raise CountError("one weight is needed per ranking")
        width = max((len(r) for r in rows), default=0)
        array = np.full((len(rows), max(width, 1)), PAD, dtype=np.int32)
        for i, r in enumerate(rows):
            if len(set(r)) != len(r):
                raise CountError(f"ranking {i + 1} lists a candidate twice: {r}")
            array[i, : len(r)] = r
        profile = cls(
            candidates=tuple(candidates),
            seats=seats,
            rankings=array,
            weights=np.asarray(w, dtype=np.int64),
            withdrawn=frozenset(withdrawn),
            categories=tuple(categories) if categories is not None else None,
            title=title,
        )
        return profile.aggregated()

    def aggregated(self) -> Profile:
        """The same ballots with identical rankings merged, weights summed, zero weights dropped."""
        rankings, weights = aggregate(self.rankings, self.weights)
        return replace(self, rankings=rankings, weights=weights, _effective=[])

    def with_categories(self, mapping: Mapping[str, str]) -> Profile:
        """Attach a category to every candidate from a name → category mapping."""
        unknown = sorted(set(mapping) - set(self.candidates))
        if unknown:
            raise CountError(f"categories name unknown candidate(s): {', '.join(unknown)}")
        missing = [c for c in self.candidates if c not in mapping]
        if missing:
            raise CountError(f"categories give no category for: {', '.join(missing)}")
        return replace(self, categories=tuple(mapping[c] for c in self.candidates))

    # -- views ----------------------------------------------------------------

    @property
    def n_ballots(self) -> int:
        """Total number of ballots (sum of weights), including empty ones."""
        return int(self.weights.sum())

    @property
    def n_unique(self) -> int:
        """Number of distinct rankings."""
        return int(self.rankings.shape[0])

    def ballots(self) -> Iterator[tuple[tuple[int, ...], int]]:
        """Yield ``(ranking, weight)`` pairs, rankings as tuples of 0-based indices."""
        for row, w in zip(self.rankings.tolist(), self.weights.tolist(), strict=True):
            yield tuple(c for c in row if c != PAD), int(w)

    def effective(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Rankings with withdrawn candidates struck out, empty ballots dropped.

        These are the valid papers a rule counts: a ballot that names only
        withdrawn candidates, or none, gives no preference to anyone.
        """
        if self._effective:
            return self._effective[0]
        rankings = self.rankings
        if self.withdrawn:
            struck = np.isin(rankings, np.fromiter(self.withdrawn, dtype=np.int32))
            rankings = np.where(struck, PAD, rankings).astype(np.int32)
            rankings = compact(rankings)
        keep = (rankings[:, 0] != PAD) & (self.weights > 0)
        result = (np.ascontiguousarray(rankings[keep]), self.weights[keep])
        self._effective.append(result)
        return result


def compact(rankings: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Move padding to the end of each row, keeping the order of preferences."""
    order = np.argsort(rankings == PAD, axis=1, kind="stable")
    return np.take_along_axis(rankings, order, axis=1)


def aggregate(
    rankings: npt.NDArray[np.int32], weights: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Merge identical rows, summing their weights; keeps first-seen order of rows."""
    if rankings.shape[0] == 0:
        return rankings, weights
    # Trim columns that are padding in every row, so equal rankings compare equal.
    used = int((rankings != PAD).sum(axis=1).max())
    rankings = np.ascontiguousarray(rankings[:, : max(used, 1)])
    # Group equal rows by sorting packed keys: a few int64 words per row
    # instead of np.unique's row-by-row comparison, which is several times slower.
    first, totals = group_by_keys(_row_keys(rankings), weights.astype(np.int64))
    keep = totals > 0
    return np.ascontiguousarray(rankings[first[keep]]).astype(np.int32), totals[keep]


def group_by_keys(
    keys: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Group rows by equal packed keys (a ``(words, rows)`` array); sum their weights.

    Returns, for each group in the order its first row appears, the index of
    that first row and the group's total weight.

    Rows are sorted by one 64-bit mix of their words (one fast sort instead of
    a sort per word). Equal keys always mix equally; the rare unequal keys that
    mix equally are caught by comparing the words themselves, and then the
    exact sort on every word is used instead.
    """
    n_rows = keys.shape[1]
    if keys.shape[0] == 1:
        order = np.argsort(keys[0])
        ordered = keys[:, order]
        starts = _run_starts(ordered)
    else:
        mixed = _mix(keys)
        order = np.argsort(mixed)
        ordered = keys[:, order]
        starts = _run_starts(ordered)
        mixed = mixed[order]
        if starts.size != np.count_nonzero(mixed[1:] != mixed[:-1]) + 1:
            # Two different keys mixed to the same value: sort on the words.
            order = np.lexsort(keys[::-1])
            starts = _run_starts(keys[:, order])
    del ordered
    first = np.minimum.reduceat(order, starts)  # the first row of each group in the input
    totals = np.add.reduceat(weights[order], starts)
    # First-seen order without a second sort: mark each group's first row.
    is_first = np.zeros(n_rows, dtype=bool)
    is_first[first] = True
    by_row = np.empty(n_rows, dtype=np.int64)
    by_row[first] = totals
    first_seen = np.flatnonzero(is_first)
    return first_seen, by_row[first_seen]


def _run_starts(ordered: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where each run of equal columns starts in a sorted ``(words, rows)`` array."""
    changes = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
    return np.flatnonzero(np.concatenate(([True], changes)))


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def _mix(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """One 64-bit value per column, from all its words (multiply, xor and shift)."""
    words = keys.view(np.uint64)
    mixed = np.zeros(words.shape[1], dtype=np.uint64)
    for index in range(words.shape[0]):
        mixed ^= words[index]
        mixed *= _MIX[index % _MIX.size]
        mixed ^= mixed >> np.uint64(29)
    return mixed


def _row_keys(rankings: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
    """Pack each row into int64 words, so that equal rows have equal words.

    Every cell (``PAD`` to the largest candidate) takes ``bits`` bits after
    adding 1; as many cells as fit in 63 bits share a word. Returns a
    ``(words, rows)`` array.
    """
    shifted = rankings.astype(np.int64) + 1
    bits = max(int(shifted.max()).bit_length(), 1)
    per_word = max(63 // bits, 1)
    width = shifted.shape[1]
    words = np.zeros(((width + per_word - 1) // per_word, shifted.shape[0]), dtype=np.int64)
    for column in range(width):
        word, place = divmod(column, per_word)
        words[word] |= shifted[:, column] << (place * bits)
    return words
