"""Steps shared by the rules that count papers in piles (Scottish STV, ERS97, IRV).

Each function does one step the rule texts have in common and records the
decision with its reason; the rule module chooses when to call it and cites
its own paragraph.
"""

from __future__ import annotations

import numpy as np

from grassroots.count.papers import Papers
from grassroots.count.result import DecisionKind
from grassroots.count.tally import Tally

TransferRows = list[tuple[int, int | None, int]]


def in_order_of_votes(
    tally: Tally, candidates: list[int], *, what: str, earliest: bool = False
) -> list[int]:
    """Candidates by votes, highest first; equal votes ordered as the rule breaks surplus ties.

    ``earliest`` breaks ties by the earliest stage where the votes differed
    (see :meth:`Tally.break_tie`).
    """
    remaining = list(candidates)
    ordered: list[int] = []
    while remaining:
        top = max(tally.votes[c] for c in remaining)
        tied = [c for c in remaining if tally.votes[c] == top]
        chosen = tally.break_tie(tied, lowest=False, what=what, earliest=earliest)
        ordered.append(chosen)
        remaining.remove(chosen)
    return ordered


def elect_reaching_quota(tally: Tally, quota: int, *, reason_rule: str) -> list[int]:
    """Elect every continuing candidate at or above the quota, highest first.

    Under a category quota, a candidate whose election would make the quota
    impossible is not elected: the doom step that follows excludes them.
    """
    reached = [c for c in tally.continuing() if tally.votes[c] >= quota]
    newly: list[int] = []
    for candidate in in_order_of_votes(tally, reached, what="order of election"):
        if tally.seats_left <= 0:
            break
        if tally.guard.can_elect(candidate, tally.elected(), tally.continuing()):
            tally.elect(candidate, f"reached the quota ({reason_rule})")
            newly.append(candidate)
    return newly


def fill_last_vacancies(tally: Tally, *, reason_rule: str, earliest: bool = False) -> bool:
    """Elect all continuing candidates when they are no more than the vacancies left."""
    continuing = tally.continuing()
    if len(continuing) > tally.seats_left:
        return False
    # Published count sheets show these elections at the stage after which
    # they happen, not as a stage of their own, so they join the last stage.
    ordered = in_order_of_votes(tally, continuing, what="order of election", earliest=earliest)
    for candidate in ordered:
        tally.elect(
            candidate,
            f"elected to fill the last vacancies: continuing candidates no more than "
            f"the vacancies remaining ({reason_rule})",
        )
    tally.flush_into_last_stage()
    return True


def exclude_doomed(tally: Tally) -> list[int]:
    """Exclude together every candidate whom the quota forbids electing; return them."""
    elected = tally.elected()
    doomed = tally.guard.doomed(elected, tally.continuing())
    if doomed:
        reason = tally.guard.doom_reason(elected)
        for candidate in doomed:
            tally.exclude(candidate, reason, doomed=True)
    return doomed


def lowest_eligible(tally: Tally, *, what: str, earliest: bool = False) -> int:
    """The continuing candidate to exclude: fewest votes among those the quota allows.

    A candidate the quota needs is *guarded*; the decision is recorded when it
    changed who goes.
    """
    continuing = tally.continuing()
    elected = tally.elected()
    eligible = [c for c in continuing if tally.guard.can_exclude(c, elected, continuing)]
    low = min(tally.votes[c] for c in eligible)
    guarded = [c for c in continuing if c not in eligible and tally.votes[c] <= low]
    for candidate in guarded:
        tally.decide(
            DecisionKind.GUARDED, [candidate], tally.guard.guard_reason(candidate, elected)
        )
    tied = [c for c in eligible if tally.votes[c] == low]
    return tally.break_tie(tied, lowest=True, what=what, earliest=earliest)


def exclusion_transfers(
    tally: Tally, papers: Papers, excluded: list[int], *, stage: int
) -> TransferRows:
    """Pass excluded candidates' papers on, each at the value it arrived with."""
    mask = tally.continuing_mask()
    rows: TransferRows = []
    for source in excluded:
        parcels = papers.take(source)
        if not parcels:
            tally.votes[source] = 0
            continue
        groups = np.concatenate([p.groups for p in parcels])
        moved = papers.move(groups, papers.value[groups], mask, stage, skip_current=True)
        for c in range(tally.n):
            tally.votes[c] += int(moved.credits[c])
            rows.append((source, c, int(moved.credits[c])))
        tally.exhausted += moved.exhausted
        rows.append((source, None, moved.exhausted))
        tally.votes[source] = 0
    return rows
