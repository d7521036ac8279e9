"""Time grassroots against the floor and the PyPI peers, each as a whole process.

    python benchmarks/run.py            # 5 runs on the 100k and 1M files and the largest real ward
    python benchmarks/run.py --quick    # 1 run, the 100k file only

Bench files are made in bench-data/ (gitignored) by grassroots.synthetic from
a fixed seed, if missing. Each run is one process; wall time is measured
around it and peak RSS is that child's ru_maxrss from os.wait4. A run is cut
at --timeout seconds and reported as "timeout"; later runs of that contender
on that file are skipped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
PEERS = ROOT / "benchmarks" / "peers"
ENGINE = ROOT / ".venv" / "bin"
PEER_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
SHARED_FLOOR = ROOT.parent / "shared" / "tools" / "floor_firstprefs.py"
WARD = ROOT.parent / "shared" / "data" / "elections" / "scotland" / "edinburgh_2017_ward12.blt"
SIZES = {"nec-100k": 100_000, "nec-1m": 1_000_000}
SEED = 1


@dataclass
class Contender:
    """One program on one file."""

    name: str
    rule: str
    command: list[str]
    times: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    failure: str = ""


def make_files(names: list[str]) -> None:
    """Write the synthetic NEC-shaped files (and gender side files) that are missing."""
    from grassroots.synthetic import write_blt_file

    DATA.mkdir(exist_ok=True)
    for name in names:
        target = DATA / f"{name}.blt"
        if not target.exists():
            print(f"generating {target} ({SIZES[name]:,} ballots, seed {SEED})", flush=True)
            write_blt_file(target, n_ballots=SIZES[name], seed=SEED)


def contenders(path: Path) -> list[Contender]:
    """Everything timed on one file. The NEC files also get the women-quota count."""
    python = str(ENGINE / "python")
    grassroots = str(ENGINE / "grassroots")
    side = path.with_suffix(".gender.json")
    quota = ["--categories", str(side), "--min", "F=4"] if side.exists() else []
    tag = " F>=4" if quota else ""
    out = [
        Contender("floor (ours)", "first preferences", [python, "benchmarks/floor.py", str(path)])
    ]
    if SHARED_FLOOR.exists():
        out.append(
            Contender("floor (shared)", "first preferences", [python, str(SHARED_FLOOR), str(path)])
        )
    for rule in ("scottish", "ers97", "meek"):
        command = [grassroots, "count", str(path), "--rule", rule, *quota, "--format", "json"]
        out.append(Contender("grassroots", rule + tag, command))
    if quota:
        plain = [grassroots, "count", str(path), "--rule", "scottish", "--format", "json"]
        out.append(Contender("grassroots", "scottish", plain))
    peers = [
        ("pref_voting 1.18.2", "stv_scottish (SSI 2007/42)", "pref_voting_scottish.py"),
        ("votelib 0.4.0", "STV, Gregory, Droop", "votelib_gregory.py"),
        ("votekit 3.5.0", "STV, fractional (float)", "votekit_stv.py"),
        ("pyrankvote 2.0.6", "its STV, per-paper objects", "pyrankvote_stv.py"),
    ]
    if PEER_PYTHON.exists():
        for name, rule, script in peers:
            out.append(Contender(name, rule, [str(PEER_PYTHON), str(PEERS / script), str(path)]))
    else:
        print("no .venv-bench: peers skipped (make bench creates it)", file=sys.stderr)
    return out


def run_once(command: list[str], timeout: float) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and a failure note ("" if it worked)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode == -9 and wall >= timeout:
        return wall, usage.ru_maxrss / 1024, "timeout"
    if child.returncode != 0:
        last = error.strip().splitlines()[-1:] or [f"exit {child.returncode}"]
        return wall, usage.ru_maxrss / 1024, f"error: {last[0][:60]}"
    return wall, usage.ru_maxrss / 1024, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run, the 100k file only")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--files", nargs="*", help="nec-100k, nec-1m, ward (default: all)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    wanted = ["nec-100k"] if args.quick else (args.files or ["nec-100k", "nec-1m", "ward"])
    make_files([name for name in wanted if name in SIZES])
    files = [WARD if name == "ward" else DATA / f"{name}.blt" for name in wanted]
    stamp = time.strftime("%Y-%m-%d %H:%M")
    print(f"{stamp}  {os.cpu_count()} cores  {runs} run(s)  python {sys.version.split()[0]}")
    rows = []
    for path in files:
        field_list = contenders(path)
        for _ in range(runs):
            for contender in field_list:  # interleaved, so load changes hit every contender alike
                if contender.failure:
                    continue
                wall, peak, failure = run_once(contender.command, args.timeout)
                if failure:
                    contender.failure = failure
                    continue
                contender.times.append(wall)
                contender.peaks_mb.append(peak)
        # Ratios are to the faster floor: the shared one when it is there (the
        # speed targets are stated against it), so a slow floor never flatters us.
        floors = [c for c in field_list if c.name.startswith("floor") and c.times]
        floor = min(statistics.median(c.times) for c in floors)
        for c in field_list:
            rows.append((c, path.name, floor))
            result = c.failure or f"{statistics.median(c.times):.2f} s"
            print(f"  {path.name}: {c.name}, {c.rule}: {result}", flush=True)
    print()
    print("| contender | rule | file | median s | min s | max s | ratio to floor | peak MB |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for c, name, floor in rows:
        if c.failure:
            print(f"| {c.name} | {c.rule} | {name} | {c.failure} | | | | |")
            continue
        median = statistics.median(c.times)
        print(
            f"| {c.name} | {c.rule} | {name} | {median:.2f} | {min(c.times):.2f} | "
            f"{max(c.times):.2f} | {median / floor:.1f}x | {max(c.peaks_mb):.0f} |"
        )


if __name__ == "__main__":
    main()
