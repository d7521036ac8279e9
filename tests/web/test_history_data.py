"""The history page reads the past elections from the package's data files: when an
installation left them out, the page fails with a message that names the folder, never an
empty table that looks like no history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.elections import history


@pytest.fixture
def data_dir_emptied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(history, "DATA", tmp_path)
    history._files.cache_clear()
    yield tmp_path
    history._files.cache_clear()


def test_history_without_data_files_fails_naming_the_folder(
    client: Client, data_dir_emptied: Path
) -> None:
    with pytest.raises(history.HistoryDataMissingError, match=str(data_dir_emptied)):
        client.get(reverse("elections:history"))


def test_history_with_data_files_shows_every_year(client: Client) -> None:
    response = client.get(reverse("elections:history"))

    assert response.status_code == 200
    assert [e.year for e in response.context["elections"]] == [2018, 2020, 2022, 2024]
