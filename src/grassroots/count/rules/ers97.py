"""ERS97 STV: the Electoral Reform Society's rules of 1997.

R. A. Newland and F. S. Britton, *How to conduct an election by the Single
Transferable Vote*, 3rd edition, revised by C. Rosenstiel and
J. Woodward-Nutt (Electoral Reform Society, 1997; ISBN 0-903291-18-5),
section 5 "Detailed instructions for the count" and the glossary, section 6.
Paragraph numbers below (``# ERS97 5.3.7``) are the booklet's. It is a
Gregory method with the "last parcel" rule:

* the quota is the total valid vote over one more than the places, to two
  decimal places and rounded up (5.1.6); it is cut while papers become
  non-transferable before anyone is elected (5.4.8), and a candidate is also
  deemed elected on reaching the total active vote over one more than the
  places still unfilled (5.1.7(b), 5.3.13(b), 5.4.9(b));
* a surplus arising after the first stage is taken from the last batch of
  papers received only (5.3.2); its transfer value is the surplus over the
  number of transferable papers, to two decimal places, remainder ignored
  (5.3.7), the remainder being the non-transferable difference (6.11);
* a surplus is deferred while it could not save the lowest candidate(s)
  (5.2.2), and several candidates are excluded together when their votes,
  with the deferred surpluses, do not reach the candidate next above (5.2.5);
* an exclusion passes papers on in batches, highest value first, each batch
  a sub-stage after which candidates may be elected (5.4.1-5.4.11);
* ties look back to the first stage, then forward to the earliest point
  where the votes differed, then go to lot (5.2.3, 5.2.5); a tie for the last
  places that history cannot break elects none of the tied at that stage
  (5.6.2).

Points the text leaves open, and what this module does:

* An empty paper states no first preference, so it is an invalid paper
  (6.9) and not part of the total valid vote (5.1.2, 6.24); nor is a paper
  whose only preferences were for withdrawn candidates. (B. Wichmann's ERBS
  case M135 counts its two empty papers, giving quota 84.88 rather than
  84.63.)
* A batch is "all the papers of one value in a transfer" (6.1), so the last
  batch is every paper a candidate received at the last (sub-)stage that gave
  them papers; with no later papers it is their first preferences (C.
  Rosenstiel, *Voting matters* 11, 2000).
* A surplus's transferable papers worth no more than the surplus move at
  their present value (5.3.7); the rest of the surplus is non-transferable.
  Values here: ``exhausted`` holds the value of papers with no next
  preference, ``loss`` the non-transferable difference (6.11); together they
  are the booklet's non-transferable vote.
* Candidates with equal votes are excluded together or not at all: a group
  for 5.2.5 ends where the candidate next above has more votes.
* A candidate with no votes is never deemed elected, even when the quota or
  the total active vote has fallen to nothing (no valid papers, or none
  still active): 5.5.1 fills such places instead.

Arithmetic: integers counting hundredths of a vote (5.1.6, 5.3.7, "to two
decimal places"). Category quotas are applied by guard and doom (see
:mod:`grassroots.count.quota`); the booklet has none, so with no quota this
is the ERS97 count.
"""

from __future__ import annotations

import numpy as np

from grassroots.count.arithmetic import FixedPoint, Rounding, div
from grassroots.count.papers import EXHAUSTED, IntArray, Papers
from grassroots.count.profile import Profile
from grassroots.count.quota import Quotas
from grassroots.count.result import Action, DecisionKind, Result
from grassroots.count.rules._gregory import (
    TransferRows,
    exclude_doomed,
    fill_last_vacancies,
    in_order_of_votes,
    lowest_eligible,
)
from grassroots.count.tally import Tally

RULE = "ers97"
TITLE = "ERS97 STV (Electoral Reform Society, How to conduct an election by STV, 3rd ed., 1997)"
FIXED = FixedPoint(2)


def count(profile: Profile, *, quotas: Quotas | None = None, seed: int = 0) -> Result:
    """Count ``profile`` by the ERS97 rules.

    Args:
        profile: the ballots; withdrawn candidates are struck out first, and
            empty papers are invalid.
        quotas: category limits, applied by guard and doom.
        seed: the seed for any tie that the rules send to lot.

    Returns:
        The :class:`~grassroots.count.result.Result`; each batch of an
        exclusion is a stage of its own.

    Raises:
        QuotaError: if the quotas cannot be met by any result.
    """
    tally = Tally(profile, rule=RULE, rule_title=TITLE, fixed=FIXED, quotas=quotas, seed=seed)
    rankings, weights = profile.effective()
    counting = _Count(tally, Papers(rankings, weights, tally.n), int(weights.sum()))
    counting.run()
    return tally.result(quota=counting.first_quota, valid_ballots=counting.valid)


def ers97_quota(active: int, places: int) -> int:
    """ERS97 5.1.6: ``active / (places + 1)`` to two decimal places, rounded up.

    "If the result is exact that is the quota. Otherwise ignore the
    remainder, and add 0.01": in hundredths, a quotient rounded up.

    >>> ers97_quota(FIXED.from_int(753), 6)  # the booklet's model election
    10758
    """
    return div(active, places + 1, rounding=Rounding.UP)


class _Count:
    """One ERS97 count: the tally, the papers, the quota and the surpluses waiting."""

    def __init__(self, tally: Tally, papers: Papers, valid: int) -> None:
        self.tally = tally
        self.papers = papers
        self.valid = valid
        self.total = FIXED.from_int(valid)  # the total valid vote, in hundredths
        self.quota = ers97_quota(self.total, tally.seats)
        self.first_quota = self.quota
        self.pending: list[int] = []  # elected, surplus not yet transferred (in order elected)

    # -- the count --------------------------------------------------------------

    def run(self) -> None:
        """Section 5: the first stage, then surpluses and exclusions until the places are filled."""
        tally, papers = self.tally, self.papers
        # ERS97 5.1.1-5.1.5: each valid paper counts one vote for its first preference.
        groups = np.arange(papers.rankings.shape[0], dtype=np.int64)
        moved = papers.move(
            groups,
            np.full(groups.shape[0], FIXED.one, dtype=np.int64),
            tally.continuing_mask(),
            1,
            skip_current=False,
        )
        tally.votes = [int(v) for v in moved.credits]
        tally.record(Action.FIRST, quota=self.quota)
        # ERS97 5.1.7: candidates reaching the quota are deemed elected.
        self.deem_elected("5.1.7")

        while True:
            tally.flush_into_last_stage()
            # ERS97 5.5.2: once the places are filled no more papers move, and
            # the candidates still continuing are formally excluded.
            if tally.seats_left <= 0:
                for candidate in tally.continuing():
                    tally.exclude(
                        candidate, "formally excluded: every place is filled (ERS97 5.5.2)"
                    )
                tally.flush_into_last_stage()
                return
            # ERS97 4.3: as many candidates left as unfilled places are elected.
            if fill_last_vacancies(tally, reason_rule="ERS97 4.3, 5.5.1", earliest=True):
                return

            # Quota: doomed candidates go together, before any further surplus,
            # their papers passing on in batches as in an exclusion (5.4).
            doomed = exclude_doomed(tally)
            if doomed:
                self.exclude(doomed, Action.QUOTA_EXCLUSION)
                continue

            # ERS97 5.2.2: the surpluses, unless their total could not change
            # which candidate(s) are excluded next.
            self.pending = [c for c in self.pending if tally.votes[c] > self.quota]
            surpluses = sum(tally.votes[c] - self.quota for c in self.pending)
            groups_to_exclude = self.exclusion_groups()
            if self.pending:
                deferring = [(g, m) for g, m in groups_to_exclude if m >= surpluses]
                if not deferring:
                    self.transfer_surplus(self.largest_surplus())
                    # ERS97 5.3.13: candidates now reaching the quota are deemed elected.
                    self.deem_elected("5.3.13")
                    continue
                group, margin = deferring[0]
                total, room = FIXED.to_decimal(surpluses), FIXED.to_decimal(margin)
                if len(group) == 1:
                    why = (
                        f"surpluses totalling {total} do not exceed {room}, the "
                        f"difference between the two lowest candidates (ERS97 5.2.2(a))"
                    )
                else:
                    why = (
                        f"surpluses totalling {total} do not exceed {room}, the "
                        f"difference between the {len(group)} lowest candidates together and "
                        f"the candidate next above (ERS97 5.2.2(b))"
                    )
                tally.decide(DecisionKind.DEFERRED, self.pending, f"transfer deferred: {why}")

            # ERS97 5.2.5: exclude as many of the lowest candidates together as
            # (a) leaves enough to fill the places and (b) keeps their votes,
            # with the deferred surpluses, within the vote of the candidate next above.
            allowed = [g for g, m in groups_to_exclude if m >= surpluses]
            if allowed:
                excluded = allowed[-1]
                reason = (
                    "fewest votes (ERS97 5.2.5)"
                    if len(excluded) == 1
                    else f"one of the {len(excluded)} lowest candidates excluded together "
                    f"(ERS97 5.2.5)"
                )
            else:
                # The lowest candidates are equal (or the quota guards the lowest):
                # one goes, chosen as 5.2.5 says.
                excluded = [lowest_eligible(tally, what="exclusion (ERS97 5.2.5)", earliest=True)]
                reason = "fewest votes (ERS97 5.2.5)"
            # ERS97 5.5.1: an exclusion that would leave only as many continuing
            # candidates as places elects them instead; no papers move.
            if len(tally.continuing()) - len(excluded) <= tally.seats_left:
                for candidate in excluded:
                    tally.exclude(
                        candidate,
                        f"{reason}; the other continuing candidates fill the places (ERS97 5.5.1)",
                    )
                fill_last_vacancies(tally, reason_rule="ERS97 5.5.1", earliest=True)
                return
            for candidate in excluded:
                tally.exclude(candidate, reason)
            self.exclude(excluded, Action.EXCLUSION)

    # -- election ---------------------------------------------------------------

    def active_vote(self) -> int:
        """ERS97 6.20, 5.6.1: continuing votes plus votes awaiting transfer.

        That is the total valid vote less the non-transferable vote and the
        quota (or the vote, if less) of each candidate deemed elected.
        """
        tally = self.tally
        held = sum(min(self.quota, tally.votes[c]) for c in tally.elected_order)
        return self.total - tally.exhausted - tally.loss - held

    def reaches(self, candidate: int) -> str | None:
        """Why ``candidate`` is to be deemed elected now, or None (5.1.7(a)-(b))."""
        tally = self.tally
        vote = tally.votes[candidate]
        if vote <= 0:
            return None
        if vote >= self.quota:
            return f"reached the quota {FIXED.to_decimal(self.quota)}"
        # (b): the total active vote over one more than the places unfilled.
        active = self.active_vote()
        if vote * (tally.seats_left + 1) >= active:
            share = FIXED.to_decimal(ers97_quota(active, tally.seats_left))
            return (
                f"reached {share}, the total active vote over one more than the "
                f"{tally.seats_left} place(s) unfilled"
            )
        return None

    def deem_elected(self, paragraph: str) -> None:
        """ERS97 5.1.7, 5.3.13, 5.4.9: elect, highest vote first, all who reach the quota.

        The test is repeated after each election, since the total active vote
        and the places unfilled both change. Under a category quota a
        candidate whose election would make the quota impossible is passed
        over; the doom step that follows excludes them.
        """
        tally = self.tally
        passed: set[int] = set()
        while tally.seats_left > 0:
            reaching = {
                c: why
                for c in tally.continuing()
                if c not in passed and (why := self.reaches(c)) is not None
            }
            if not reaching:
                return
            top = max(tally.votes[c] for c in reaching)
            tied = [c for c in reaching if tally.votes[c] == top]
            if len(tied) > tally.seats_left:
                # ERS97 5.6.2: too few places for equal candidates: they go in
                # order of their votes at the earliest point where these differed;
                # where they never differed, none of them is elected at this stage.
                chosen: list[int] = []
                rest: list[int] = []
                tiers = self.rank_by_history(tied)
                for tier in tiers:
                    if rest or len(chosen) + len(tier) > tally.seats_left:
                        rest += tier
                    else:
                        chosen += tier
                for candidate in chosen:
                    why = f"{reaching[candidate]}; ahead of equal candidates at an earlier stage"
                    self.elect(candidate, why, paragraph, passed)
                if chosen:
                    behind = f"behind {', '.join(tally.label(chosen))} at an earlier stage"
                elif len(tiers) == 1:
                    behind = "equal at every earlier stage"
                else:
                    behind = "no earlier stage puts few enough of them ahead"
                tally.decide(
                    DecisionKind.TIE,
                    rest,
                    f"equal votes with too few places left, and {behind}: not deemed "
                    "elected at this stage (ERS97 5.6.2)",
                )
                return
            order = in_order_of_votes(
                tally, tied, what=f"order of election (ERS97 {paragraph})", earliest=True
            )
            for candidate in order:
                self.elect(candidate, reaching[candidate], paragraph, passed)

    def elect(self, candidate: int, why: str, paragraph: str, passed: set[int]) -> None:
        """Deem ``candidate`` elected, unless the category quota forbids it."""
        tally = self.tally
        if tally.seats_left <= 0 or not tally.guard.can_elect(
            candidate, tally.elected(), tally.continuing()
        ):
            passed.add(candidate)
            return
        tally.elect(candidate, f"{why} (ERS97 {paragraph})")
        self.pending.append(candidate)

    def rank_by_history(self, tied: list[int]) -> list[list[int]]:
        """ERS97 5.6.2: equal candidates in tiers, by votes at the earliest stage they differed."""
        history = self.tally.history

        def tiers(group: list[int], start: int) -> list[list[int]]:
            for number in range(start, len(history)):
                votes = history[number]
                values = sorted({votes[c] for c in group}, reverse=True)
                if len(values) > 1:
                    out: list[list[int]] = []
                    for value in values:
                        sub = [c for c in group if votes[c] == value]
                        out += tiers(sub, number + 1) if len(sub) > 1 else [sub]
                    return out
            return [sorted(group)]

        return tiers(sorted(tied), 0)

    # -- surpluses --------------------------------------------------------------

    def largest_surplus(self) -> int:
        """ERS97 5.2.3: the largest surplus; ties by the earliest unequal stage, then lot."""
        tally = self.tally
        top = max(tally.votes[c] for c in self.pending)
        tied = [c for c in self.pending if tally.votes[c] == top]
        return tally.break_tie(
            tied, lowest=False, what="the largest surplus (ERS97 5.2.3)", earliest=True
        )

    def last_batch(self, candidate: int) -> IntArray:
        """ERS97 5.3.1-5.3.2: the papers of the last (sub-)stage that gave the candidate papers."""
        parcels = self.papers.take(candidate)
        last = max(p.stage for p in parcels)
        return np.concatenate([p.groups for p in parcels if p.stage == last])

    def transfer_surplus(self, candidate: int) -> None:
        """ERS97 5.3: transfer one surplus from the last batch of papers, as one stage."""
        tally, papers = self.tally, self.papers
        self.pending.remove(candidate)
        surplus = tally.votes[candidate] - self.quota
        batch = self.last_batch(candidate)
        mask = tally.continuing_mask()
        # ERS97 5.3.3: sort into next available preferences; set aside the
        # non-transferable papers (they stay with the elected candidate).
        transferable = batch[papers.next_holders(batch, mask) != EXHAUSTED]
        n_papers = int(papers.weights[transferable].sum())
        present = papers.value[transferable]
        worth = int((papers.weights[transferable] * present).sum())
        stage = len(tally.stages) + 1
        transfer_value: int | None
        if worth > surplus:
            # ERS97 5.3.7: surplus / transferable papers, to 2 d.p., remainder ignored.
            transfer_value = div(surplus, n_papers, rounding=Rounding.DOWN)
            values = np.full(transferable.shape[0], transfer_value, dtype=np.int64)
        else:
            # ERS97 5.3.7: worth no more than the surplus: each at its present value.
            values = present
            uniform = np.unique(present)
            transfer_value = int(uniform[0]) if uniform.shape[0] == 1 else None
        moved = papers.move(transferable, values, mask, stage, skip_current=True)
        credited = int(moved.credits.sum())
        for c in range(tally.n):
            tally.votes[c] += int(moved.credits[c])
        tally.votes[candidate] = self.quota
        if worth > surplus:
            # ERS97 5.3.9-5.3.10, 6.11: the non-transferable difference.
            tally.loss += surplus - credited
        else:
            tally.exhausted += surplus - credited
        rows: TransferRows = [(candidate, c, int(moved.credits[c])) for c in range(tally.n)]
        rows.append((candidate, None, surplus - credited))
        tally.record(Action.SURPLUS, [candidate], transfers=rows, transfer_value=transfer_value)

    # -- exclusions -------------------------------------------------------------

    def exclusion_groups(self) -> list[tuple[list[int], int]]:
        """ERS97 5.2.5: the sets of lowest candidates that may be excluded together.

        Each is returned with its margin: the vote of the candidate next above
        less the set's total votes. A set must leave enough candidates to
        fill the places (5.2.5(a)), end below a candidate with more votes, and
        be one the category quota lets go.
        """
        tally = self.tally
        continuing = sorted(tally.continuing(), key=lambda c: (tally.votes[c], c))
        most = len(continuing) - tally.seats_left  # ERS97 5.2.5(a)
        elected = tally.elected()
        out: list[tuple[list[int], int]] = []
        total = 0
        for size in range(1, min(most, len(continuing) - 1) + 1):
            total += tally.votes[continuing[size - 1]]
            above = tally.votes[continuing[size]]
            if tally.votes[continuing[size - 1]] == above:
                continue
            group = continuing[:size]
            rest = continuing[size:]
            if not tally.guard.can_exclude(group[0], elected, [group[0], *rest]):
                break
            out.append((group, above - total))
        return out

    def exclude(self, excluded: list[int], action: Action) -> None:
        """ERS97 5.4: pass the excluded candidates' papers on, batch by batch.

        Each batch (one value) is a stage of its own; after each, the quota
        may fall (5.4.8) and candidates may be deemed elected (5.4.9), who then
        receive no more papers (5.4.10).
        """
        tally, papers = self.tally, self.papers
        # ERS97 5.4.1: all the papers credited to them, in batches by value, highest first.
        held = {c: papers.pile_groups(c) for c in excluded}
        for c in excluded:
            papers.take(c)
        every = np.concatenate(list(held.values()))
        values = sorted({int(v) for v in np.unique(papers.value[every])}, reverse=True)
        if not values:
            for c in excluded:
                tally.votes[c] = 0
            tally.record(action, excluded)
            return
        for value in values:
            # ERS97 5.4.2-5.4.7, 5.4.11: one batch, to the next available preferences.
            mask = tally.continuing_mask()
            stage = len(tally.stages) + 1
            rows: TransferRows = []
            for source in excluded:
                groups = held[source]
                batch = groups[papers.value[groups] == value]
                if batch.shape[0] == 0:
                    continue
                amount = int(papers.weights[batch].sum()) * value
                moved = papers.move(batch, papers.value[batch], mask, stage, skip_current=True)
                for c in range(tally.n):
                    tally.votes[c] += int(moved.credits[c])
                    rows.append((source, c, int(moved.credits[c])))
                rows.append((source, None, moved.exhausted))
                tally.votes[source] -= amount
                tally.exhausted += moved.exhausted
            changed = self.reduce_quota()
            tally.record(
                action,
                excluded,
                transfers=rows,
                transfer_value=value,
                quota=self.quota if changed else None,
            )
            # ERS97 5.4.9: candidates now reaching the quota are deemed elected.
            self.deem_elected("5.4.9")
            tally.flush_into_last_stage()
            # ERS97 5.5.2: no further transfers once the places are filled.
            if tally.seats_left <= 0:
                return

    def reduce_quota(self) -> bool:
        """ERS97 5.4.8: before anyone is elected, the quota ignores the non-transferable vote."""
        tally = self.tally
        if tally.elected_order:
            return False
        quota = ers97_quota(self.total - tally.exhausted - tally.loss, tally.seats)
        if quota == self.quota:
            return False
        self.quota = quota
        tally.notes.append(
            f"quota reduced to {FIXED.to_decimal(quota)} at stage {len(tally.stages) + 1}: "
            f"papers became non-transferable before anyone was elected (ERS97 5.4.8)"
        )
        return True


__all__ = ["FIXED", "RULE", "TITLE", "count", "ers97_quota"]
