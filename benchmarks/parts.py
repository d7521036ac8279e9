"""Where one count's time goes: wall seconds per part, in-process, median of several processes.

    python benchmarks/parts.py FILE.blt GENDER.json            # 5 processes
    python benchmarks/parts.py FILE.blt GENDER.json --runs 9

Each process imports the command line and the engine, reads the file (split
into tokenising and checking the bytes, and packing, grouping and unpacking
the rankings), counts it by each rule with at least 4 women, and renders the
last result as JSON. Each process starts cold, as the command does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

PARTS = ("imports", "tokenising", "packing", "scottish", "ers97", "meek", "json")


def one_process(path: str, side: str) -> dict[str, float]:
    """Time the parts in this process (called in a fresh child by main)."""
    start = time.perf_counter()
    from grassroots.cli import main as _cli  # noqa: F401  (click and the command line)
    from grassroots.cli.render import render_json
    from grassroots.count import Quotas, count
    from grassroots.count.formats import blt_fast, read_profile
    from grassroots.count.formats.categories import read_categories

    out = {"imports": time.perf_counter() - start}
    merge = blt_fast._merge

    def timed_merge(**kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        found = merge(**kwargs)
        out["packing"] = time.perf_counter() - began
        return found

    blt_fast._merge = timed_merge
    began = time.perf_counter()
    profile = read_profile(path).with_categories(read_categories(side))
    out["tokenising"] = time.perf_counter() - began - out.get("packing", 0.0)
    quotas = Quotas.build({"F": 4}, {})
    for rule in ("scottish", "ers97", "meek"):
        began = time.perf_counter()
        result = count(profile, rule=rule, quotas=quotas)
        out[rule] = time.perf_counter() - began
    began = time.perf_counter()
    render_json(result)
    out["json"] = time.perf_counter() - began
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("blt")
    parser.add_argument("categories")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_process(args.blt, args.categories)))
        return
    rows = []
    for _ in range(args.runs):
        command = [sys.executable, __file__, args.blt, args.categories, "--child"]
        rows.append(json.loads(subprocess.run(command, check=True, capture_output=True).stdout))
    print(f"{args.blt}: median (min-max) of {args.runs} processes, seconds")
    for part in PARTS:
        values = [row.get(part, 0.0) for row in rows]
        print(f"  {part:<11} {statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})")


if __name__ == "__main__":
    main()
