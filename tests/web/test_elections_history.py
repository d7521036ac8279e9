"""History: seats won by slate in past NEC CLP-section elections, checked against the figures
the shared data's README and the files' slate_figures state for each year, with the names one
slate used in different years merged by ``SLATE_NAMES`` and the others kept apart."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.elections.history import (
    CLGA,
    NOT_FOUND,
    SLATE_NAMES,
    PastElection,
    SlateRow,
    Winner,
    past_election_list,
    slate_trend,
)


def _seats(year: int) -> dict[str, int]:
    return next(e for e in past_election_list() if e.year == year).seats_by_slate


def test_past_elections_are_the_four_nec_clp_years() -> None:
    elections = past_election_list()

    assert [(e.year, e.seats, len(e.elected)) for e in elections] == [
        (2018, 9, 9),
        (2020, 9, 9),
        (2022, 9, 9),
        (2024, 9, 9),
    ]


def test_seats_by_slate_2020_match_published_split() -> None:
    # README: "Winners: 5 Grassroots Voice, 3 Labour to Win, 1 Open Labour."
    seats = _seats(2020)

    assert (seats["Grassroots Voice"], seats["Labour to Win"], seats["Open Labour"]) == (5, 3, 1)


def test_seats_by_slate_2024_match_published_split() -> None:
    # README: "Seats: 4 LtW, 3 CLGA, 1 Open Labour, 1 Labour Women for NEC."
    seats = _seats(2024)

    assert (
        seats["Labour to Win"],
        seats["Centre-Left Grassroots Alliance (CLGA)"],
        seats["Open Labour"],
        seats["Labour Women for NEC"],
    ) == (4, 3, 1, 1)


def _rows() -> dict[str, SlateRow]:
    return {row.slate: row for row in slate_trend(past_election_list())}


def test_slate_trend_has_one_column_per_year() -> None:
    rows = _rows()

    assert rows["Labour to Win"].seats == [0, 3, 4, 4]


def test_merged_slate_matches_the_published_seats_each_year() -> None:
    # The files' slate_figures, "seats won": 2018 "Centre-Left Grassroots Alliance (nine-name
    # left slate incl. Willsman)" 9; 2020 "Grassroots Voice (CLGA/Momentum)" 5; 2022
    # "Grassroots Voice / Momentum (GV4)" 3; 2024 "Centre-Left Grassroots Alliance (CLGA)" 3.
    row = _rows()[CLGA]

    assert row.seats == [9, 5, 3, 3]
    assert row.names == (
        ("left slate ('JC9')", (2018,)),
        (CLGA, (2018, 2020, 2024)),
        ("Grassroots Voice", (2020, 2022)),
    )
    assert row.other_names == "left slate ('JC9') (2018); Grassroots Voice (2020, 2022)"


def test_merged_slate_counts_a_winner_once_under_two_of_its_names() -> None:
    # 2020: the same five winners are listed as both Grassroots Voice and CLGA; adding the two
    # rows would give ten of nine seats.
    seats_2020 = _seats(2020)

    assert (seats_2020["Grassroots Voice"], seats_2020[CLGA]) == (5, 5)
    assert _rows()[CLGA].seats[1] == 5


def test_names_the_sources_keep_apart_stay_apart() -> None:
    rows = _rows()

    assert rows["Grassroots 5 (CLPD et al.)"].seats == [0, 0, 4, 0]
    assert rows["Labour to Win (endorsement)"].seats == [0, 1, 0, 0]
    assert rows["Momentum"].seats == [8, 5, 3, 3]
    assert rows["CLPD"].seats == [9, 0, 0, 3]
    assert rows["CLPD (recommended)"].seats == [0, 0, 0, 1]
    assert rows["Momentum"].other_names == ""
    assert not {"Grassroots Voice", "left slate ('JC9')", "Progress"} & set(rows)


def test_moderate_slate_keeps_its_2018_names_with_no_seats() -> None:
    row = _rows()["Labour to Win"]

    assert row.other_names == "Labour First (2018); Progress (2018)"
    assert row.seats[0] == 0


def test_every_merged_name_is_one_the_sources_use() -> None:
    used = set().union(*(e.slate_names for e in past_election_list()))

    assert set(SLATE_NAMES) <= used
    assert set(SLATE_NAMES.values()) <= used


def _election(year: int, winners: list[tuple[str, ...]]) -> PastElection:
    return PastElection(
        file=f"{year}.json",
        year=year,
        section="CLP",
        election=f"NEC {year}",
        seats=len(winners),
        method="STV",
        seats_by_slate={},
        elected=[Winner(f"W{i}", slates) for i, slates in enumerate(winners)],
        slate_names=frozenset(n for slates in winners for n in slates),
        sources=1,
    )


def test_slate_trend_merges_by_the_table_and_counts_each_winner_once_per_slate() -> None:
    elections = [
        _election(2018, [("left slate ('JC9')", "CLPD"), (CLGA, "Momentum"), ()]),
        _election(2020, [("Grassroots Voice", CLGA, "Momentum"), ("Labour to Win (endorsement)",)]),
    ]

    rows = [(row.slate, row.seats) for row in slate_trend(elections)]

    assert rows == [
        (CLGA, [2, 1]),
        ("Momentum", [1, 1]),
        ("CLPD", [1, 0]),
        ("Labour to Win (endorsement)", [0, 1]),
        (NOT_FOUND, [1, 0]),
    ]


@pytest.mark.django_db
def test_history_page_shows_seats_by_slate_with_the_names_merged(client: Client) -> None:
    response = client.get(reverse("elections:history"))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<th scope="row">{CLGA}</th>'
        "<td>left slate (&#x27;JC9&#x27;) (2018); Grassroots Voice (2020, 2022)</td>"
        "<td>9</td><td>5</td><td>3</td><td>3</td>"
    ) in html
    assert '<th scope="row">Momentum</th><td>—</td><td>8</td>' in html
    assert '<th scope="row">Grassroots Voice</th>' not in html
