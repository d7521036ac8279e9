"""Errors the engine raises: every one says what is wrong and where.

A file error carries the path, line and field so that it prints as
``ballots.blt:12: weight "x": expected a whole number``.
"""

from __future__ import annotations

from pathlib import Path


class CountError(Exception):
    """Base class of everything the counting engine raises on bad input."""


class FormatError(CountError):
    """A ballot or category file that cannot be read as what it claims to be."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


class QuotaError(CountError):
    """A category quota that no count could satisfy, or that names unknown things."""


class RuleError(CountError):
    """An option the chosen counting rule cannot honour (for example seats < 1)."""
