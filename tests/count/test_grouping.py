"""Grouping equal rankings by packed keys: the one step every profile goes through."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count import profile
from grassroots.count.profile import group_by_keys


def _by_dict(keys: np.ndarray, weights: np.ndarray) -> tuple[list[int], list[int]]:
    """The plain reading: walk the rows, remember each key's first row, sum weights."""
    first: dict[tuple[int, ...], int] = {}
    totals: dict[tuple[int, ...], int] = {}
    for row in range(keys.shape[1]):
        key = tuple(int(word) for word in keys[:, row])
        first.setdefault(key, row)
        totals[key] = totals.get(key, 0) + int(weights[row])
    return list(first.values()), list(totals.values())


columns = st.integers(min_value=1, max_value=4).flatmap(
    lambda words: st.lists(
        st.tuples(
            st.lists(st.integers(0, 3), min_size=words, max_size=words),
            st.integers(1, 1000),
        ),
        min_size=1,
        max_size=60,
    )
)


def _arrays(rows: list[tuple[list[int], int]]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array([key for key, _ in rows], dtype=np.int64).T.copy()
    weights = np.array([weight for _, weight in rows], dtype=np.int64)
    return keys, weights


@settings(max_examples=150, deadline=None)
@given(columns)
def test_grouping_matches_the_plain_reading(rows: list[tuple[list[int], int]]) -> None:
    keys, weights = _arrays(rows)
    first, totals = group_by_keys(keys, weights)
    assert (first.tolist(), totals.tolist()) == _by_dict(keys, weights)


@pytest.mark.parametrize(
    "weak_mix",
    [
        pytest.param(lambda keys: np.zeros(keys.shape[1], dtype=np.uint64), id="all-collide"),
        pytest.param(lambda keys: keys[0].view(np.uint64).copy(), id="first-word-only"),
    ],
)
def test_grouping_survives_colliding_mixes(monkeypatch: pytest.MonkeyPatch, weak_mix) -> None:
    # Rankings that differ only after the first word mix equally under a weak
    # mix; the words themselves must still keep them apart.
    monkeypatch.setattr(profile, "_mix", weak_mix)
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 3, size=(3, 500), dtype=np.int64)
    weights = rng.integers(1, 9, size=500, dtype=np.int64)
    first, totals = group_by_keys(keys, weights)
    assert (first.tolist(), totals.tolist()) == _by_dict(keys, weights)
    assert int(totals.sum()) == int(weights.sum())


def test_grouping_of_large_words() -> None:
    # Full 63-bit words, as packed rankings use them, including the sign bit's neighbours.
    top = np.iinfo(np.int64).max
    keys = np.array([[top, 0, top, 1, top], [5, 5, 5, 5, 6]], dtype=np.int64)
    weights = np.array([1, 2, 3, 4, 5], dtype=np.int64)
    first, totals = group_by_keys(keys, weights)
    assert first.tolist() == [0, 1, 3, 4]
    assert totals.tolist() == [4, 2, 4, 5]
