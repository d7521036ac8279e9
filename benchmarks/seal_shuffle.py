"""Time one mixer's shuffle with its proof, and the check of that proof.

    python benchmarks/seal_shuffle.py                  # 1,000 and 10,000 ballots of width 1
    python benchmarks/seal_shuffle.py --sizes 1000 --width 2

``shuffle_timings`` is what a wider benchmark calls (one mix: its proof and its check);
the figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from grassroots.seal.context import ElectionContext
from grassroots.seal.elgamal import SealedBallot, encrypt
from grassroots.seal.group import base_mul, random_scalar
from grassroots.seal.shuffle import shuffle_prove
from grassroots.seal.verify_shuffle import shuffle_check


@dataclass(frozen=True)
class ShuffleTimings:
    ballots: int
    width: int
    prove_seconds: float
    check_seconds: float


def shuffle_timings(
    count: int,
    width: int,
    *,
    context: ElectionContext | None = None,
    inputs: list[SealedBallot] | None = None,
) -> ShuffleTimings:
    """Prove one shuffle of ``count`` ballots of ``width`` ciphertexts and check it, timing
    each. Pass ``context`` and ``inputs`` to time real ballots; otherwise ballots of random
    points are encrypted under a random key first (not timed)."""
    if context is None:
        public_key = base_mul(random_scalar())
        context = ElectionContext("benchmark", 1, 1, width, public_key, (public_key,))
    public_key = context.public_key
    if inputs is None:
        inputs = [
            tuple(encrypt(public_key, base_mul(random_scalar())) for _ in range(width))
            for _ in range(count)
        ]
    started = time.perf_counter()
    outputs, proof = shuffle_prove(context, inputs, "benchmark")
    proved = time.perf_counter()
    shuffle_check(context, inputs, outputs, proof.to_json(), "benchmark")
    checked = time.perf_counter()
    return ShuffleTimings(len(inputs), width, proved - started, checked - proved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--width", type=int, default=1)
    args = parser.parse_args()
    print("| ballots | width | prove (s) | check (s) |")
    print("| ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        timing = shuffle_timings(size, args.width)
        print(
            f"| {timing.ballots:,} | {timing.width} | {timing.prove_seconds:.1f} "
            f"| {timing.check_seconds:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
