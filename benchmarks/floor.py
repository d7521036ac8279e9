"""The floor: the least any counter must do. Read a BLT file with numpy and sum first preferences.

No count, no checks beyond what the sum needs: every benchmark figure is
given as a ratio to this program's time on the same file in the same run.

    python benchmarks/floor.py FILE.blt
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def first_preferences(path: Path) -> tuple[int, np.ndarray]:
    """The weighted first-preference total of every candidate, and the number of ballot lines."""
    raw = path.read_bytes()
    header_end = raw.index(b"\n")
    n_candidates = int(raw[:header_end].split()[0])
    begin = header_end + 1
    while raw[begin : begin + 1] == b"-":  # withdrawn candidates
        begin = raw.index(b"\n", begin) + 1
    finish = raw.index(b"\n0\n", begin - 1) + 1
    data = np.frombuffer(raw, dtype=np.uint8, count=finish - begin, offset=begin)
    digit = (data - np.uint8(48)) < 10
    starts = np.flatnonzero(digit & ~np.concatenate(([False], digit[:-1])))
    ends = np.flatnonzero(digit & ~np.concatenate((digit[1:], [False]))) + 1
    numbers = np.zeros(starts.size, dtype=np.int64)
    for place in range(int((ends - starts).max())):  # units, tens, ...
        has = np.flatnonzero(ends - starts > place)
        numbers[has] += (data[ends[has] - 1 - place] - np.uint8(48)).astype(np.int64) * 10**place
    closing = np.flatnonzero(numbers == 0)  # every ballot ends with 0, and no weight is 0
    weight_at = np.concatenate(([0], closing[:-1] + 1))
    first = numbers[weight_at + 1]  # the closing 0 for an empty ballot
    totals = np.bincount(first, weights=numbers[weight_at], minlength=n_candidates + 1)
    return weight_at.size, totals[1:]


def main() -> None:
    lines, totals = first_preferences(Path(sys.argv[1]))
    print(f"ballot lines {lines}, first preferences {totals.astype(np.int64).tolist()}")


if __name__ == "__main__":
    main()
