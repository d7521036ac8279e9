"""Where the server's time goes, from the py-spy profile ``make loadtest`` writes (``--profile``).

    .venv-load/bin/python -m loadtest.profile /tmp/voting.txt

py-spy's raw format is one line per distinct stack, ``frame;frame;...;frame count``, the
outermost frame first, each frame ``function (file:line)``. A part's share is the samples whose
stack passes through it (so parts nest: the ORM's SQL building is inside the views), of all the
samples; docs/reliability.md quotes the table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

# (label, what a frame holds): a stack with a frame that holds it is in the part.
PARTS: list[tuple[str, str]] = [
    ("waitress's request handling (the rest: its socket loop)", "waitress/task.py"),
    ("gunicorn's request handling (the rest: its main loop)", "gunicorn/workers/gthread.py"),
    ("Django's request handler, middleware and views", "django/core/handlers/base.py"),
    ("the voting views (`ballots/views.py`)", "ballots/views.py"),
    ("the ORM's queries, building and running them (its SQL compiler)", "sql/compiler.py"),
    ("the PostgreSQL driver (psycopg), sending and waiting", "psycopg/"),
    ("templates (`django/template`), the pages and the preference boxes", "django/template/"),
    ("forms (`django/forms`): reading and checking the posted ranking", "django/forms/"),
    ("`services.ballot_cast`: locks, checks, two writes and the commit", "ballot_cast ("),
    ("the credential lookup (`selectors.voting_pass_get`)", "voting_pass_get ("),
    ("CSRF (`django/middleware/csrf.py`)", "django/middleware/csrf.py"),
    ("signed cookies (`django/core/signing.py`)", "django/core/signing.py"),
    ("content security policy (`csp`)", "csp/"),
    ("sessions and messages (`django/contrib/sessions`, `messages`)", "django/contrib/"),
    ("logging", "logging/"),
]


def stacks_read(lines: Iterable[str]) -> list[tuple[str, int]]:
    """(stack, samples) from py-spy's raw lines; lines that are not a stack are skipped."""
    found = []
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack and count.isdigit():
            found.append((stack, int(count)))
    return found


def summarise(stacks: Iterable[tuple[str, int]]) -> list[tuple[float, str]]:
    """Each part's share of all the samples, in ``PARTS``' order."""
    stacks = list(stacks)
    total = sum(count for _, count in stacks) or 1
    return [
        (sum(count for stack, count in stacks if marker in stack) / total, label)
        for label, marker in PARTS
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    stacks = stacks_read(Path(argv[0]).read_text().splitlines())
    print(f"{sum(count for _, count in stacks)} samples")
    print("| share of the server's samples | where |\n| ---: | --- |")
    for share, label in summarise(stacks):
        print(f"| {100 * share:.0f} % | {label} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
