"""Fixed-point decimal arithmetic in integers, with rounding always named.

A rule that works to ``d`` decimal places keeps every value as an integer
number of units of ``10**-d``. Products and quotients round only where the
rule says, and the direction is spelled out at every call
(``mul_div(a, b, c, rounding=Rounding.DOWN)``), so nothing is left to the
habits of floating point.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class Rounding(enum.Enum):
    """Direction of rounding for a quotient."""

    DOWN = "down"  # towards zero; the statutes' "any remainder being ignored"
    UP = "up"  # away from zero


def div(a: int, b: int, *, rounding: Rounding) -> int:
    """Divide two non-negative integers, rounding as named."""
    if b <= 0 or a < 0:
        raise ValueError(f"div expects a >= 0 and b > 0, got {a}/{b}")
    q, r = divmod(a, b)
    if rounding is Rounding.UP and r:
        q += 1
    return q


def mul_div(a: int, b: int, c: int, *, rounding: Rounding) -> int:
    """Return ``a * b / c`` for non-negative integers, rounded as named."""
    return div(a * b, c, rounding=rounding)


@dataclass(frozen=True)
class FixedPoint:
    """A decimal scale: values are integers counting units of ``10**-decimals``."""

    decimals: int

    @property
    def one(self) -> int:
        """The integer that stands for 1."""
        return int(10**self.decimals)

    def from_int(self, n: int) -> int:
        """Scale a whole number."""
        return n * self.one

    def to_decimal(self, value: int) -> Decimal:
        """An exact :class:`~decimal.Decimal` for a scaled value."""
        return Decimal(value).scaleb(-self.decimals)

    def floor_whole(self, value: int) -> int:
        """The whole part of a scaled value."""
        return value // self.one
