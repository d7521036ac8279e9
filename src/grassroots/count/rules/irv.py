"""Instant runoff: one seat, the lowest candidate excluded until one has a majority.

The rule as used for single-member sections of a party election and for
single-choice decisions: at each stage a candidate whose votes exceed half of
the votes still live (not exhausted) is elected; otherwise the candidate with
the fewest votes is excluded and their papers pass at full value to the next
continuing preference. Ties for exclusion look back to the most recent stage
where the tied candidates differed, then go to lot (as Scottish STV r.51).
When two candidates remain and tie exactly, the tie goes to lot.

Every paper is worth exactly one vote, so the arithmetic is in whole numbers.
"""

from __future__ import annotations

import numpy as np

from grassroots.count.arithmetic import FixedPoint
from grassroots.count.errors import RuleError
from grassroots.count.papers import Papers
from grassroots.count.profile import Profile
from grassroots.count.quota import Quotas
from grassroots.count.result import Action, Result
from grassroots.count.rules._gregory import (
    exclude_doomed,
    exclusion_transfers,
    fill_last_vacancies,
    lowest_eligible,
)
from grassroots.count.tally import Tally

RULE = "irv"
TITLE = "Instant runoff (one seat, majority of live votes)"
FIXED = FixedPoint(0)


def count(profile: Profile, *, quotas: Quotas | None = None, seed: int = 0) -> Result:
    """Count ``profile`` by instant runoff; ``profile.seats`` must be 1.

    Raises:
        RuleError: if the profile has more than one seat.
    """
    if profile.seats != 1:
        raise RuleError(
            f"instant runoff fills one seat, but the election has {profile.seats}: "
            "use an STV rule, or --seats 1"
        )
    tally = Tally(profile, rule=RULE, rule_title=TITLE, fixed=FIXED, quotas=quotas, seed=seed)
    rankings, weights = profile.effective()
    papers = Papers(rankings, weights, tally.n)
    valid = int(weights.sum())
    groups = np.arange(rankings.shape[0], dtype=np.int64)
    moved = papers.move(
        groups,
        np.ones(groups.shape[0], dtype=np.int64),
        tally.continuing_mask(),
        1,
        skip_current=False,
    )
    tally.votes = [int(v) for v in moved.credits]
    tally.record(Action.FIRST)
    while True:
        live = sum(tally.votes[c] for c in tally.continuing())
        majority = live // 2 + 1
        leaders = [c for c in tally.continuing() if tally.votes[c] >= majority]
        electable = [
            c for c in leaders if tally.guard.can_elect(c, tally.elected(), tally.continuing())
        ]
        if electable:
            tally.elect(electable[0], f"more than half of the {live} live votes")
            tally.flush_into_last_stage()
            break
        if fill_last_vacancies(tally, reason_rule="the only continuing candidate"):
            break
        doomed = exclude_doomed(tally)
        if doomed:
            transfers = exclusion_transfers(tally, papers, doomed, stage=len(tally.stages) + 1)
            tally.exhausted = valid - sum(tally.votes)
            tally.record(Action.QUOTA_EXCLUSION, doomed, transfers=transfers)
            continue
        candidate = lowest_eligible(tally, what="exclusion")
        tally.exclude(candidate, "fewest votes")
        transfers = exclusion_transfers(tally, papers, [candidate], stage=len(tally.stages) + 1)
        tally.record(Action.EXCLUSION, [candidate], transfers=transfers)
    return tally.result(quota=majority, valid_ballots=valid)
