"""The test run's own pytest plugin, loaded early (``-p tests.plugin`` in pyproject.toml).

* The test run is development: this sets ``GRASSROOTS_DEV=1`` before pytest-django reads the
  settings, which outside development refuse to load without a secret key of its own. The tests
  of production's refusals start their own processes without it.
* ``--wheel`` runs tests/wheel: build the wheel, install it without extras into a fresh virtual
  environment and check the site it serves (``make check-wheel``; CI runs it). Without the
  option those tests are skipped, as they take a minute and build outside the checkout.
"""

from __future__ import annotations

import os

import pytest

os.environ["GRASSROOTS_DEV"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wheel",
        action="store_true",
        help="run tests/wheel: build and install the wheel, then check the site it serves",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--wheel"):
        return
    skip = pytest.mark.skip(reason="the installed wheel's tests run with --wheel")
    for item in items:
        if item.get_closest_marker("wheel"):
            item.add_marker(skip)
