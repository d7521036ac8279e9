"""The site installed from the wheel, built and served once for the whole run (``--wheel``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wheel.harness import InstalledSite, installed_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstalledSite]:
    with installed_site(tmp_path_factory.mktemp("wheel")) as served:
        yield served


@pytest.fixture(scope="session")
def wheel_path(site: InstalledSite) -> Path:
    (wheel,) = (site.directory.parent / "dist").glob("grassroots-*.whl")
    return wheel
