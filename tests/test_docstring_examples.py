"""The examples in the engine's and the forecasts' docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import grassroots.count
import grassroots.forecast

MODULES = sorted(
    {"grassroots.synthetic"}
    | {
        module.name
        for package in (grassroots.count, grassroots.forecast)
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    }
    | {"grassroots.count", "grassroots.forecast"}
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0


def test_some_examples_exist() -> None:
    found = sum(
        len(test.examples)
        for name in MODULES
        for test in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert found >= 5
