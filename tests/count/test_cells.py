"""CSV cells safe for spreadsheets: formula-like cells get a ``'``, plain numbers do not, and
our readers restore every name exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.count.formats.categories import format_categories_csv, parse_categories_csv
from grassroots.count.formats.cells import cell_neutralise, cell_restore, csv_text


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+Ann", "'+Ann"),
        ("-Ann", "'-Ann"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tAnn", "'\tAnn"),
        ("\rAnn", "'\rAnn"),
        ("'Ann", "''Ann"),
        ("Ann", "Ann"),
        ("-1", "-1"),
        ("+2.5", "+2.5"),
        ("-1+1", "'-1+1"),
        ("", ""),
    ],
)
def test_cell_neutralise_prefixes_formula_cells_only(cell: str, written: str) -> None:
    assert cell_neutralise(cell) == written


@given(st.text())
def test_cell_restore_undoes_neutralise(cell: str) -> None:
    assert cell_restore(cell_neutralise(cell)) == cell


def test_csv_text_neutralises_every_cell() -> None:
    assert csv_text([["=1+1", 2, None, "-x"], ["a\rb", "c"]]) == "'=1+1,2,,'-x\r\n\"a\rb\",c\r\n"


_names = st.text(min_size=1).map(str.strip).filter(bool)


@given(st.dictionaries(_names, _names, min_size=1))
def test_categories_csv_write_then_read_gives_same_mapping(categories: dict[str, str]) -> None:
    text = format_categories_csv(categories.items())

    assert parse_categories_csv(text) == categories
