"""History: seats won by slate in past NEC CLP-section elections, checked against the figures
the shared data's README states for each year."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.elections.history import past_election_list, slate_trend


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


def test_slate_trend_has_one_column_per_year() -> None:
    elections = past_election_list()

    slates, seats = slate_trend(elections)

    assert seats[slates.index("Labour to Win")] == [0, 3, 4, 4]


@pytest.mark.django_db
def test_history_page_shows_seats_by_slate(client: Client) -> None:
    response = client.get(reverse("elections:history"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">Labour to Win</th><td>0</td><td>3</td><td>4</td><td>4</td>' in html
