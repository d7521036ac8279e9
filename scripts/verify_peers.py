"""Check our counting rules stage by stage against independent counters on generated profiles.

The peers are programs the user has checked out themselves (nothing of them is
in this repository):

* Droop (``jklundell/droop``, Python 3): ``scotland`` and a Meek variant;
* OpenSTV 1.7 (``OpenTechStrategies/openstv``, Python 2.7): ``ScottishSTV``,
  ``ERS97STV``, ``MeekSTV``, ``IRV``.

For every generated profile and every rule, the script writes the profile as a
BLT file, counts it with our engine and with each peer, and compares the
sequence of states: every candidate's votes after each stage, rounded to the
rule's decimals. Stages are aligned by content, not by number: a stage that
changes no one's votes (a zero surplus transferred, a candidate with no
papers excluded, "elect the remaining" bookkeeping) is dropped from both
sides before comparing. A peer that counts on after the seats are filled
(OpenSTV IRV eliminates down to two candidates) agrees when our states are
a prefix of its states and the elected sets are equal.

A tie broken by lot cannot be expected to match: the peers take the first
tied candidate in ballot order, we draw with a seed. When a count diverges at
or after one of our ties by lot, the script recounts with other seeds; if one
of them makes the same choices and then agrees stage by stage, the profile is
counted as agreed "after lot" and shown in its own column.

Example::

    python scripts/verify_peers.py --droop ~/src/droop --openstv ~/src/openstv --n 200
    python scripts/verify_peers.py --droop ~/src/droop --rules scottish --seed 1017 --n 1 -v
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from grassroots.count import RULES, Profile, Result, RuleError, count
from grassroots.count.formats.blt import write_blt
from grassroots.synthetic import generate_profile

State = tuple[Decimal, ...]
LOT_RETRIES = 200  # other seeds tried when a divergence follows one of our ties by lot
PEER_TIMEOUT = 600  # seconds for one peer count


# -- profiles ------------------------------------------------------------------


def profile_shape(seed: int) -> dict[str, Any]:
    """The generator arguments for profile ``seed``: varied size, seats, slates and lengths.

    One profile in five is a small, flat election (equal popularity, short
    ballots, 20-60 voters), where ties are common.
    """
    rnd = random.Random(seed)
    if seed % 5 == 0:
        n_candidates = rnd.randint(3, 8)
        return {
            "n_ballots": rnd.randint(20, 60),
            "n_candidates": n_candidates,
            "seats": rnd.randint(1, min(3, n_candidates - 1)),
            "n_slates": rnd.randint(1, min(3, n_candidates)),
            "seed": seed,
            "loyalty": round(rnd.uniform(0.2, 0.9), 2),
            "popularity_spread": 0.0,
            "stop_at_slate_end": 0.8,
            "mean_length": 1.6,
            "full_ranking_share": 0.0,
        }
    n_candidates = rnd.randint(3, 25)
    return {
        "n_ballots": round(20 * 250 ** rnd.random()),  # 20 to 5,000, log-uniform
        "n_candidates": n_candidates,
        "seats": rnd.randint(1, min(9, n_candidates - 1)),
        "n_slates": rnd.randint(1, min(4, n_candidates)),
        "seed": seed,
        "loyalty": round(rnd.uniform(0.3, 0.95), 2),
        "popularity_spread": round(rnd.uniform(0.2, 1.2), 2),
        "stop_at_slate_end": round(rnd.uniform(0.3, 0.9), 2),
        "mean_length": round(rnd.uniform(1.5, 9.0), 2),
        "full_ranking_share": round(rnd.uniform(0.0, 0.3), 2),
    }


def with_seats(profile: Profile, seats: int) -> Profile:
    """The same ballots for a different number of seats (IRV counts each profile for one)."""
    return Profile(
        candidates=profile.candidates,
        seats=seats,
        rankings=profile.rankings,
        weights=profile.weights,
        title=profile.title,
    )


# -- what a count says -----------------------------------------------------------


@dataclass
class Count:
    """One side's count: its states in order, the elected set, and stage labels."""

    states: list[State]
    labels: list[str]  # where each state came from, e.g. "stage 4" or "round 3 transfer"
    elected: frozenset[str]
    lot_stage: int | None = None  # our first stage with a tie broken by lot
    # each exclusion before the seats were filled, with the state it was decided on
    exclusions: list[tuple[str, State]] = field(default_factory=list)
    stage_numbers: list[int] = field(default_factory=list)  # ours: each state's stage number
    exclusion_stages: list[int] = field(default_factory=list)  # ours: each exclusion's stage


def ours(result: Result, names: Sequence[str]) -> Count:
    states = [tuple(stage.votes[n] for n in names) for stage in result.stages]
    labels = [f"stage {stage.number} ({stage.action})" for stage in result.stages]
    lot = next(
        (
            stage.number
            for stage in result.stages
            for decision in stage.decisions
            if decision.kind == "tie" and "by lot" in decision.reason
        ),
        None,
    )
    exclusions = [
        (name, states[k - 1])
        for k, stage in enumerate(result.stages)
        if stage.action == "exclusion" and k > 0
        for name in stage.subjects
    ]
    return Count(
        states,
        labels,
        frozenset(result.elected),
        lot,
        exclusions,
        [stage.number for stage in result.stages],
        [
            stage.number
            for k, stage in enumerate(result.stages)
            if stage.action == "exclusion" and k > 0
            for _ in stage.subjects
        ],
    )


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(  # noqa: S603 - the peer's own interpreter and script
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=PEER_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise PeerError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-800:]}")
    return done.stdout


class PeerError(Exception):
    """A peer failed to count a file."""


@dataclass(frozen=True)
class Droop:
    """Jonathan Lundell's Droop: ``python3 Droop.py RULE [options] dump FILE``."""

    root: Path
    python: str
    options: tuple[str, ...]

    @property
    def name(self) -> str:
        return "Droop " + " ".join(self.options)

    def count(self, path: Path, profile: Profile) -> Count:
        text = _run(
            [self.python, "Droop.py", *self.options, "dump", "report=false", str(path)],
            cwd=self.root,
        )
        return parse_droop_dump(text, profile.candidates, profile.seats)


def parse_droop_dump(text: str, names: Sequence[str], seats: int) -> Count:
    """States from Droop's tab-separated action dump (one row per action, then the end row).

    The header names each candidate's columns (``1.name``, ``1.state``,
    ``1.vote``, and for Meek ``1.kf``); a candidate whose state turns to ``D``
    before the seats are filled is an exclusion, recorded with the state it
    was decided on.
    """
    states: list[State] = []
    labels: list[str] = []
    exclusions: list[tuple[str, State]] = []
    elected: frozenset[str] = frozenset()
    columns: list[tuple[int, int, int]] = []  # (name, state, vote) column of each candidate
    before: dict[str, str] = {}
    for line in text.splitlines():
        if "R\tAction\t" in line:  # exact arithmetic prints progress dots before the header
            line = line[line.index("R\tAction\t") :]  # noqa: PLW2901
        fields = line.split("\t")
        if fields[0] == "R":
            where = {h: k for k, h in enumerate(fields)}
            number = 1
            while f"{number}.name" in where:
                columns.append(
                    (where[f"{number}.name"], where[f"{number}.state"], where[f"{number}.vote"])
                )
                number += 1
            continue
        if not columns or len(fields) <= columns[-1][2] or fields[1] in ("log", "round"):
            continue
        votes = {fields[n]: Decimal(fields[v]) for n, _, v in columns}
        status = {fields[n]: fields[s] for n, s, _ in columns}
        state = tuple(votes.get(n, Decimal(0)) for n in names)
        states.append(state)
        labels.append(f"round {fields[0]} {fields[1]}")
        elected = frozenset(n for n, s in status.items() if s in ("E", "e"))
        for name, s in status.items():
            if s == "D" and before.get(name) == "H" and len(elected) < seats:
                exclusions.append((name, state))
        before = status
    if not states:
        raise PeerError("Droop printed no count")
    return Count(states, labels, elected, exclusions=exclusions)


@dataclass(frozen=True)
class OpenSTV:
    """OpenSTV 1.7: ``python2 runElection.py -r YamlReport -t index METHOD FILE``."""

    root: Path
    python: str
    method: str
    precision: int | None = None

    @property
    def name(self) -> str:
        return f"OpenSTV {self.method}"

    def count(self, path: Path, profile: Profile) -> Count:
        names = profile.candidates
        script = self.root / "runElection.py"
        if not script.exists():
            script = self.root / "openstv" / "runElection.py"
        command = [self.python, script.name, "-r", "YamlReport", "-t", "index"]
        if self.precision is not None:
            command += ["-p", str(self.precision)]
        env = dict(os.environ)
        env.setdefault("PYENV_VERSION", "2.7.18")
        text = _run([*command, self.method, str(path)], cwd=script.parent, env=env)
        return parse_openstv_yaml(text, names)


def _yaml_list(line: str) -> list[str]:
    inside = line.split("[", 1)[1].rsplit("]", 1)[0]
    return [part.strip() for part in inside.split(",") if part.strip()]


def parse_openstv_yaml(text: str, names: Sequence[str]) -> Count:
    """States from OpenSTV's YAML report: ``Tally:`` per stage (candidates, then exhausted)."""
    states: list[State] = []
    labels: list[str] = []
    winners: list[str] = []
    stage = "?"
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("Winners:"):
            winners = _yaml_list(line)
        elif line.startswith("Stage:"):
            stage = line.split(":", 1)[1].strip()
        elif line.startswith("Tally:"):
            values = [Decimal(v) for v in _yaml_list(line)]
            states.append(tuple(values[: len(names)]))
            labels.append(f"stage {stage}")
    if not states:
        raise PeerError("OpenSTV printed no count")
    return Count(states, labels, frozenset(names[int(w)] for w in winners))


Peer = Droop | OpenSTV


# -- comparison -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How one profile compared under one rule and peer."""

    verdict: str  # "stages", "lot", "elected", "differed", "error"
    detail: str = ""
    trailing: bool = False  # the peer counted on after our last state


def _rounded(state: State, decimals: int) -> State:
    unit = Decimal(1).scaleb(-decimals)
    return tuple(v.quantize(unit, rounding=ROUND_HALF_EVEN) for v in state)


def _collapsed(side: Count, decimals: int) -> tuple[list[State], list[str], list[int]]:
    """States rounded to the rule's decimals, without repeats of the state before."""
    states: list[State] = []
    labels: list[str] = []
    numbers: list[int] = []
    stage_numbers = side.stage_numbers or [0] * len(side.states)
    for state, label, number in zip(side.states, side.labels, stage_numbers, strict=True):
        rounded = _rounded(state, decimals)
        if not states or rounded != states[-1]:
            states.append(rounded)
            labels.append(label)
            numbers.append(number)
    return states, labels, numbers


def first_difference(
    our: Count, peer: Count, names: Sequence[str], decimals: int
) -> tuple[str | None, int, bool]:
    """The first state where the counts differ (in words, None if none), our stage, trailing."""
    a, a_labels, a_numbers = _collapsed(our, decimals)
    b, b_labels, _ = _collapsed(peer, decimals)
    for k, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            diffs = [
                f"{names[c]}: peer {y[c]} vs ours {x[c]}" for c in range(len(names)) if x[c] != y[c]
            ]
            shown = "; ".join(diffs[:3]) + (f" (+{len(diffs) - 3} more)" if len(diffs) > 3 else "")
            where = f"state {k + 1}, our {a_labels[k]} / peer {b_labels[k]}"
            return f"{where}: {shown}", a_numbers[k], False
    if len(a) > len(b):
        return (
            f"peer stops after state {len(b)}; ours goes on to {a_labels[len(b)]}",
            a_numbers[len(b)],
            False,
        )
    return None, 0, len(b) > len(a)


def decisions_difference(
    our: Count, peer: Count, names: Sequence[str], tolerance: Decimal
) -> tuple[str | None, int]:
    """Meek: the first exclusion that differs, in who or (beyond ``tolerance``) in votes.

    Meek counts stop iterating at a tolerance and elect at different moments
    within an iteration, so their intermediate states are not comparable
    digit by digit; the states on which each exclusion is decided are, to
    within the tolerance.
    """
    for k, ((who, x), (peer_who, y)) in enumerate(
        zip(our.exclusions, peer.exclusions, strict=False)
    ):
        if who != peer_who:
            return f"exclusion {k + 1}: peer excludes {peer_who}, ours {who}", our.exclusion_stages[
                k
            ]
        worst = max(range(len(names)), key=lambda c: abs(x[c] - y[c]))
        if abs(x[worst] - y[worst]) > tolerance:
            return (
                f"exclusion {k + 1} ({who}): {names[worst]} peer {y[worst]} vs ours {x[worst]} "
                f"(tolerance {tolerance})",
                our.exclusion_stages[k],
            )
    if len(our.exclusions) != len(peer.exclusions):
        return (
            f"peer excludes {[w for w, _ in peer.exclusions]}, "
            f"ours {[w for w, _ in our.exclusions]}",
            our.stage_numbers[-1],
        )
    return None, 0


def compare(
    profile: Profile, rule: str, seed: int, peer_count: Count, tolerance: Decimal | None = None
) -> Outcome:
    """Compare our count of ``profile`` with a peer's, retrying our seed when a lot tie diverges.

    With ``tolerance`` (Meek) the exclusions and the states they were decided
    on are compared; otherwise every state, exactly at the rule's decimals.
    """
    names = profile.candidates

    def difference_of(side: Count, decimals: int) -> tuple[str | None, int, bool]:
        if tolerance is not None:
            return (*decisions_difference(side, peer_count, names, tolerance), False)
        return first_difference(side, peer_count, names, decimals)

    result = count(profile, rule=rule, seed=seed)
    our = ours(result, names)
    difference, stage, trailing = difference_of(our, result.decimals)
    if difference is None and our.elected == peer_count.elected:
        return Outcome("stages", trailing=trailing)
    if difference is None:
        difference = (
            f"same states, elected differ: peer {sorted(peer_count.elected)} "
            f"vs ours {sorted(our.elected)}"
        )
        stage = our.stage_numbers[-1]
    # A difference at or after one of our ties by lot may be the lot: try other seeds.
    if our.lot_stage is not None and stage >= our.lot_stage:
        for other in range(1, LOT_RETRIES + 1):
            retry = ours(count(profile, rule=rule, seed=seed + 1000 * other), names)
            again, _, again_trailing = difference_of(retry, result.decimals)
            if again is None and retry.elected == peer_count.elected:
                return Outcome(
                    "lot",
                    f"agrees with our seed {seed + 1000 * other} (lot at our stage "
                    f"{our.lot_stage})",
                    trailing=again_trailing,
                )
        return Outcome(
            "lot-differed",
            f"tie by lot at our stage {our.lot_stage}, first difference at our stage {stage}; "
            f"{difference}",
        )
    if our.elected == peer_count.elected:
        return Outcome("elected", difference)
    return Outcome(
        "differed",
        f"{difference}; elected peer {sorted(peer_count.elected)} vs ours {sorted(our.elected)}",
    )


# -- the run ----------------------------------------------------------------------


@dataclass
class Row:
    rule: str
    peer: str
    outcomes: list[tuple[int, Outcome]] = field(default_factory=list)


def rule_ready(rule: str) -> bool:
    """Whether our engine has the rule yet (ERS97 and Meek are being written)."""
    if rule not in RULES:
        return False
    if importlib.util.find_spec(f"grassroots.count.rules.{rule}") is None:
        return False
    probe = Profile.from_rankings(["A", "B", "C"], 1, [[0, 1], [1, 2], [2], [0]])
    try:
        count(probe, rule=rule)
    except (RuleError, ImportError, AttributeError, NotImplementedError):
        return False
    return True


def peers_for(rule: str, args: argparse.Namespace) -> list[Peer]:
    droop = Path(args.droop) if args.droop else None
    openstv = Path(args.openstv) if args.openstv else None
    out: list[Peer] = []
    if rule == "scottish":
        if droop:
            out.append(Droop(droop, args.droop_python, ("scotland",)))
        if openstv:
            out.append(OpenSTV(openstv, args.openstv_python, "ScottishSTV"))
    elif rule == "meek":
        if droop:
            out.append(Droop(droop, args.droop_python, tuple(args.droop_meek.split())))
        if openstv and args.openstv_meek:
            out.append(OpenSTV(openstv, args.openstv_python, "MeekSTV"))
    elif rule == "ers97":
        if openstv:
            out.append(OpenSTV(openstv, args.openstv_python, "ERS97STV"))
    elif rule == "irv" and openstv:
        out.append(OpenSTV(openstv, args.openstv_python, "IRV"))
    return out


def check_one(
    seed: int, rules: Sequence[str], args: argparse.Namespace, workdir: Path
) -> list[tuple[str, str, int, Outcome]]:
    shape = profile_shape(seed)
    base, _ = generate_profile(**shape)
    rows: list[tuple[str, str, int, Outcome]] = []
    for rule in rules:
        profile = with_seats(base, 1) if rule == "irv" else base
        path = workdir / f"{rule}-{seed}.blt"
        write_blt(profile, path)
        for peer in peers_for(rule, args):
            try:
                peer_count = peer.count(path, profile)
                outcome = compare(
                    profile, rule, seed, peer_count, meek_tolerance(rule, profile, args)
                )
            except (PeerError, subprocess.TimeoutExpired) as err:
                outcome = Outcome("error", str(err)[:300])
            rows.append((rule, peer.name, seed, outcome))
            if args.verbose and outcome.verdict != "stages":
                print(
                    f"  {rule} vs {peer.name}, seed {seed} {shape_words(shape, profile)}: "
                    f"{outcome.verdict} {outcome.detail}",
                    file=sys.stderr,
                )
    return rows


def meek_tolerance(rule: str, profile: Profile, args: argparse.Namespace) -> Decimal | None:
    """Meek: how far a converged state may be from the peer's (None for the other rules).

    Alg. 123 stops when each elected candidate is within 10^-5 of the quota
    (relative), so up to ``seats x 10^-5 x quota`` of surplus may still be
    undistributed; the default allows that, with the quota at its largest
    (the valid vote / (seats + 1)).
    """
    if rule != "meek":
        return None
    if args.meek_tolerance is not None:
        return Decimal(args.meek_tolerance)
    largest_quota = Decimal(profile.n_ballots) / (profile.seats + 1)
    return (profile.seats * largest_quota * Decimal("1e-5")).quantize(Decimal("1e-9"))


def shape_words(shape: dict[str, Any], profile: Profile) -> str:
    return (
        f"({shape['n_candidates']} candidates, {profile.seats} seats, "
        f"{shape['n_ballots']} ballots, {shape['n_slates']} slates)"
    )


COLUMNS = ("stages", "lot", "elected", "differed", "lot-differed", "error")


def summary(rows: list[Row]) -> str:
    head = (
        "| rule | peer | profiles | agreed stage by stage | of which after a tie by lot "
        "| agreed on elected set only | differed | tie by lot, differed | peer error "
        "| first difference (seed: where) |"
    )
    lines = [head, "|" + " --- |" * 10]
    for row in rows:
        tally = dict.fromkeys(COLUMNS, 0)
        first = ""
        for seed, outcome in row.outcomes:
            tally[outcome.verdict] += 1
            if not first and outcome.verdict in ("elected", "differed", "lot-differed", "error"):
                first = f"{seed}: {outcome.detail}"
        agreed = tally["stages"] + tally["lot"]
        lines.append(
            f"| {row.rule} | {row.peer} | {len(row.outcomes)} | {agreed} | {tally['lot']} "
            f"| {tally['elected']} | {tally['differed']} | {tally['lot-differed']} "
            f"| {tally['error']} | {first or '-'} |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--droop", help="path to a checkout of jklundell/droop")
    parser.add_argument("--openstv", help="path to a checkout of OpenSTV 1.7")
    parser.add_argument("--n", type=int, default=200, help="profiles per rule (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first profile")
    parser.add_argument(
        "--rules", default="scottish,meek,ers97,irv", help="comma-separated rules to check"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--droop-python", default="python3")
    parser.add_argument("--openstv-python", default="python2")
    parser.add_argument(
        "--droop-meek",
        default="meek defeat_batch=none",
        help="Droop rule and options that match our Meek (default: %(default)s)",
    )
    parser.add_argument(
        "--openstv-meek", action="store_true", help="also compare meek with OpenSTV MeekSTV"
    )
    parser.add_argument(
        "--meek-tolerance",
        default=None,
        help="largest difference in votes allowed for Meek (default: seats x 1e-5 x quota)",
    )
    parser.add_argument("--keep", help="keep the BLT files in this directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each disagreement")
    args = parser.parse_args(argv)
    if not args.droop and not args.openstv:
        parser.error("give --droop PATH and/or --openstv PATH")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = [r.strip() for r in args.rules.split(",") if r.strip()]
    rules = [r for r in wanted if rule_ready(r) and peers_for(r, args)]
    for r in wanted:
        if r not in rules:
            why = "no peer given for it" if rule_ready(r) else "not in our engine yet"
            print(f"skipping {r}: {why}", file=sys.stderr)
    seeds = list(range(args.seed, args.seed + args.n))
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = Path(args.keep)
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="verify-")))
        run: Callable[[int], list[tuple[str, str, int, Outcome]]] = lambda s: check_one(  # noqa: E731
            s, rules, args, workdir
        )
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = [r for batch in pool.map(run, seeds) for r in batch]
    table: dict[tuple[str, str], Row] = {}
    for rule, peer, seed, outcome in results:
        table.setdefault((rule, peer), Row(rule, peer)).outcomes.append((seed, outcome))
    print(summary(list(table.values())))
    print(
        f"\n{args.n} profiles, seeds {seeds[0]}-{seeds[-1]}, {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    bad = any(o.verdict in ("differed", "error") for row in table.values() for _, o in row.outcomes)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
