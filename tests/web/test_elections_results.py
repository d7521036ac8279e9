"""Results: counting a ballot file with the section's rule and quotas, importing a published
count sheet, and the analysis by slate checked against figures worked out by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from html import escape as html_escape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.web.elections import analysis, selectors, services
from grassroots.web.elections.models import ResultKind, Section, SectionResult
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import (
    candidates_create,
    election_create,
    section_get,
    slate_with,
)

pytestmark = pytest.mark.django_db

# The small election, by hand (tests/web/data/elections-small.blt): 2 seats, Scottish STV,
# 30 ballots, quota floor(30 / 3) + 1 = 11.
#   12 Ann Bea | 4 Ann Cal | 5 Cal | 2 Cal Bea | 3 Dee Cal | 1 Dee | 3 Bea
# Stage 1, first preferences: Ann 16, Bea 3, Cal 7, Dee 4. Ann elected, surplus 5.
# Stage 2, Ann's surplus at 5/16 = 0.3125 per paper: 12 papers to Bea = 3.75,
#   4 papers to Cal = 1.25. Bea 6.75, Cal 8.25, Dee 4: nobody reaches the quota.
# Stage 3, Dee excluded: 3 to Cal, 1 exhausted. Cal 11.25, elected.
# Slates: Red = Ann, Bea; Blue = Cal; Dee on none.
#   First preferences: Red 16 + 3 = 19 (19/30 = 63.3%), Blue 7 (23.3%), No slate 4 (13.3%).
#   Seats: Red 1 (Ann), Blue 1 (Cal).
#   Transfers: Red→Red 3.75 (Ann→Bea), Red→Blue 1.25 (Ann→Cal),
#              No slate→Blue 3 (Dee→Cal), No slate→Exhausted 1.
#   Exhausted at the end: 1.
SMALL_BLT = Path(__file__).parent / "data" / "elections-small.blt"
SLATE_OF = {"Ann Ash": "Red", "Bea Birch": "Red", "Cal Cedar": "Blue"}


@pytest.fixture
def section() -> Section:
    """A two-seat section with the small election's candidates; at least one woman."""
    election = election_create()
    section = section_get(election)
    section.seats = 2
    section.quotas = {"F": {"min": 1}}
    section.save()
    people = candidates_create(
        section, [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dee Dale", "M")]
    )
    slate_with(election, "Red", [people["Ann Ash"], people["Bea Birch"]], colour="#cc0000")
    slate_with(election, "Blue", [people["Cal Cedar"]], colour="#0000cc")
    return section


def _counted(section: Section) -> SectionResult:
    return services.result_count_import(
        actor=None, section=section, filename="small.blt", data=SMALL_BLT.read_bytes()
    )


def test_result_count_import_counts_with_section_rule_and_quotas(section: Section) -> None:
    stored = _counted(section)

    assert stored.kind == ResultKind.COUNT
    assert stored.data["elected"] == ["Ann Ash", "Cal Cedar"]
    assert stored.data["rule"] == "scottish"
    assert stored.data["quotas"] == {"F": {"min": 1}}
    assert stored.data["categories"] == {
        "Ann Ash": "F",
        "Bea Birch": "F",
        "Cal Cedar": "M",
        "Dee Dale": "M",
    }


def test_first_preference_shares_match_hand_count(section: Section) -> None:
    data = _counted(section).data

    shares = analysis.first_preference_shares(data, SLATE_OF)

    assert [(s.slate, s.votes, s.percent, s.seats) for s in shares] == [
        ("Red", Decimal(19), Decimal("63.3"), 1),
        ("Blue", Decimal(7), Decimal("23.3"), 1),
        ("No slate", Decimal(4), Decimal("13.3"), 0),
    ]


def test_transfer_matrix_matches_hand_count(section: Section) -> None:
    data = _counted(section).data

    matrix = analysis.transfer_matrix(data, SLATE_OF)

    assert matrix.sources == ["Red", "No slate"]
    assert matrix.targets == ["Blue", "Red", "Exhausted"]
    assert matrix.cells == {
        ("Red", "Red"): Decimal("3.75"),
        ("Red", "Blue"): Decimal("1.25"),
        ("No slate", "Blue"): Decimal(3),
        ("No slate", "Exhausted"): Decimal(1),
    }
    assert matrix.row_total("Red") == Decimal(5)


def test_exhausted_and_total_match_hand_count(section: Section) -> None:
    data = _counted(section).data

    assert analysis.exhausted_votes(data) == Decimal(1)
    assert analysis.total_votes(data) == Decimal(30)
    assert analysis.seats_by_slate(data, SLATE_OF) == {"Red": 1, "Blue": 1}


def test_result_analysis_uses_candidates_slates(section: Section) -> None:
    _counted(section)

    result = selectors.result_analysis_get(section=section)

    assert result is not None
    assert result.elected == [("Ann Ash", "Red"), ("Cal Cedar", "Blue")]
    assert [s.slate for s in result.shares] == ["Red", "Blue", "No slate"]


def test_result_count_import_unknown_candidate_names_them(section: Section) -> None:
    blt = SMALL_BLT.read_text().replace('"Dee Dale"', '"Dee Dayle"').encode()

    with pytest.raises(DomainError) as err:
        services.result_count_import(actor=None, section=section, filename="x.blt", data=blt)

    assert "Dee Dayle" in err.value.message
    assert SectionResult.objects.count() == 0


def test_result_count_import_bad_file_reports_line(section: Section) -> None:
    blt = SMALL_BLT.read_text().replace("12 1 2 0", "12 1 x 0").encode()

    with pytest.raises(DomainError) as err:
        services.result_count_import(actor=None, section=section, filename="x.blt", data=blt)

    assert err.value.message.startswith("The count failed: x.blt:2")
    assert SectionResult.objects.count() == 0


def test_result_sheet_import_stores_published_figures(section: Section) -> None:
    sheet = {
        "title": "Published sheet",
        "candidates": ["Ann Ash", "Bea Birch", "Cal Cedar", "Dee Dale"],
        "elected": ["Ann Ash", "Cal Cedar"],
        "stages": [
            {"votes": {"Ann Ash": 16, "Bea Birch": 3, "Cal Cedar": 7, "Dee Dale": 4}},
            {
                "votes": {"Ann Ash": 11, "Bea Birch": 6.75, "Cal Cedar": 8.25, "Dee Dale": 4},
                "transfers": [
                    {"from": "Ann Ash", "to": "Bea Birch", "votes": "3.75"},
                    {"from": "Ann Ash", "to": "Cal Cedar", "votes": "1.25"},
                ],
            },
            {
                "votes": {"Ann Ash": 11, "Bea Birch": 6.75, "Cal Cedar": 11.25, "Dee Dale": 0},
                "exhausted": 1,
                "transfers": [
                    {"from": "Dee Dale", "to": "Cal Cedar", "votes": 3},
                    {"from": "Dee Dale", "to": None, "votes": 1},
                ],
            },
        ],
    }

    stored = services.result_sheet_import(
        actor=None, section=section, filename="sheet.json", data=json.dumps(sheet).encode()
    )

    assert stored.kind == ResultKind.SHEET
    matrix = analysis.transfer_matrix(stored.data, SLATE_OF)
    assert matrix.cells[("Red", "Blue")] == Decimal("1.25")
    assert analysis.exhausted_votes(stored.data) == Decimal(1)


def test_result_sheet_import_unknown_transfer_target_is_refused(section: Section) -> None:
    sheet = {
        "candidates": ["Ann Ash"],
        "elected": ["Ann Ash"],
        "stages": [{"votes": {"Ann Ash": 1}, "transfers": [{"from": "Ann Ash", "to": "Zed"}]}],
    }

    with pytest.raises(DomainError) as err:
        services.result_sheet_import(
            actor=None, section=section, filename="s.json", data=json.dumps(sheet).encode()
        )

    assert err.value.message == "stage 1: transfer to unknown 'Zed'."
    assert SectionResult.objects.count() == 0


def test_result_import_page_counts_upload_and_shows_analysis(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))
    upload = SimpleUploadedFile("small.blt", SMALL_BLT.read_bytes())

    response = client.post(
        reverse("elections:result_import", args=["nec-test", "clp"]),
        {"kind": "ballots", "file": upload},
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>Red</td><td>19.00000</td><td>63.3%</td><td>1</td>" in html
    assert '<strong id="exhausted">1.00000</strong>' in html


def test_result_import_page_bad_file_shows_error_next_to_field(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))
    upload = SimpleUploadedFile("small.txt", b"nonsense")

    response = client.post(
        reverse("elections:result_import", args=["nec-test", "clp"]),
        {"kind": "ballots", "file": upload},
    )

    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert SectionResult.objects.count() == 0


def test_result_page_without_result_says_so(client: Client, section: Section) -> None:
    response = client.get(reverse("elections:result_detail", args=["nec-test", "clp"]))

    assert response.status_code == 200
    assert "No result yet." in response.content.decode()


def test_result_sheet_csv_transfers_worked_out_match_hand_count(section: Section) -> None:
    # The layout `grassroots count --format csv` writes, for the small election.
    sheet = (
        "candidate,category,Stage 1,Stage 2,Stage 3\n"
        "Ann Ash,F,16.00000,11.00000,11.00000\n"
        "Bea Birch,F,3.00000,6.75000,6.75000\n"
        "Cal Cedar,M,7.00000,8.25000,11.25000\n"
        "Dee Dale,M,4.00000,4.00000,0.00000\n"
        "non-transferable,,0.00000,0.00000,1.00000\n"
        "loss by rounding,,0.00000,0.00000,0.00000\n"
        "elected,,Ann Ash,,Cal Cedar\n"
        "excluded,,,,Dee Dale\n"
    )

    stored = services.result_sheet_import(
        actor=None, section=section, filename="sheet.csv", data=sheet.encode()
    )

    assert stored.data["elected"] == ["Ann Ash", "Cal Cedar"]
    assert analysis.transfer_matrix(stored.data, SLATE_OF).cells == {
        ("Red", "Red"): Decimal("3.75"),
        ("Red", "Blue"): Decimal("1.25"),
        ("No slate", "Blue"): Decimal(3),
        ("No slate", "Exhausted"): Decimal(1),
    }
    assert stored.data["notes"] == []


def test_result_sheet_csv_stage_with_several_losers_is_noted_not_guessed(
    section: Section,
) -> None:
    sheet = (
        "candidate,category,Stage 1,Stage 2\n"
        "Ann Ash,F,16,20\n"
        "Bea Birch,F,3,0\n"
        "Cal Cedar,M,7,7\n"
        "Dee Dale,M,4,3\n"
        "elected,,,Ann Ash; Cal Cedar\n"
    )

    stored = services.result_sheet_import(
        actor=None, section=section, filename="sheet.csv", data=sheet.encode()
    )

    assert stored.data["stages"][1]["transfers"] == []
    assert stored.data["notes"] == ["stage 2: transfers not worked out (2 candidates lost votes)"]


def test_result_sheet_csv_without_elected_row_is_refused(section: Section) -> None:
    sheet = "candidate,category,Stage 1\nAnn Ash,F,16\n"

    with pytest.raises(DomainError) as err:
        services.result_sheet_import(
            actor=None, section=section, filename="sheet.csv", data=sheet.encode()
        )

    assert (
        err.value.message == 'The "elected" row must name the elected candidates, separated by ";".'
    )
    assert SectionResult.objects.count() == 0


@pytest.mark.parametrize("item_count", [1, 3])
def test_result_page_queries_are_fixed(
    client: Client, django_assert_num_queries: Callable[..., object], item_count: int
) -> None:
    election = election_create()
    section = section_get(election)
    section.seats = 1
    section.rule = "irv"
    section.quotas = {}
    section.save()
    people = candidates_create(section, [(f"Person {i}", "F") for i in range(item_count)])
    slate_with(election, "Red", list(people.values()))
    names = "\n".join(f'"{name}"' for name in people)
    blt = f'{item_count} 1\n1 1 0\n0\n{names}\n"t"\n'.encode()
    services.result_count_import(actor=None, section=section, filename="r.blt", data=blt)
    url = reverse("elections:result_detail", args=["nec-test", "clp"])

    # section, result, candidates, their slates (prefetch), the election's slates
    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200


GOOD_SHEET = {
    "title": "Published sheet",
    "candidates": ["Ann Ash", "Cal Cedar"],
    "elected": ["Ann Ash"],
    "stages": [{"votes": {"Ann Ash": 16, "Cal Cedar": 7}, "transfers": []}],
}


def _sheet(**changes: object) -> bytes:
    return json.dumps({**GOOD_SHEET, **changes}).encode()


@pytest.mark.parametrize(
    "case",
    [
        ("s.json", b'{"title": "x\x00"}', "Line 1 holds a NUL character (byte 0)"),
        ("s.json", b'{"candidates": [', "Not JSON: line 1: Expecting value."),
        ("s.json", b"[" * 100_000 + b"]" * 100_000, "the JSON is nested too deeply."),
        ("s.json", b"[1]", "The sheet must be a JSON object, found a list."),
        ("s.json", b'{"n": ' + b"9" * 5000 + b"}", "Not a count sheet: Exceeds the limit"),
        ("s.json", _sheet(title="A\u0000B"), '"title": the text holds a NUL character'),
        ("s.json", _sheet(title={"a": 1}), '"title": expected text, found an object.'),
        ("s.json", _sheet(candidates=["Ann Ash", "\ud800"]), "an unpaired surrogate"),
        (
            "s.json",
            _sheet(candidates=["Ann Ash", "Ann Ash"]),
            "\"candidates\" lists 'Ann Ash' twice",
        ),
        ("s.json", _sheet(elected=[["Ann Ash"]]), '"elected": expected text, found a list.'),
        ("s.json", _sheet(elected="Ann Ash"), '"elected" must be a list of names, found text.'),
        (
            "s.json",
            _sheet(stages=[{"votes": {"Ann Ash": 1}, "transfers": {"from": "Ann Ash"}}]),
            'stage 1: "transfers" must be a list, found an object.',
        ),
        (
            "s.json",
            _sheet(
                stages=[{"votes": {"Ann Ash": 1}, "transfers": [{"from": "Ann Ash", "to": []}]}]
            ),
            "stage 1: transfer to unknown [].",
        ),
        (
            "s.json",
            _sheet(stages=[{"votes": {"Ann Ash": "1e999999999"}}]),
            "stage 1, Ann Ash: '1e999999999' is not a number of votes.",
        ),
        (
            "s.json",
            _sheet(stages=[{"votes": {"Ann Ash": True}}]),
            "stage 1, Ann Ash: True is not a number.",
        ),
        (
            "s.csv",
            b"candidate,category,Stage 1\n" + b"x" * 131_073 + b",F,1\n",
            "Line 2: a field is longer than 131,072 characters",
        ),
        (
            "s.csv",
            b"candidate,category,Stage 1\nAnn Ash,F,1e999999999\nelected,,Ann Ash\n",
            "is not a number of votes.",
        ),
        (
            "s.blt",
            b'2 1\n1 1 0\n0\n"Ann\x00 Ash"\n"Cal Cedar"\n"T"\n',
            "Line 4 holds a NUL character",
        ),
    ],
)
def test_result_import_page_bad_sheet_shows_error_and_stores_nothing(
    client: Client,
    make_role_holder: Callable[[Role], User],
    section: Section,
    case: tuple[str, bytes, str],
) -> None:
    filename, data, error = case
    client.force_login(make_role_holder(Role.ORGANISER))
    kind = "ballots" if filename.endswith(".blt") else "sheet"

    response = client.post(
        reverse("elections:result_import", args=["nec-test", "clp"]),
        {"kind": kind, "file": SimpleUploadedFile(filename, data)},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert html_escape(error) in html
    assert SectionResult.objects.count() == 0


def test_result_import_page_good_sheet_is_stored(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post(
        reverse("elections:result_import", args=["nec-test", "clp"]),
        {"kind": "sheet", "file": SimpleUploadedFile("s.json", _sheet())},
    )

    assert response.status_code == 302
    assert SectionResult.objects.get().data["elected"] == ["Ann Ash"]
