"""Reading and writing ballot files: BLT, PrefLib, the three CSV layouts, categories."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.errors import FormatError
from grassroots.count.formats import read_profile
from grassroots.count.formats.blt import format_blt, parse_blt, read_blt, write_blt
from grassroots.count.formats.categories import read_categories
from grassroots.count.formats.csv import read_csv
from grassroots.count.formats.preflib import read_preflib
from grassroots.count.profile import Profile
from tests.shared import ELECTIONS

DATA = ELECTIONS
SCOTLAND_CSV = sorted((DATA / "scotland").glob("*.csv"))


def _same(a: Profile, b: Profile) -> bool:
    """Whether two profiles hold the same election, ballot for ballot."""
    return (
        a.candidates == b.candidates
        and a.seats == b.seats
        and a.withdrawn == b.withdrawn
        and a.title == b.title
        and dict(a.ballots()) == dict(b.ballots())
    )


def _first_preferences(profile: Profile) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for ranking, weight in profile.ballots():
        if ranking:
            totals[profile.candidates[ranking[0]]] += weight
    return dict(totals)


# -- BLT ------------------------------------------------------------------------


def test_blt_round_trip_keeps_withdrawn_and_quoted_names(tmp_path: Path) -> None:
    profile = Profile.from_rankings(
        ['Anna "Nan" Smith', "Ben O'Hara", "Cara\\Dev", "Dev"],
        2,
        [[0, 1], [1, 0, 3], [2], [], [0, 1]],
        [3, 2, 1, 4, 5],
        withdrawn=[2],
        title='Ward 1 "North" (2022)',
    )
    path = tmp_path / "round.blt"

    write_blt(profile, path)
    again = read_blt(path)

    assert _same(again, profile)
    assert again.n_ballots == 15


_NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
)


# No deadline: on a loaded two-core machine one example can pass hypothesis's 200 ms and fail
# a correct round trip for its time alone, as the other property tests here already allow.
@settings(deadline=None)
@given(
    names=st.lists(_NAME, min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_blt_write_then_read_gives_same_profile(names: list[str], data: st.DataObject) -> None:
    n = len(names)
    rankings = data.draw(st.lists(st.permutations(range(n)), max_size=8))
    cut = data.draw(st.lists(st.integers(0, n), min_size=len(rankings), max_size=len(rankings)))
    weights = data.draw(
        st.lists(st.integers(1, 1000), min_size=len(rankings), max_size=len(rankings))
    )
    seats = data.draw(st.integers(1, n))
    withdrawn = data.draw(st.sets(st.integers(0, n - 1), max_size=n))
    title = data.draw(_NAME)
    profile = Profile.from_rankings(
        names,
        seats,
        [list(r[:c]) for r, c in zip(rankings, cut, strict=True)],
        weights,
        withdrawn=withdrawn,
        title=title,
    )

    again = parse_blt(format_blt(profile))

    assert _same(again, profile)


def test_read_profile_seats_override_blt(tmp_path: Path) -> None:
    path = tmp_path / "two.blt"
    path.write_text('2 1\n3 1 2 0\n0\n"Anna"\n"Ben"\n"T"\n', encoding="utf-8")

    profile = read_profile(path, seats=2)

    assert profile.seats == 2


def test_read_profile_seats_over_candidates_rejected(tmp_path: Path) -> None:
    path = tmp_path / "two.blt"
    path.write_text('2 1\n3 1 2 0\n0\n"Anna"\n"Ben"\n"T"\n', encoding="utf-8")

    with pytest.raises(FormatError) as caught:
        read_profile(path, seats=3)

    assert caught.value.message == "must be between 1 and the number of candidates (2), got 3"


# -- PrefLib --------------------------------------------------------------------

_SOI = """\
# FILE NAME: 00099-00000001.soi
# TITLE: Club committee 2024
# DATA TYPE: soi
# NUMBER ALTERNATIVES: 4
# NUMBER VOTERS: 19
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Anna
# ALTERNATIVE NAME 2: Ben
# ALTERNATIVE NAME 3: Cara
# ALTERNATIVE NAME 4: Dev
12: 1, 2, 3
5: 2,{4}
2: 4
"""


def test_preflib_soi_reads_names_title_and_ballots(tmp_path: Path) -> None:
    path = tmp_path / "club.soi"
    path.write_text(_SOI, encoding="utf-8")

    profile = read_preflib(path, seats=2)

    assert profile.candidates == ("Anna", "Ben", "Cara", "Dev")
    assert profile.seats == 2
    assert profile.title == "Club committee 2024"
    assert dict(profile.ballots()) == {(0, 1, 2): 12, (1, 3): 5, (3,): 2}


def test_preflib_toc_without_ties_reads_through_read_profile(tmp_path: Path) -> None:
    path = tmp_path / "club.toc"
    path.write_text(_SOI.replace("5: 2,{4}", "5: 2, 4, 1, 3"), encoding="utf-8")

    profile = read_profile(path, seats=1)

    assert dict(profile.ballots()) == {(0, 1, 2): 12, (1, 3, 0, 2): 5, (3,): 2}


def test_preflib_without_seats_rejected(tmp_path: Path) -> None:
    path = tmp_path / "club.soi"
    path.write_text(_SOI, encoding="utf-8")

    with pytest.raises(FormatError) as caught:
        read_profile(path)

    assert caught.value.message == "PrefLib files do not give the number of seats: pass --seats"


# -- CSV ------------------------------------------------------------------------


def test_csv_wide_reads_weights_and_first_seen_candidates(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("rank1,rank2,rank3,weight\nBen,Anna,,12\nCara,,,7\nAnna,Cara,Ben,1\n")

    profile = read_csv(path, seats=1)

    assert profile.candidates == ("Ben", "Anna", "Cara")
    assert dict(profile.ballots()) == {(0, 1): 12, (2,): 7, (1, 2, 0): 1}


def test_csv_long_skips_undervote_and_stops_at_overvote(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "ballot_id,rank,choice\n"
        "a,1,Anna\na,2,$UNDERVOTE\na,3,Ben\n"
        "b,1,Ben\nb,2,$OVERVOTE\nb,3,Anna\n"
        "c,1,$OVERVOTE\nc,2,Anna\n"
    )

    profile = read_csv(path, seats=1)

    assert profile.candidates == ("Anna", "Ben")
    assert dict(profile.ballots()) == {(0, 1): 1, (1,): 1, (): 1}


def test_csv_burlington_2009_first_round_matches_official() -> None:
    profile = read_csv(DATA / "irv" / "us_vt_btv_2009_03_mayor.normalized.csv", seats=1)

    assert profile.n_ballots == 8980
    assert _first_preferences(profile) == {
        "Kurt Wright": 2951,
        "Bob Kiss": 2585,
        "Andy Montroll": 2063,
        "Dan Smith": 1306,
        "Write-in": 36,
        "James Simpson": 35,
    }


def test_scotland_data_has_mggg_csv_files() -> None:
    assert len(SCOTLAND_CSV) == 19


@pytest.mark.parametrize("path", SCOTLAND_CSV, ids=lambda p: p.stem)
def test_csv_mggg_ward_matches_its_blt(path: Path) -> None:
    from_csv = read_profile(path)
    from_blt = read_blt(path.with_suffix(".blt"))

    # The BLT names are "Name (Party)" and its title adds the year; the
    # candidates are in the same order, so ballots compare by number.
    assert from_csv.seats == from_blt.seats
    assert len(from_csv.candidates) == len(from_blt.candidates)
    assert [
        blt_name.startswith(f"{csv_name} (")
        for csv_name, blt_name in zip(from_csv.candidates, from_blt.candidates, strict=True)
    ] == [True] * len(from_csv.candidates)
    assert dict(from_csv.ballots()) == dict(from_blt.ballots())
    assert from_csv.n_ballots == from_blt.n_ballots


def test_csv_mggg_given_seats_override_file(tmp_path: Path) -> None:
    path = tmp_path / "ward.csv"
    path.write_text(
        '2,1,\n3,1,2,\n0,\n"Candidate 1","Anna","Red (R)",\n'
        '"Candidate 2","Ben","Blue (B)",\n"Ward 1",\n'
    )

    assert read_csv(path).seats == 1
    assert read_csv(path, seats=2).seats == 2
    assert read_csv(path).title == "Ward 1"


# -- categories -----------------------------------------------------------------


def test_categories_json_attach_to_synthetic_case() -> None:
    profile = read_blt(DATA / "synthetic-quota" / "case-01.blt")
    mapping = read_categories(DATA / "synthetic-quota" / "case-01.gender.json")

    with_categories = profile.with_categories(mapping)

    assert with_categories.categories is not None
    assert set(with_categories.categories) == {"F", "M"}
    assert len(with_categories.categories) == len(profile.candidates)


def test_categories_csv_reads_mapping(tmp_path: Path) -> None:
    path = tmp_path / "gender.csv"
    path.write_text("candidate,category\nAnna,F\n\n Ben , M \n")

    assert read_categories(path) == {"Anna": "F", "Ben": "M"}
