"""Simulated elections per second: the NEC shape (25 candidates, 9 seats, at least 4 women).

    python benchmarks/forecast.py            # 100,000 and 5,000 ballots per simulated election
    python benchmarks/forecast.py --profile  # also where the time goes (cProfile, top lines)

Each simulated election is what `grassroots forecast` does per run: draw the shares and
popularity, draw the ballots with the voter model, group equal ballots, count them in full
with Scottish STV and the quota. Targets (issue 15): 20 per second at 100,000 ballots and 500
per second at 5,000 on a 2-core machine. No peer simulates party elections, so there is no
side-by-side ratio; the floor is the ballot drawing alone, timed on its own.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np

from grassroots.forecast import scenario_from_mapping, simulate
from grassroots.forecast.simulate import _draw_profile

TARGETS = {100_000: 20.0, 5_000: 500.0}


def nec(voters: int):  # type: ignore[no-untyped-def]
    """The NEC shape: three slates of 9, 6 and 4, six independents, 25 candidates."""
    sizes, names = (9, 6, 4), iter(range(1, 100))

    def people(n: int) -> list[dict[str, object]]:
        return [{"name": f"C{next(names)}", "category": "F" if k % 2 else "M"} for k in range(n)]

    return scenario_from_mapping(
        {
            "seats": 9,
            "voters": voters,
            "quotas": {"F": {"min": 4}},
            "slates": [
                {"name": f"S{i}", "share": share, "loyalty": 0.7, "candidates": people(size)}
                for i, (size, share) in enumerate(zip(sizes, (0.38, 0.34, 0.12), strict=True))
            ],
            "independents": people(6),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--seconds", type=float, default=8.0, help="time spent per size")
    args = parser.parse_args()
    print("| ballots per election | elections per second | target | drawing alone per second |")
    print("| ---: | ---: | ---: | ---: |")
    for voters, target in TARGETS.items():
        scenario = nec(voters)
        simulate(scenario, runs=1, seed=99)  # warm up
        runs = 1
        while True:
            start = time.perf_counter()
            simulate(scenario, runs=runs, seed=1)
            took = time.perf_counter() - start
            if took >= args.seconds / 3 or runs >= 4096:
                break
            runs *= 2
        rate = runs / took
        start = time.perf_counter()
        for run in range(runs):
            _draw_profile(scenario, seed=1, run=run)
        draw_rate = runs / (time.perf_counter() - start)
        print(f"| {voters:,} | {rate:.1f} | {target:.0f} | {draw_rate:.1f} |", flush=True)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            simulate(scenario, runs=max(2, runs // 4), seed=2)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    np.random.default_rng(0)


if __name__ == "__main__":
    main()
