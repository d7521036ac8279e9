"""Every malformed file in tests/count/bad/ gives its exact, hand-checked error.

The expected messages live in ``bad/expected.yaml``. Each file is read from
inside that folder by its bare name, so the message's path is the file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from grassroots.count.errors import CountError, FormatError
from grassroots.count.formats import read_profile
from grassroots.count.formats.categories import read_categories

BAD = Path(__file__).parent / "bad"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (BAD / "expected.yaml").read_text(encoding="utf-8")
)


def _read(name: str, seats: int | None) -> object:
    if name.startswith("categories-"):
        return read_categories(name)
    return read_profile(name, seats=seats)


def test_bad_folder_every_file_has_an_expected_error() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_exact_error(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = EXPECTED[name]
    monkeypatch.chdir(BAD)

    with pytest.raises(FormatError) as caught:
        _read(name, entry.get("seats"))

    assert str(caught.value) == entry["error"]
    assert isinstance(caught.value, CountError)
