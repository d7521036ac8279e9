"""The seeded ballot generator: deterministic, party-shaped, and the same when streamed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from grassroots.count.formats.blt import read_blt
from grassroots.count.profile import PAD
from grassroots.synthetic import (
    CHUNK,
    build_model,
    gender_path,
    generate_profile,
    write_blt_file,
)


def test_generate_profile_same_seed_identical() -> None:
    first, first_gender = generate_profile(n_ballots=500, seed=7)
    again, again_gender = generate_profile(n_ballots=500, seed=7)

    assert first.candidates == again.candidates
    assert np.array_equal(first.rankings, again.rankings)
    assert np.array_equal(first.weights, again.weights)
    assert first_gender == again_gender


def test_generate_profile_different_seeds_differ() -> None:
    one, _ = generate_profile(n_ballots=500, seed=1)
    two, _ = generate_profile(n_ballots=500, seed=2)

    assert one.candidates != two.candidates
    assert not np.array_equal(one.rankings[:50], two.rankings[:50])


@pytest.mark.parametrize(("n_ballots", "n_candidates", "seats"), [(20, 3, 1), (3000, 25, 9)])
def test_generate_profile_weights_sum_to_ballots(
    n_ballots: int, n_candidates: int, seats: int
) -> None:
    profile, gender = generate_profile(
        n_ballots=n_ballots, n_candidates=n_candidates, seats=seats, n_slates=2, seed=3
    )

    assert profile.n_ballots == n_ballots
    assert profile.seats == seats
    assert len(profile.candidates) == n_candidates
    assert set(gender) == set(profile.candidates)
    assert set(gender.values()) <= {"F", "M"}


def test_generate_profile_rankings_are_partial_and_varied() -> None:
    profile, _ = generate_profile(n_ballots=5000, n_candidates=20, seats=7, seed=11)

    lengths = (profile.rankings != PAD).sum(axis=1)
    lengths_per_ballot = np.repeat(lengths, profile.weights)
    assert lengths_per_ballot.min() == 1
    assert lengths_per_ballot.max() == 20
    assert np.median(lengths_per_ballot) < 20
    assert len(np.unique(lengths_per_ballot)) > 10


def test_build_model_every_slate_present() -> None:
    for n_slates in (1, 2, 3, 4):
        model = build_model(
            np.random.default_rng(5),
            n_candidates=8,
            seats=3,
            n_slates=n_slates,
            loyalty=None,
            popularity_spread=0.6,
            stop_at_slate_end=0.6,
            mean_length=4.0,
            full_ranking_share=0.1,
        )

        present = set(model.slate.tolist()) - {-1}
        assert present == set(range(n_slates))
        assert model.slate_sizes.sum() + (model.slate == -1).sum() == 8


def test_generate_profile_loyal_voters_rank_a_slate_first() -> None:
    profile, _ = generate_profile(
        n_ballots=4000, n_candidates=12, seats=4, n_slates=2, seed=4, loyalty=1.0
    )

    model = build_model(
        np.random.default_rng([4, 0]),
        n_candidates=12,
        seats=4,
        n_slates=2,
        loyalty=1.0,
        popularity_spread=0.6,
        stop_at_slate_end=0.6,
        mean_length=5.0,
        full_ranking_share=0.1,
    )
    first_slate = model.slate[profile.rankings[:, 0]]
    slate_first = profile.weights[first_slate >= 0].sum()
    # Only unaligned voters (10-30 %) can put an independent first.
    assert slate_first / profile.n_ballots > 0.6


def test_generate_profile_bad_seats_raises() -> None:
    with pytest.raises(ValueError, match="seats"):
        generate_profile(n_ballots=10, n_candidates=3, seats=4, seed=1)


def test_write_blt_file_reads_back_as_generate_profile(tmp_path: Path) -> None:
    path = tmp_path / "ward.blt"
    n_ballots = CHUNK + 1234  # more than one chunk

    side = write_blt_file(path, n_ballots=n_ballots, n_candidates=14, seats=5, seed=21)
    expected, gender = generate_profile(n_ballots=n_ballots, n_candidates=14, seats=5, seed=21)
    got = read_blt(path)

    assert side == gender_path(path) == tmp_path / "ward.gender.json"
    assert json.loads(side.read_text(encoding="utf-8")) == gender
    assert got.candidates == expected.candidates
    assert got.seats == expected.seats
    assert got.title == expected.title
    assert np.array_equal(got.rankings, expected.rankings)
    assert np.array_equal(got.weights, expected.weights)


def test_write_blt_file_one_line_per_ballot(tmp_path: Path) -> None:
    path = tmp_path / "small.blt"

    write_blt_file(path, n_ballots=37, n_candidates=11, seats=3, seed=2)

    lines = path.read_text(encoding="utf-8").splitlines()
    ballots = lines[1 : lines.index("0")]
    assert len(ballots) == 37
    assert all(line.startswith("1 ") and line.endswith(" 0") for line in ballots)
