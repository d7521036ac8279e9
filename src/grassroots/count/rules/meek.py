"""Meek STV: Hill, Wichmann & Woodall, "Algorithm 123 — Single Transferable Vote by
Meek's method", The Computer Journal 30(3), 1987, pp. 277-281 (Alg. 123).

Every candidate has a *keep value* (the program's ``weight``): 1 for a hopeful
candidate, 0 for an excluded one, and for an elected one the share of each
vote reaching them that they keep. A ballot is passed down its ranking; each
candidate keeps their share of what is left and passes the rest on, and what
runs off the end is the *excess* (Alg. 123 s.3.3: the voter's vote "runs off
the end" and the quota is adjusted for the fewer usable votes). Each iteration:

1. distribute every ballot with the current keep values (procedure ``compute``);
2. quota = (total - excess) / (seats + 1), with ``seats`` the seats of the
   whole election;
3. the count has *converged* when every elected candidate's ``quota / votes``
   lies within [0.99999, 1.00001], that is, **each elected candidate's vote is
   within 0.001 % of the quota** (Alg. 123's stated tolerance); each elected
   candidate's keep value becomes ``keep * quota / votes`` (at most 1), and
   the iteration repeats until converged (at most 500 iterations);
4. once converged, every hopeful candidate with ``votes ≥ quota`` is elected,
   and a new member's keep value is set to ``quota / votes`` while seats
   remain; if more reach the quota than there are seats (a multi-way tie),
   the lowest of them are passed over, equal votes by lot;
5. when nobody is elected, the one hopeful candidate with fewest votes is
   excluded (keep value 0), equal votes by lot — Alg. 123 has no bulk
   exclusion and does not look back to earlier stages;
6. when the hopeful candidates are no more than the seats left, all are
   elected.

Arithmetic. Alg. 123 computes in Pascal ``real`` and fixes no number of
decimals (Wichmann, *Voting matters* 12, 2000: "the algorithm itself does not
define the accuracy that should be used"). We keep every value in integers
counting units of 10⁻⁹ (:data:`FIXED`), the precision Hill's later
implementations and New Zealand's Schedule 1A adopted, with each rounding
named: the part of a ballot a candidate keeps is rounded **up** and the ballot
goes on with exactly the rest, so ballots are conserved exactly (``loss`` is
always 0); the quota is rounded **up**, so ``votes ≥ quota`` in units is the
same test as Alg. 123's ``votes ≥ (total - excess)/(seats + 1)`` on the exact
values; new keep values are rounded **up**. The tolerance test is done in
integers (``99999·votes ≤ 100000·quota ≤ 100001·votes``).

Differences from Droop's ``meek-prf`` (the PR Foundation reference rule):
PRF stops iterating when the *total* surplus is below 10⁻⁶ (absolute) or
stops decreasing, elects a candidate in the middle of an iteration as soon as
they reach the quota, uses quota = truncate((total - excess)/(seats + 1)) +
10⁻⁹, and treats as tied for exclusion every candidate within the total
surplus of the lowest. Alg. 123 converges first and elects after, tests each
elected candidate relative to the quota, and ties only equal votes. Stage
figures therefore agree with a fully converged count only to about the
tolerance (10⁻⁵ * quota per elected candidate).

Category quotas are applied by guard and doom (see
:mod:`grassroots.count.quota`), as in :mod:`grassroots.count.rules.scottish`;
Alg. 123 has none, so with no quota this is the algorithm's count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from grassroots.count.arithmetic import FixedPoint, Rounding, div, mul_div
from grassroots.count.errors import CountError
from grassroots.count.profile import PAD, Profile
from grassroots.count.quota import Quotas
from grassroots.count.result import Action, DecisionKind, Result
from grassroots.count.rules._gregory import exclude_doomed, fill_last_vacancies
from grassroots.count.tally import Status, Tally

RULE = "meek"
TITLE = "Meek STV (Hill, Wichmann & Woodall, Algorithm 123, Computer Journal 30(3), 1987)"
FIXED = FixedPoint(9)

# Alg. 123 procedure compute: converged when 0.99999 <= quota/votes <= 1.00001
# for every elected candidate, written as integers over 100000.
TOLERANCE_LOW = 99_999
TOLERANCE_HIGH = 100_001
TOLERANCE_SCALE = 100_000
# Alg. 123 procedure compute: CONST MaxIterations = 500.
MAX_ITERATIONS = 500
# Alg. 123 procedure compute: "IF quota < 0.0001 THEN quota := 0.0001".
MIN_QUOTA = FIXED.one // 10_000
# Scaled ballot values are int64: one ballot is 10**9 units, so a count is exact
# while the number of ballots times 10**9 stays below 2**63 (about 9.2e9 ballots).
MAX_BALLOTS = (2**63 - 1) // FIXED.one


@dataclass(frozen=True)
class _Converged:
    """The state after an iteration has converged."""

    votes: list[int]  # per candidate, units of 10**-9
    excess: int  # value that ran off the end of ballots
    quota: int
    iterations: int
    converged: bool


class _Meek:
    """Keep values and the vectorised distribution of ballots over distinct rankings."""

    def __init__(self, tally: Tally, profile: Profile) -> None:
        rankings, weights = profile.effective()
        self.tally = tally
        self.rankings = rankings
        self.weights = weights.astype(np.int64)
        self.total = int(weights.sum())
        if self.total > MAX_BALLOTS:
            raise CountError(
                f"{self.total} ballots is more than Meek's 9-decimal arithmetic holds exactly "
                f"(at most {MAX_BALLOTS})"
            )
        self.one = FIXED.one
        # keep[c] for candidate c; keep[n] (index -1, the padding) is always 0.
        self.keep = np.zeros(tally.n + 1, dtype=np.int64)
        for c in tally.continuing():
            self.keep[c] = self.one
        self.seats = profile.seats
        self._paths_for: tuple[Status, ...] = ()
        self._paths_cache = (self.rankings, self.weights)
        self._path_index: _Paths | None = _Paths(self.rankings, self.weights, tally.n)

    def distribute(self) -> tuple[list[int], int]:
        """Alg. 123 procedure compute: pass every ballot down its ranking once.

        Each candidate keeps ``value * keep`` of what reaches them (rounded up
        to 10⁻⁹) and the ballot goes on with exactly the rest. Hopeful
        candidates keep everything (keep value 1), excluded ones nothing.
        Vectorised over distinct rankings, looping only over ranking
        positions; a ranking drops out of the work once its value is spent
        (it reached a hopeful candidate) or its preferences end (the rest is
        excess), so later positions cost only the rankings still moving.
        """
        one = self.one
        n = self.tally.n
        rankings, weights = self._paths()
        rows = np.arange(rankings.shape[0])
        value = np.full(rows.shape[0], one, dtype=np.int64)  # per ballot, <= 10**9
        votes = np.zeros(n + 1, dtype=np.int64)
        excess = 0
        for position in range(rankings.shape[1]):
            if rows.shape[0] == 0:
                break
            column = rankings[rows, position]
            keep = self.keep[column]  # padding (-1) reads keep[n] == 0
            # value * keep <= 10**18 < 2**63; rounded up to whole units.
            kept = (value * keep + (one - 1)) // one
            votes += _exact_bincount(column, kept * weights, n + 1)
            value -= kept
            ended = column == PAD
            if ended.any():
                excess += int((value[ended] * weights[ended]).sum())
            moving = (value > 0) & ~ended
            rows, value, weights = rows[moving], value[moving], weights[moving]
        excess += int((value * weights).sum())  # rankings that used every position
        return [int(v) for v in votes[:n]], excess

    def _paths(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Rankings cut down to what the keep values can change, merged (see :class:`_Paths`)."""
        if self._path_index is None:
            return self.rankings, self.weights
        status = tuple(self.tally.status)
        if self._paths_for != status:
            merged = self._path_index.update(status)
            if merged is None:  # paths too long to pack: walk every ranking from now on
                self._path_index = None
                return self.rankings, self.weights
            self._paths_cache = merged
            self._paths_for = status
        return self._paths_cache

    def quota(self, votes: list[int]) -> int:
        # Alg. 123: quota := (total - excess) * Droop, Droop = 1/(NumSeats + 1);
        # rounded up so that "votes >= quota" in units is the exact comparison.
        q = div(sum(votes), self.seats + 1, rounding=Rounding.UP)
        # Alg. 123: safeguard against pathological data, quota at least 0.0001.
        return max(q, MIN_QUOTA)

    def converge(self) -> _Converged:
        """Alg. 123 procedure compute: iterate until elected votes are within 0.001 % of quota."""
        tally = self.tally
        elected = tally.elected()
        iterations = 0
        while True:
            iterations += 1
            votes, excess = self.distribute()
            quota = self.quota(votes)
            converged = True
            for c in elected:
                v = votes[c]
                if v == 0:
                    continue  # nothing reaches them; the keep value cannot be rescaled
                # 0.99999 <= quota / votes <= 1.00001, in integers.
                if not (TOLERANCE_LOW * v <= TOLERANCE_SCALE * quota <= TOLERANCE_HIGH * v):
                    converged = False
                # weight := weight * quota / votes, at most 1 (Alg. 123 safeguard).
                new_keep = mul_div(int(self.keep[c]), quota, v, rounding=Rounding.UP)
                self.keep[c] = min(new_keep, self.one)
            if converged or iterations >= MAX_ITERATIONS:
                return _Converged(votes, excess, quota, iterations, converged)

    def set_elected_keep(self, candidate: int, votes: int, quota: int) -> None:
        # Alg. 123 compute: a newly elected candidate's weight := quota / votes
        # while seats remain to be filled.
        if votes > 0:
            self.keep[candidate] = min(div(quota * self.one, votes, rounding=Rounding.UP), self.one)

    def drop(self, candidates: list[int]) -> None:
        # Alg. 123 procedure exclude: weight := 0.
        for c in candidates:
            self.keep[c] = 0


# Sums by candidate must be exact integers, but np.bincount adds in float64
# (exact only below 2**53) and np.add.at is slow. Each amount is split into
# its low 26 bits and the rest; both partial sums stay far below 2**53 for up
# to 2**27 distinct rankings, so the recombined int64 sum is exact.
_LOW_BITS = 26
_LOW_MASK = (1 << _LOW_BITS) - 1


def _exact_bincount(
    index: npt.NDArray[np.int32], amounts: npt.NDArray[np.int64], size: int
) -> npt.NDArray[np.int64]:
    """Sum ``amounts`` (non-negative int64) by ``index`` (-1 counted in the last slot), exactly."""
    slots = np.where(index < 0, size - 1, index)
    low = np.bincount(slots, weights=amounts & _LOW_MASK, minlength=size)
    high = np.bincount(slots, weights=amounts >> _LOW_BITS, minlength=size)
    return (high.astype(np.int64) << _LOW_BITS) + low.astype(np.int64)


class _Paths:
    """Each ranking's path through the count, kept up to date as statuses change.

    While no one is elected or excluded, a ballot's path is fixed: it passes
    excluded candidates untouched (keep value 0), shares its value with each
    elected candidate on the way, and stops at the first hopeful candidate
    (keep value 1) or runs off the end. Rankings with the same elected
    candidates in the same order before the same stop give every candidate
    the same amounts, so they are merged, and each iteration works on a few
    thousand paths instead of every ranking; the arithmetic per path is
    unchanged, so the result is identical. When a candidate is elected or
    excluded, only the rankings that stopped at them move on, as papers do
    under Gregory rules.
    """

    def __init__(self, rankings: npt.NDArray[np.int32], weights: npt.NDArray[np.int64], n: int):
        self.rankings = rankings
        self.weights = weights
        self.n = n
        self.bits = max((n + 2).bit_length(), 1)  # stops are stored +2, so PAD is 1
        self.mask = (1 << self.bits) - 1
        rows = rankings.shape[0]
        self.key = np.zeros(rows, dtype=np.int64)  # elected candidates on the path, packed
        self.length = np.zeros(rows, dtype=np.int64)  # how many
        self.position = np.full(rows, -1, dtype=np.int64)  # where the path stops
        self.stop = np.full(rows, -2, dtype=np.int64)  # -2: not placed yet, PAD: ran off
        self.status: tuple[Status, ...] = ()
        self.group_keys = np.zeros(0, dtype=np.int64)
        self.group_totals = np.zeros(0, dtype=np.int64)

    def update(
        self, status: tuple[Status, ...]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]] | None:
        """Move the paths that stopped at a candidate whose status changed; merge; or None."""
        code = np.zeros(self.n + 1, dtype=np.int8)  # 0: passed over (excluded, withdrawn)
        for c, st in enumerate(status):
            code[c] = {Status.ELECTED: 1, Status.CONTINUING: 2}.get(st, 0)
        code[self.n] = 3  # PAD: the end of the ranking
        changed = [c for c, st in enumerate(status) if not self.status or self.status[c] != st]
        self.status = status
        elected = sum(st is Status.ELECTED for st in status)
        if (elected + 1) * self.bits > 62:
            return None
        # Rows stopped at a changed candidate, or not placed yet (stop -2): a lookup by stop
        # (shifted by 2, so -2 and PAD index it too) instead of np.isin's sort.
        moves = np.zeros(self.n + 2, dtype=bool)
        moves[np.asarray(changed, dtype=np.int64) + 2] = True
        moves[0] = True
        moving = np.flatnonzero(moves[self.stop + 2])
        if moving.size:
            placed = self.stop[moving] != -2
            before = self._final(moving[placed])
            self._advance(moving, code)
            # Only the moved rankings change groups: take their weight from the
            # old paths and give it to the new ones.
            keys = np.concatenate((self.group_keys, before, self._final(moving)))
            amounts = np.concatenate(
                (self.group_totals, -self.weights[moving[placed]], self.weights[moving])
            )
            unique, inverse = np.unique(keys, return_inverse=True)
            totals = np.zeros(unique.shape[0], dtype=np.int64)
            np.add.at(totals, inverse.reshape(-1), amounts)
            kept = totals != 0
            self.group_keys, self.group_totals = unique[kept], totals[kept]
        return self._unpacked()

    def _final(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The packed path of each row: elected candidates (+1) in order, then the stop (+2)."""
        return (self.key[rows] << self.bits) | (self.stop[rows] + 2)

    def _advance(self, rows: npt.NDArray[np.int64], code: npt.NDArray[np.int8]) -> None:
        width = self.rankings.shape[1]
        bits = self.bits
        key, length = self.key[rows], self.length[rows]
        stop = self.stop[rows]
        # A stop that is now elected joins the path; the path goes on past it.
        now_elected = (stop >= 0) & (code[np.maximum(stop, 0)] == 1)
        key[now_elected] = (key[now_elected] << bits) | (stop[now_elected] + 1)
        length += now_elected
        position = self.position[rows] + 1
        flat = self.rankings.reshape(-1)
        starts = rows * width
        active = np.arange(rows.size)
        while active.size:
            at = position[active]
            inside = at < width
            if inside.all():
                candidate = flat[starts[active] + at].astype(np.int64)
            else:
                candidate = np.full(active.size, PAD, dtype=np.int64)
                candidate[inside] = flat[starts[active[inside]] + at[inside]]
            kind = code[candidate]  # PAD reads code[n] == 3
            on_path = kind == 1
            key[active[on_path]] = (key[active[on_path]] << bits) | (candidate[on_path] + 1)
            length[active[on_path]] += 1
            stops = kind >= 2
            stop[active[stops]] = np.where(candidate[stops] >= 0, candidate[stops], PAD)
            position[active[stops]] = at[stops]
            going = ~stops
            position[active[going]] += 1
            active = active[going]
        self.key[rows], self.length[rows] = key, length
        self.stop[rows], self.position[rows] = stop, position

    def _unpacked(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The merged paths as ``PAD``-padded rows ``[e1, ..., ek, stop]`` with their weights."""
        bits, mask = self.bits, self.mask
        keys = self.group_keys
        # Digits, least significant first: the stop, then the elected backwards.
        digits: list[npt.NDArray[np.int64]] = []
        rest = keys
        while rest.size and rest.any():
            digits.append(rest & mask)
            rest = rest >> bits
        if not digits:
            return np.full((0, 1), PAD, dtype=np.int32), self.group_totals
        stacked = np.stack(digits, axis=1)  # (groups, most digits), zero beyond each length
        length = (stacked != 0).sum(axis=1)  # no digit is 0: elected +1, stop +2
        paths = np.full(stacked.shape, PAD, dtype=np.int32)
        groups = np.arange(keys.shape[0])
        for place in range(stacked.shape[1]):
            live = place < length
            digit = stacked[groups[live], length[live] - 1 - place]
            is_stop = place == length[live] - 1
            paths[groups[live], place] = digit - np.where(is_stop, 2, 1)
        return paths, self.group_totals


def count(profile: Profile, *, quotas: Quotas | None = None, seed: int = 0) -> Result:
    """Count ``profile`` by Meek STV as in Algorithm 123.

    Stages: the first count; then, after candidates are elected, a
    ``SURPLUS`` stage in which the iteration converges with their new keep
    values; an ``EXCLUSION`` (or ``QUOTA_EXCLUSION``) stage after each
    exclusion, showing the votes once the iteration has converged again; the
    last vacancies are filled as :func:`_gregory.fill_last_vacancies` records
    them. Each stage records the quota (Meek's changes), the excess as
    ``exhausted`` and a zero ``loss``.
    Transfers are approximate: the change in each candidate's vote over the
    stage, attributed to the stage's subjects (in proportion to what each
    subject lost when there are several).

    Args:
        profile: the ballots; withdrawn candidates are struck out first.
        quotas: category limits, applied by guard and doom.
        seed: the seed for ties that go to lot.

    Returns:
        The :class:`~grassroots.count.result.Result`, stage by stage.

    Raises:
        QuotaError: if the quotas cannot be met by any result.
        CountError: if there are too many ballots for exact 9-decimal arithmetic.
    """
    tally = Tally(profile, rule=RULE, rule_title=TITLE, fixed=FIXED, quotas=quotas, seed=seed)
    meek = _Meek(tally, profile)

    # Alg. 123 main program: the first compute counts first preferences (all weights 1).
    state = _settle(tally, meek)
    pending = _elect(tally, meek, state)
    tally.record(Action.FIRST, quota=state.quota)

    while True:
        # Alg. 123 main program: stop when all seats are filled; procedure complete:
        # elect the remaining hopefuls once they are no more than the seats left.
        if tally.seats_left <= 0 or fill_last_vacancies(tally, reason_rule="Alg. 123 complete"):
            tally.flush_into_last_stage()
            break

        before = list(tally.votes)
        excess_before = tally.exhausted
        doomed = exclude_doomed(tally)
        if doomed:
            # Quota: doomed candidates go together, before anything else.
            action, subjects = Action.QUOTA_EXCLUSION, doomed
            meek.drop(doomed)
        elif pending:
            # Alg. 123 main program: compute again while someone was elected, so
            # the new members' surpluses pass on under their new keep values.
            action, subjects = Action.SURPLUS, pending
        else:
            # Alg. 123 main program: nobody elected, so exclude the lowest candidate.
            candidate = _lowest_eligible(tally)
            tally.exclude(candidate, "fewest votes (Alg. 123 LowestCandidate)")
            action, subjects = Action.EXCLUSION, [candidate]
            meek.drop([candidate])

        state = _settle(tally, meek)
        pending = _elect(tally, meek, state)
        transfers = _transfers(tally, subjects, before, excess_before)
        tally.record(action, subjects, transfers=transfers, quota=state.quota)

    return tally.result(quota=_final_quota(tally), valid_ballots=meek.total)


def _settle(tally: Tally, meek: _Meek) -> _Converged:
    """Iterate to convergence and copy the votes into the tally."""
    state = meek.converge()
    tally.votes = list(state.votes)
    tally.exhausted = state.excess
    tally.loss = 0  # kept parts are rounded up and the ballot goes on with the rest
    if not state.converged:
        tally.notes.append(
            f"stage {len(tally.stages) + 1}: keep values did not converge within "
            f"{MAX_ITERATIONS} iterations (Alg. 123 'Failure to converge')"
        )
    return state


def _elect(tally: Tally, meek: _Meek, state: _Converged) -> list[int]:
    """Alg. 123 compute: elect every hopeful candidate with votes >= quota.

    If more reach the quota than seats remain (Alg. 123's multi-way tie), the
    lowest are passed over, equal votes by lot. Under a category quota a
    candidate whose election would make it impossible is not elected; the
    doom step that follows excludes them.
    """
    quota = state.quota
    remaining = [c for c in tally.continuing() if tally.votes[c] >= quota]
    newly: list[int] = []
    while remaining and tally.seats_left > 0:
        top = max(tally.votes[c] for c in remaining)
        tied = [c for c in remaining if tally.votes[c] == top]
        candidate = tally.break_tie(
            tied, lowest=False, what="order of election (Alg. 123: by lot)", look_back=False
        )
        remaining.remove(candidate)
        if tally.guard.can_elect(candidate, tally.elected(), tally.continuing()):
            tally.elect(candidate, "reached the quota (Alg. 123 compute)")
            newly.append(candidate)
    if tally.seats_left > 0:
        for candidate in newly:
            meek.set_elected_keep(candidate, tally.votes[candidate], quota)
    return newly


def _lowest_eligible(tally: Tally) -> int:
    """Alg. 123 LowestCandidate, among those the category quota lets go; equal votes by lot."""
    continuing = tally.continuing()
    elected = tally.elected()
    eligible = [c for c in continuing if tally.guard.can_exclude(c, elected, continuing)]
    low = min(tally.votes[c] for c in eligible)
    for candidate in continuing:
        if candidate not in eligible and tally.votes[candidate] <= low:
            tally.decide(
                DecisionKind.GUARDED, [candidate], tally.guard.guard_reason(candidate, elected)
            )
    tied = [c for c in eligible if tally.votes[c] == low]
    return tally.break_tie(tied, lowest=True, what="exclusion (Alg. 123: by lot)", look_back=False)


def _transfers(
    tally: Tally, subjects: list[int], before: list[int], excess_before: int
) -> list[tuple[int, int | None, int]]:
    """Approximate transfers: each candidate's change in votes over the stage, from the subjects.

    Meek moves every ballot at once, so there is no exact "from" for a vote;
    we attribute each change to the subjects in proportion to what each lost
    (rounded down, the remainder to the subject that lost most).
    """
    losses = [max(before[s] - tally.votes[s], 0) for s in subjects]
    total_loss = sum(losses)
    main = subjects[losses.index(max(losses))] if subjects else None
    changes: list[tuple[int | None, int]] = [
        (c, tally.votes[c] - before[c]) for c in range(tally.n) if c not in subjects
    ]
    changes.append((None, tally.exhausted - excess_before))
    rows: list[tuple[int, int | None, int]] = []
    for target, change in changes:
        if not change or main is None:
            continue
        if total_loss == 0 or len(subjects) == 1:
            rows.append((main, target, change))
            continue
        given = 0
        for source, loss in zip(subjects, losses, strict=True):
            if source == main:
                continue
            share = _signed_mul_div(change, loss, total_loss)
            rows.append((source, target, share))
            given += share
        rows.append((main, target, change - given))
    return rows


def _signed_mul_div(a: int, b: int, c: int) -> int:
    """``a * b / c`` rounded towards zero, for a change that may be negative."""
    magnitude = mul_div(abs(a), b, c, rounding=Rounding.DOWN)
    return magnitude if a >= 0 else -magnitude


def _final_quota(tally: Tally) -> int:
    quotas = [s.quota for s in tally.stages if s.quota is not None]
    if not quotas:
        return 0
    return int(quotas[-1].scaleb(FIXED.decimals))


__all__ = ["FIXED", "MAX_BALLOTS", "RULE", "TITLE", "count"]
