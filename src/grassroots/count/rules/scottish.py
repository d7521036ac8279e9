"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42).

Schedule 1, rules 45 to 52 (as re-made in 2011, unchanged in substance): a
Weighted Inclusive Gregory Method. Every paper an elected candidate holds is
transferred with their surplus, at a value truncated to five decimal places
(r.48(3)); excluded candidates' papers move at the value they arrived with
(r.50(4)); ties look back to the most recent stage where the tied candidates
differed, then go to lot (rr.49, 51).

Arithmetic: integers counting units of 0.00001 (r.48(3), "to five decimal
places (any remainder being ignored)").

Category quotas are applied by guard and doom (see :mod:`grassroots.count.quota`);
the statute has none, so with no quota this is the statutory count.
"""

from __future__ import annotations

import numpy as np

from grassroots.count.arithmetic import FixedPoint
from grassroots.count.papers import Papers
from grassroots.count.profile import Profile
from grassroots.count.quota import Quotas
from grassroots.count.result import Action, DecisionKind, Result
from grassroots.count.rules._gregory import (
    elect_reaching_quota,
    exclude_doomed,
    exclusion_transfers,
    fill_last_vacancies,
    lowest_eligible,
)
from grassroots.count.tally import Status, Tally

RULE = "scottish"
TITLE = "Scottish STV (SSI 2007/42 Sch. 1 rr. 45-52)"
FIXED = FixedPoint(5)


def count(profile: Profile, *, quotas: Quotas | None = None, seed: int = 0) -> Result:
    """Count ``profile`` by Scottish STV.

    Args:
        profile: the ballots; withdrawn candidates are struck out first.
        quotas: category limits, applied by guard and doom.
        seed: the seed for any tie that the rules send to lot.

    Returns:
        The :class:`~grassroots.count.result.Result`, stage by stage.

    Raises:
        QuotaError: if the quotas cannot be met by any result.
    """
    tally = Tally(profile, rule=RULE, rule_title=TITLE, fixed=FIXED, quotas=quotas, seed=seed)
    rankings, weights = profile.effective()
    papers = Papers(rankings, weights, tally.n)
    one = FIXED.one

    # r.45: first stage, one vote per valid paper for its first preference.
    valid = int(weights.sum())
    # r.46: quota = floor(valid / (seats + 1)) + 1, a whole number of votes.
    quota = FIXED.from_int(valid // (profile.seats + 1) + 1)
    all_groups = np.arange(rankings.shape[0], dtype=np.int64)
    moved = papers.move(
        all_groups,
        np.full(all_groups.shape[0], one, dtype=np.int64),
        tally.continuing_mask(),
        1,
        skip_current=False,
    )
    tally.votes = [int(v) for v in moved.credits]
    tally.record(Action.FIRST)

    pending: list[int] = []  # elected candidates whose surplus is still to be transferred
    while True:
        # r.47(1): candidates at or above the quota are elected, highest first.
        pending += elect_reaching_quota(tally, quota, reason_rule="r.47(1)")
        tally.flush_into_last_stage()
        # r.48(1): no transfer once the vacancies are filled; r.52: when the
        # continuing candidates are no more than the vacancies, they are elected.
        if tally.seats_left <= 0 or fill_last_vacancies(tally, reason_rule="r.52(1)"):
            break

        # Quota: doomed candidates go together, before any further surplus.
        doomed = exclude_doomed(tally)
        if doomed:
            transfers = _transfer_excluded(tally, papers, doomed)
            tally.record(Action.QUOTA_EXCLUSION, doomed, transfers=transfers)
            continue

        pending = [c for c in pending if tally.votes[c] > quota]
        if pending:
            # r.49(1): the largest surplus first; r.49(2)-(3) for equal surpluses.
            top = max(tally.votes[c] for c in pending)
            tied = [c for c in pending if tally.votes[c] == top]
            candidate = tally.break_tie(tied, lowest=False, what="the largest surplus (r.49)")
            pending.remove(candidate)
            transfers, value = _transfer_surplus(tally, papers, candidate, quota)
            tally.record(Action.SURPLUS, [candidate], transfers=transfers, transfer_value=value)
            continue

        # r.50(1): exclude the candidate with the fewest votes; r.51 for ties.
        candidate = lowest_eligible(tally, what="exclusion (r.51)")
        tally.exclude(candidate, "fewest votes (r.50(1))")
        transfers = _transfer_excluded(tally, papers, [candidate])
        tally.record(Action.EXCLUSION, [candidate], transfers=transfers)

    return tally.result(quota=quota, valid_ballots=valid)


def _transfer_surplus(
    tally: Tally, papers: Papers, candidate: int, quota: int
) -> tuple[list[tuple[int, int | None, int]], int]:
    """r.48: transfer every paper the candidate holds, at the truncated transfer value."""
    total = tally.votes[candidate]
    surplus = total - quota
    groups = np.concatenate([p.groups for p in papers.take(candidate)])
    # r.48(3): value = surplus x value of the paper / total votes, to 5 d.p., remainder ignored.
    values = papers.value[groups] * surplus // total
    stage = len(tally.stages) + 1
    moved = papers.move(groups, values, tally.continuing_mask(), stage, skip_current=True)
    transferred = int(moved.credits.sum())
    for c in range(tally.n):
        tally.votes[c] += int(moved.credits[c])
    tally.votes[candidate] = quota
    tally.exhausted += moved.exhausted
    tally.loss += surplus - transferred - moved.exhausted
    transfers: list[tuple[int, int | None, int]] = [
        (candidate, c, int(moved.credits[c])) for c in range(tally.n)
    ]
    transfers.append((candidate, None, moved.exhausted))
    return transfers, surplus * FIXED.one // total


def _transfer_excluded(
    tally: Tally, papers: Papers, excluded: list[int]
) -> list[tuple[int, int | None, int]]:
    """r.50(2)-(4): pass on the excluded candidates' papers at the value they arrived with."""
    return exclusion_transfers(tally, papers, excluded, stage=len(tally.stages) + 1)


__all__ = ["FIXED", "RULE", "TITLE", "DecisionKind", "Status", "count"]
