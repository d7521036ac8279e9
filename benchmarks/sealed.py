"""Time a sealed ballot end to end: encrypting, one mix with its proof, decrypting by two of
three trustees, and verifying the published bundle.

    .venv/bin/python benchmarks/sealed.py                    # 10,000 ballots (make bench)
    .venv/bin/python benchmarks/sealed.py --ballots 1000     # a quick run
    .venv/bin/python benchmarks/sealed.py --ballots 100000   # the large case, measured

Ballots rank 9 of 20 options (one ciphertext each), drawn from a fixed seed; the key
ceremony (3 trustees, threshold 2) is not timed. Every step runs in this one process on
one core. The figure for 100,000 ballots is extrapolated linearly from the run's size unless
that size is run: every step is linear in the ballots. docs/benchmarks.md quotes the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from typing import TypeVar

from grassroots.count import count
from grassroots.count.formats.blt import parse_blt
from grassroots.seal.bundle import CountRecord, Mix, ballots_blt, bundle_make
from grassroots.seal.decryption import decryption_share_make, plaintexts_combine
from grassroots.seal.encoding import ballot_decode, ballot_encrypt, ballot_width
from grassroots.seal.shuffle import shuffle_prove
from grassroots.seal.trustee import (
    Setup,
    context_make,
    deal_make,
    deals_check,
    trustee_keys_make,
)
from grassroots.seal.verify import bundle_verify

OPTIONS = 20
PREFERENCES = 9
SEATS = 9
T = TypeVar("T")


def timed(label: str, work: Callable[[], T], times: dict[str, float]) -> T:
    print(f"{label}…", end=" ", flush=True)
    started = time.perf_counter()
    value = work()
    times[label] = time.perf_counter() - started
    print(f"{times[label]:.1f} s", flush=True)
    return value


def run(ballots: int, seed: int) -> dict[str, float]:
    pairs = [trustee_keys_make("bench", index) for index in (1, 2, 3)]
    setup = Setup("bench", 2, tuple(public for _, public in pairs))
    secrets = [secret for secret, _ in pairs]
    deals = [deal_make(secret, setup) for secret in secrets]
    confirmations = [deals_check(secret, setup, deals) for secret in secrets]
    context = context_make(setup, deals, confirmations, ballot_width(OPTIONS))
    draw = random.Random(seed)
    rankings = [draw.sample(range(1, OPTIONS + 1), PREFERENCES) for _ in range(ballots)]
    times: dict[str, float] = {}

    board = timed(
        "encrypt",
        lambda: [ballot_encrypt(context.public_key, r, 1, context.width) for r in rankings],
        times,
    )
    mixed, proof = timed("mix with proof", lambda: shuffle_prove(context, board, "server"), times)

    def decrypt() -> list[tuple[list[int], int]]:
        shares = [decryption_share_make(secrets[i], context, mixed) for i in (0, 2)]
        points = plaintexts_combine(context, mixed, shares)
        decrypt.shares = shares  # type: ignore[attr-defined]
        return [ballot_decode(row, OPTIONS) for row in points]

    decrypted = timed("decrypt (2 of 3)", decrypt, times)
    assert sorted(r for r, _ in decrypted) == sorted(rankings)
    names = [f"Option {n}" for n in range(1, OPTIONS + 1)]
    blt = ballots_blt(names, SEATS, decrypted, title="bench")
    result = count(parse_blt(blt), rule="scottish")
    bundle = bundle_make(
        context=context,
        setup=setup,
        deals=deals,
        confirmations=confirmations,
        board=board,
        mixes=[Mix("server", mixed, proof.to_json())],
        shares=decrypt.shares,  # type: ignore[attr-defined]
        count=CountRecord(options=tuple(names), rule="scottish", blt=blt, elected=result.elected),
    )
    text = bundle.dumps()
    times["bundle MB"] = len(text) / 1e6
    timed("verify the bundle", lambda: bundle_verify(json.loads(text)), times)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{args.ballots:,} ballots ranking {PREFERENCES} of {OPTIONS} options", flush=True)
    times = run(args.ballots, args.seed)
    scale = 100_000 / args.ballots
    how = "measured" if args.ballots == 100_000 else "extrapolated"
    print()
    print(f"| step | {args.ballots:,} ballots (s) | 100,000 ballots (s, {how}) |")
    print("| --- | ---: | ---: |")
    for label, seconds in times.items():
        if label != "bundle MB":
            print(f"| {label} | {seconds:.1f} | {seconds * scale:.0f} |")
    print(f"| bundle size (MB) | {times['bundle MB']:.1f} | {times['bundle MB'] * scale:.0f} |")


if __name__ == "__main__":
    main()
