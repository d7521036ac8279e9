"""Read the stage figures out of a Droop v0.11 text report (a test helper).

The reports under ``../shared/data/elections`` were written by another
program; we read each state after a count step ("Begin Count", "Surplus
transferred", "Transfer defeated") as one stage, so that our stages can be
compared with them figure by figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

_STEP = re.compile(r"^Action: (Begin Count|Surplus transferred|Transfer defeated)")
_CANDIDATE = re.compile(r"^\t(Elected|Hopeful|Pending|Defeated|Withdrawn):\s+(.*) \(([-0-9.]+)\)$")
_NONTRANSFERABLE = re.compile(r"^\tNontransferable votes: ([-0-9.]+)$")
_RESIDUAL = re.compile(r"^\tResidual: ([-0-9.]+)$")


def read_droop_stages(path: Path, names: list[str]) -> list[dict[str, Decimal]]:
    """Each stage's votes by candidate name, plus 'exhausted' and 'loss' entries.

    ``names`` are the candidate names, used to split Droop's comma-joined
    lines of defeated candidates (names may themselves contain commas).
    """
    stages: list[dict[str, Decimal]] = []
    current: dict[str, Decimal] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("Action:"):
            if current is not None:
                stages.append(current)
            # A "surplus" of exactly zero moves nothing and is no stage of ours.
            zero_surplus = line.startswith("Action: Surplus transferred") and line.endswith(
                "(0.00000)"
            )
            current = {} if _STEP.match(line) and not zero_surplus else None
            continue
        if current is None:
            continue
        m = _CANDIDATE.match(line)
        if m:
            value = Decimal(m.group(3))
            for name in _split_names(m.group(2), names):
                current[name] = value
            continue
        m = _NONTRANSFERABLE.match(line)
        if m:
            current["exhausted"] = Decimal(m.group(1))
            continue
        m = _RESIDUAL.match(line)
        if m:
            current["loss"] = Decimal(m.group(1))
    if current is not None:
        stages.append(current)
    return stages


def _split_names(text: str, names: list[str]) -> list[str]:
    if text in names:
        return [text]
    found: list[str] = []
    rest = text
    while rest:
        match = next((n for n in sorted(names, key=len, reverse=True) if rest.startswith(n)), None)
        if match is None:
            raise ValueError(f"cannot match names in {text!r}")
        found.append(match)
        rest = rest[len(match) :].removeprefix(", ")
    return found
