"""Where the project's shared reference data lives, for tests that read it.

The data sits beside the checkout (``../shared``) on the project's machines;
``GRASSROOTS_SHARED`` points elsewhere. A missing folder is an error, not a
skip: a suite that silently skips its golden counts proves nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

_CANDIDATES = [
    os.environ.get("GRASSROOTS_SHARED", ""),
    str(Path(__file__).resolve().parents[2] / "shared"),
    "/work/shared",
]


def _find() -> Path:
    for candidate in _CANDIDATES:
        if candidate and (Path(candidate) / "data" / "elections").is_dir():
            return Path(candidate)
    raise RuntimeError(
        "the shared reference data was not found (looked in "
        + ", ".join(c for c in _CANDIDATES if c)
        + "); set GRASSROOTS_SHARED to the folder that holds data/elections"
    )


SHARED = _find()
ELECTIONS = SHARED / "data" / "elections"
