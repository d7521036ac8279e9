"""What a count returns: every stage, transfer and decision, each with its reason.

Rendering is separate (see :mod:`grassroots.cli.render`); the engine never
prints. Decimal values are kept exact and serialised as strings, so a JSON
result loses nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class Action(enum.StrEnum):
    """What happened in a stage.

    The election of the remaining candidates to the last vacancies is not a
    stage of its own: as on published count sheets, it is recorded on the
    stage after which it happens, as ``elected`` decisions that say so.
    """

    FIRST = "first"  # first preferences counted
    SURPLUS = "surplus"  # a surplus transferred (Meek: keep values settled after an election)
    EXCLUSION = "exclusion"  # the lowest candidate(s) excluded
    QUOTA_EXCLUSION = "quota_exclusion"  # candidates excluded together to keep a category quota


class DecisionKind(enum.StrEnum):
    """The kinds of decision a count records."""

    ELECTED = "elected"
    EXCLUDED = "excluded"
    DOOMED = "doomed"  # excluded because electing them would make a quota impossible
    GUARDED = "guarded"  # spared from exclusion because a quota needs them
    TIE = "tie"  # a tie broken by an earlier stage or by lot
    DEFERRED = "deferred"  # a surplus not transferred yet (ERS97 5.2.4)


@dataclass(frozen=True)
class Decision:
    """A decision of the count, with the reason in words."""

    kind: DecisionKind
    candidates: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "candidates": list(self.candidates), "reason": self.reason}


@dataclass(frozen=True)
class Transfer:
    """Votes moved in a stage from one candidate to another (``target`` None: non-transferable)."""

    source: str
    target: str | None
    votes: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "votes": str(self.votes)}


@dataclass(frozen=True)
class Stage:
    """The state at the end of one stage of the count.

    ``votes`` holds every candidate's total (excluded candidates 0);
    ``exhausted`` and ``loss`` are cumulative, so that at every stage
    ``sum(votes) + exhausted + loss`` equals the valid vote.
    """

    number: int
    action: Action
    subjects: tuple[str, ...]
    votes: Mapping[str, Decimal]
    exhausted: Decimal
    loss: Decimal
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    decisions: tuple[Decision, ...] = ()
    transfer_value: Decimal | None = None
    quota: Decimal | None = None  # set when the quota changes between stages (Meek)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "action": str(self.action),
            "subjects": list(self.subjects),
            "votes": {name: str(v) for name, v in self.votes.items()},
            "exhausted": str(self.exhausted),
            "loss": str(self.loss),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transfer_value": None if self.transfer_value is None else str(self.transfer_value),
            "quota": None if self.quota is None else str(self.quota),
            "transfers": [t.to_dict() for t in self.transfers],
            "decisions": [d.to_dict() for d in self.decisions],
        }


@dataclass(frozen=True)
class Result:
    """A finished count."""

    rule: str
    rule_title: str
    decimals: int
    seats: int
    quota: Decimal
    quotas: Mapping[str, Mapping[str, int]]
    candidates: tuple[str, ...]
    categories: Mapping[str, str]
    withdrawn: tuple[str, ...]
    valid_ballots: int
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    seed: int
    title: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every decision of the count, in order."""
        return tuple(d for s in self.stages for d in s.decisions)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; numbers with decimals are strings."""
        return {
            "rule": self.rule,
            "rule_title": self.rule_title,
            "title": self.title,
            "decimals": self.decimals,
            "seats": self.seats,
            "quota": str(self.quota),
            "quotas": {k: dict(v) for k, v in self.quotas.items()},
            "seed": self.seed,
            "valid_ballots": self.valid_ballots,
            "candidates": list(self.candidates),
            "categories": dict(self.categories),
            "withdrawn": list(self.withdrawn),
            "elected": list(self.elected),
            "stages": [s.to_dict() for s in self.stages],
            "notes": list(self.notes),
        }
