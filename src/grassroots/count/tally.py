"""Bookkeeping shared by the rules: who is continuing, stages, ties, decisions.

A rule module decides *what* happens at each step, citing its text; this
class only records it, so that every rule produces the same kind of
:class:`~grassroots.count.result.Result`.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from grassroots.count.arithmetic import FixedPoint
from grassroots.count.profile import Profile
from grassroots.count.quota import NO_QUOTAS, QuotaGuard, Quotas
from grassroots.count.result import Action, Decision, DecisionKind, Result, Stage, Transfer


class Status(enum.IntEnum):
    CONTINUING = 0
    ELECTED = 1
    EXCLUDED = 2
    WITHDRAWN = 3


class Tally:
    """The running state of one count, in scaled integers of one :class:`FixedPoint`."""

    def __init__(
        self,
        profile: Profile,
        *,
        rule: str,
        rule_title: str,
        fixed: FixedPoint,
        quotas: Quotas | None,
        seed: int,
    ) -> None:
        self.profile = profile
        self.rule = rule
        self.rule_title = rule_title
        self.fixed = fixed
        self.quotas = quotas or NO_QUOTAS
        self.seed = seed
        self.rng = random.Random(seed)
        self.names = profile.candidates
        self.n = len(self.names)
        self.seats = profile.seats
        self.status = [Status.CONTINUING] * self.n
        for c in profile.withdrawn:
            self.status[c] = Status.WITHDRAWN
        self.votes = [0] * self.n
        self.exhausted = 0
        self.loss = 0
        self.elected_order: list[int] = []
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.decisions: list[Decision] = []
        self.stage_elected: list[int] = []
        self.stage_excluded: list[int] = []
        self.notes: list[str] = []
        self.guard = QuotaGuard(self.quotas, profile.categories, self.seats, self.names)
        self.guard.check_possible(self.continuing())

    # -- who is where ---------------------------------------------------------

    def continuing(self) -> list[int]:
        return [c for c in range(self.n) if self.status[c] is Status.CONTINUING]

    def elected(self) -> list[int]:
        return list(self.elected_order)

    def continuing_mask(self) -> npt.NDArray[np.bool_]:
        """Continuing candidates as a boolean array with a trailing False for padding."""
        mask = np.zeros(self.n + 1, dtype=bool)
        for c in self.continuing():
            mask[c] = True
        return mask

    @property
    def seats_left(self) -> int:
        return self.seats - len(self.elected_order)

    def label(self, candidates: Iterable[int]) -> tuple[str, ...]:
        return tuple(self.names[c] for c in candidates)

    # -- decisions ------------------------------------------------------------

    def decide(self, kind: DecisionKind, candidates: Iterable[int], reason: str) -> None:
        self.decisions.append(Decision(kind, self.label(candidates), reason))

    def elect(self, candidate: int, reason: str) -> None:
        self.status[candidate] = Status.ELECTED
        self.elected_order.append(candidate)
        self.stage_elected.append(candidate)
        self.decide(DecisionKind.ELECTED, [candidate], reason)

    def exclude(self, candidate: int, reason: str, *, doomed: bool = False) -> None:
        self.status[candidate] = Status.EXCLUDED
        self.stage_excluded.append(candidate)
        kind = DecisionKind.DOOMED if doomed else DecisionKind.EXCLUDED
        self.decide(kind, [candidate], reason)

    # -- ties -----------------------------------------------------------------

    def break_tie(
        self,
        tied: Sequence[int],
        *,
        lowest: bool,
        what: str,
        look_back: bool = True,
        earliest: bool = False,
    ) -> int:
        """Choose one of ``tied``: by the latest earlier stage where they differed, then by lot.

        ``lowest`` picks the candidate with fewest votes at that stage (for an
        exclusion), otherwise the most (for a surplus or an order of election).
        ``earliest`` looks from the first stage forward instead, for rules that
        break ties at "the earliest point in the count" where the votes differed
        (ERS97 5.2.3, 5.2.5).
        """
        tied = sorted(tied)
        if len(tied) == 1:
            return tied[0]
        # The reason names everyone in the tie, and any stage that set some of them aside.
        names = ", ".join(self.label(tied))
        if look_back:
            stages = range(len(self.history))
            for number in stages if earliest else reversed(stages):
                votes = self.history[number]
                target = min(votes[c] for c in tied) if lowest else max(votes[c] for c in tied)
                best = [c for c in tied if votes[c] == target]
                if len(best) < len(tied):
                    if len(best) == 1:
                        self.decide(
                            DecisionKind.TIE,
                            best,
                            f"tie for {what} between {names}: broken by stage {number + 1}, "
                            f"where {self.names[best[0]]} had the "
                            f"{'fewest' if lowest else 'most'} votes",
                        )
                        return best[0]
                    tied = best
                    names += (
                        f" (stage {number + 1} left {', '.join(self.label(tied))} with the "
                        f"{'fewest' if lowest else 'most'} votes)"
                    )
        choice = self.rng.choice(tied)
        self.decide(
            DecisionKind.TIE,
            [choice],
            f"tie for {what} between {names}: broken by lot (seed {self.seed})",
        )
        return choice

    # -- stages ---------------------------------------------------------------

    def record(
        self,
        action: Action,
        subjects: Iterable[int] = (),
        *,
        transfers: Sequence[tuple[int, int | None, int]] = (),
        transfer_value: int | None = None,
        quota: int | None = None,
    ) -> Stage:
        """Close the current stage: snapshot votes and flush its decisions."""
        d = self.fixed.to_decimal
        stage = Stage(
            number=len(self.stages) + 1,
            action=action,
            subjects=self.label(subjects),
            votes={
                self.names[c]: d(self.votes[c])
                for c in range(self.n)
                if self.status[c] is not Status.WITHDRAWN
            },
            exhausted=d(self.exhausted),
            loss=d(self.loss),
            elected=self.label(self.stage_elected),
            excluded=self.label(self.stage_excluded),
            transfers=tuple(
                Transfer(self.names[s], None if t is None else self.names[t], d(v))
                for s, t, v in transfers
                if v
            ),
            decisions=tuple(self.decisions),
            transfer_value=None if transfer_value is None else d(transfer_value),
            quota=None if quota is None else d(quota),
        )
        self.stages.append(stage)
        self.history.append(list(self.votes))
        self.decisions = []
        self.stage_elected = []
        self.stage_excluded = []
        return stage

    def flush_into_last_stage(self) -> None:
        """Attach decisions taken after the last transfer (e.g. final elections) to that stage."""
        if not (self.decisions or self.stage_elected or self.stage_excluded) or not self.stages:
            return
        last = self.stages[-1]
        self.stages[-1] = Stage(
            number=last.number,
            action=last.action,
            subjects=last.subjects,
            votes=last.votes,
            exhausted=last.exhausted,
            loss=last.loss,
            elected=last.elected + self.label(self.stage_elected),
            excluded=last.excluded + self.label(self.stage_excluded),
            transfers=last.transfers,
            decisions=last.decisions + tuple(self.decisions),
            transfer_value=last.transfer_value,
            quota=last.quota,
        )
        self.decisions = []
        self.stage_elected = []
        self.stage_excluded = []

    def result(self, *, quota: int, valid_ballots: int) -> Result:
        categories = self.profile.categories
        return Result(
            rule=self.rule,
            rule_title=self.rule_title,
            decimals=self.fixed.decimals,
            seats=self.seats,
            quota=self.fixed.to_decimal(quota),
            quotas=self.quotas.to_dict(),
            candidates=self.names,
            categories=dict(zip(self.names, categories, strict=True)) if categories else {},
            withdrawn=self.label(sorted(self.profile.withdrawn)),
            valid_ballots=valid_ballots,
            elected=self.label(self.elected_order),
            stages=tuple(self.stages),
            seed=self.seed,
            title=self.profile.title,
            notes=tuple(self.notes),
        )
