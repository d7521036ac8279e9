"""The fast BLT reader gives the careful parser's exact profile, and leaves odd files to it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.errors import FormatError
from grassroots.count.formats import read_text
from grassroots.count.formats.blt import _parse_careful, _parse_fast, parse_blt
from grassroots.count.profile import Profile
from grassroots.synthetic import write_blt_file
from tests.shared import ELECTIONS

DATA = ELECTIONS
FOLDERS = ("scotland", "glasgow2007-droop", "reference", "synthetic-quota")
FILES = sorted(p for folder in FOLDERS for p in (DATA / folder).glob("*.blt"))


def _assert_same(fast: Profile, careful: Profile) -> None:
    assert fast.candidates == careful.candidates
    assert fast.seats == careful.seats
    assert fast.title == careful.title
    assert fast.withdrawn == careful.withdrawn
    assert fast.rankings.dtype == careful.rankings.dtype
    assert fast.weights.dtype == careful.weights.dtype
    np.testing.assert_array_equal(fast.rankings, careful.rankings)
    np.testing.assert_array_equal(fast.weights, careful.weights)


def test_blt_fast_data_files_found() -> None:
    assert len(FILES) > 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_blt_fast_same_profile_as_careful(path: Path) -> None:
    text = read_text(path)
    fast = _parse_fast(text, path=path)
    try:
        careful = _parse_careful(text, path=path)
    except FormatError:
        assert fast is None  # a file the careful parser rejects never passes the fast path
    else:
        assert fast is not None
        _assert_same(fast, careful)


def test_blt_fast_same_profile_on_100k_synthetic(tmp_path: Path) -> None:
    path = tmp_path / "nec.blt"
    write_blt_file(path, n_ballots=100_000, seed=7)
    text = read_text(path)
    fast = _parse_fast(text, path=path)
    assert fast is not None
    _assert_same(fast, _parse_careful(text, path=path))


GOOD = '3 2\n2 1 2 0\n1 3 0\n4 1 2 0\n0\n"A"\n"B"\n"C"\n"Title"\n'


def test_blt_fast_reads_regular_text() -> None:
    fast = _parse_fast(GOOD, path=None)
    assert fast is not None
    _assert_same(fast, _parse_careful(GOOD, path=None))
    assert fast.weights.tolist() == [6, 1]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("# note\n" + GOOD, id="comment"),
        pytest.param(GOOD.replace("1 3 0", "1 3 3 0"), id="repeated-candidate"),
        pytest.param(GOOD.replace("1 3 0", "1 4 0"), id="unknown-candidate"),
        pytest.param(GOOD.replace("1 3 0", "0 3 0"), id="zero-weight"),
        pytest.param(GOOD.replace("1 3 0", "1 3"), id="no-closing-zero"),
        pytest.param(GOOD.replace("1 3 0", "1 3 00"), id="closing-00"),
        pytest.param(GOOD.replace("1 3 0", "1 3 0 2 0"), id="zero-inside"),
        pytest.param(GOOD.replace("1 3 0", "1 1=3 0"), id="equal-ranking"),
        pytest.param(GOOD.replace("1 3 0", "1.5 3 0"), id="decimal-weight"),
        pytest.param(GOOD.replace("1 3 0\n", "1 3 0\r"), id="lone-cr"),
        pytest.param(GOOD.replace("\n", "\r\n").replace("\n0\r\n", "\n\n0\r\n"), id="crlf-ok"),
        pytest.param(GOOD.replace("1 3 0", " 0 "), id="spaced-end-line"),
        pytest.param(GOOD.replace('"C"\n', ""), id="missing-name"),
        pytest.param(GOOD.replace("\n0\n", "\n"), id="no-end-line"),
        pytest.param(GOOD.replace("2 1 2 0", "1000000000 1 2 0"), id="weight-too-large"),
        pytest.param(GOOD.replace("2 1 2 0", "99999990 1 2 0"), id="weight-eight-digits"),
        pytest.param(GOOD.replace("2 1 2 0", "100000000 1 2 0"), id="weight-nine-digits"),
        pytest.param(GOOD.replace("2 1 2 0", "000000000002 1 2 0"), id="weight-leading-zeros"),
        pytest.param(GOOD.replace("2 1 2 0", "02 01 2 0"), id="leading-zero-candidate"),
        pytest.param(GOOD.replace("1 3 0", "1 3 000"), id="closing-000"),
        pytest.param(GOOD.replace("1 3 0", "1 3 10"), id="closing-10"),
        pytest.param("\ufeff" + GOOD, id="bom"),
    ],
)
def test_blt_fast_irregular_goes_to_careful(text: str) -> None:
    fast = _parse_fast(text, path=None)
    message = None
    try:
        expected = _parse_careful(text, path=None)
    except FormatError as err:
        message = str(err)
    if message is None:  # an unusual but valid layout: same profile either way
        _assert_same(parse_blt(text), expected)
        if fast is not None:
            _assert_same(fast, expected)
    else:
        assert fast is None
        with pytest.raises(FormatError) as caught:
            parse_blt(text)
        assert str(caught.value) == message


def _many_candidates_text(n_candidates: int, seed: int) -> str:
    """A regular file with long numbers: weights in the thousands, candidates past 99."""
    rng = np.random.default_rng(seed)
    lines = [f"{n_candidates} 3"]
    for _ in range(400):
        ranking = rng.permutation(n_candidates)[: rng.integers(1, 12)] + 1
        weight = int(rng.choice([1, 7, 42, 999, 1234, 98765]))
        lines.append(" ".join(str(v) for v in (weight, *ranking.tolist(), 0)))
    lines.append("0")
    lines += [f'"C{i}"' for i in range(1, n_candidates + 1)]
    lines.append('"Many"')
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("n_candidates", [9, 40, 150])
def test_blt_fast_long_numbers_and_many_candidates(n_candidates: int) -> None:
    text = _many_candidates_text(n_candidates, seed=n_candidates)
    fast = _parse_fast(text, path=None)
    assert fast is not None
    careful = _parse_careful(text, path=None)
    _assert_same(fast, careful)
    assert int(fast.weights.sum()) == int(careful.weights.sum()) > 400


@pytest.mark.parametrize("n_candidates", [40, 150])
def test_blt_fast_repeated_candidate_among_many(n_candidates: int) -> None:
    text = _many_candidates_text(n_candidates, seed=1)
    lines = text.split("\n")
    lines[5] = f"3 {n_candidates} 2 {n_candidates} 0"  # the last candidate twice
    text = "\n".join(lines)
    assert _parse_fast(text, path=None) is None
    expected = f":6: preference: candidate {n_candidates} is ranked twice"
    with pytest.raises(FormatError, match=expected):
        parse_blt(text)


@st.composite
def regular_files(draw: st.DrawFn) -> str:
    """BLT text with any mix of short and long numbers and of the usual or unusual spacing."""
    n = draw(st.integers(min_value=1, max_value=130))
    seats = draw(st.integers(min_value=1, max_value=n))
    gap = draw(st.sampled_from([" ", "  ", "\t", " \t "]))
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    ranking = st.lists(st.integers(min_value=1, max_value=n), max_size=12, unique=True)
    weight = st.one_of(st.integers(1, 9), st.integers(10, 99), st.integers(100, 10**6))
    ballots = draw(st.lists(st.tuples(weight, ranking), min_size=1, max_size=40))
    lines = [f"{n} {seats}"]
    lines += [gap.join(str(v) for v in (w, *r, 0)) for w, r in ballots]
    lines += ["0", *(f'"C{i}"' for i in range(1, n + 1)), '"T"']
    return line_end.join(lines) + line_end


@settings(max_examples=200, deadline=None)
@given(regular_files())
def test_blt_fast_matches_careful_on_invented_files(text: str) -> None:
    fast = _parse_fast(text, path=None)
    careful = _parse_careful(text, path=None)
    if fast is not None:
        _assert_same(fast, careful)
    if "\r" not in text:  # CR line ends are the careful parser's alone
        assert fast is not None
