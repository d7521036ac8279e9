"""Analysis of a section's result by slate: plain functions on the stored result (the engine's
``Result.to_dict()``, or a published count sheet in the same layout).

A candidate counts in one slate group: the slates they are on, joined with " + " (see
``selectors.slate_label``), so every share adds up to 100%. Definitions in docs/elections.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NO_SLATE = "No slate"
EXHAUSTED = "Exhausted"
PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class SlateShare:
    slate: str
    votes: Decimal
    percent: Decimal  # of all first preferences, to one decimal place
    seats: int


@dataclass(frozen=True)
class TransferMatrix:
    """Votes transferred from one slate's candidates to another's over the whole count.

    ``cells[(source, target)]``; ``target`` is ``EXHAUSTED`` for votes that went to no
    continuing candidate. Transfers between candidates of the same slate are on the diagonal.
    """

    sources: list[str]
    targets: list[str]
    cells: dict[tuple[str, str], Decimal]

    def row(self, source: str) -> list[Decimal]:
        return [self.cells.get((source, t), Decimal(0)) for t in self.targets]

    def row_total(self, source: str) -> Decimal:
        return sum(self.row(source), Decimal(0))


def _slate(slate_of: Mapping[str, str], name: str) -> str:
    return slate_of.get(name, NO_SLATE)


def _order(labels: set[str]) -> list[str]:
    return sorted(labels, key=lambda s: (s == NO_SLATE, s))


def first_preferences(result: Mapping[str, Any]) -> dict[str, Decimal]:
    """Each candidate's first preferences: the votes at the first stage."""
    return {name: Decimal(v) for name, v in result["stages"][0]["votes"].items()}


def seats_by_slate(result: Mapping[str, Any], slate_of: Mapping[str, str]) -> dict[str, int]:
    seats: dict[str, int] = defaultdict(int)
    for name in result["elected"]:
        seats[_slate(slate_of, name)] += 1
    return dict(seats)


def first_preference_shares(
    result: Mapping[str, Any], slate_of: Mapping[str, str]
) -> list[SlateShare]:
    """First preferences and seats by slate, largest first."""
    votes: dict[str, Decimal] = defaultdict(Decimal)
    for name, v in first_preferences(result).items():
        votes[_slate(slate_of, name)] += v
    total = sum(votes.values(), Decimal(0))
    seats = seats_by_slate(result, slate_of)
    shares = [
        SlateShare(
            slate,
            v,
            (100 * v / total).quantize(PERCENT) if total else Decimal(0),
            seats.get(slate, 0),
        )
        for slate, v in votes.items()
    ]
    return sorted(shares, key=lambda s: (-s.votes, s.slate))


def transfer_matrix(result: Mapping[str, Any], slate_of: Mapping[str, str]) -> TransferMatrix:
    """Every stage's transfers, summed from the source candidate's slate to the target's."""
    cells: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for stage in result["stages"]:
        for transfer in stage.get("transfers", []):
            source = _slate(slate_of, transfer["from"])
            target = EXHAUSTED if transfer["to"] is None else _slate(slate_of, transfer["to"])
            cells[(source, target)] += Decimal(transfer["votes"])
    sources = _order({s for s, _ in cells})
    targets = _order({t for _, t in cells} - {EXHAUSTED})
    if any(t == EXHAUSTED for _, t in cells):
        targets.append(EXHAUSTED)
    return TransferMatrix(sources, targets, dict(cells))


def exhausted_votes(result: Mapping[str, Any]) -> Decimal:
    """Votes that ended with no continuing candidate: the last stage's (cumulative) figure."""
    return Decimal(result["stages"][-1]["exhausted"])


def total_votes(result: Mapping[str, Any]) -> Decimal:
    """The valid vote: first preferences plus any exhausted at the first stage."""
    first = result["stages"][0]
    return sum(first_preferences(result).values(), Decimal(0)) + Decimal(first["exhausted"])
