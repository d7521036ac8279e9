"""Reading the constituency fixture (no Django here, so a migration can use it too)."""

from __future__ import annotations

import csv
from pathlib import Path

FIXTURE = Path(__file__).with_name("constituencies-2024.csv")
FIELDS = (
    "gss_code",
    "name",
    "name_cy",
    "nation",
    "region_gss_code",
    "region",
    "constituency_type",
    "mysociety_code",
)


def constituency_rows(path: Path = FIXTURE) -> list[dict[str, str]]:
    """The fixture's rows as dicts keyed by the model's field names."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != FIELDS:
            raise ValueError(f"{path}: expected columns {','.join(FIELDS)}")
        return [{field: row[field].strip() for field in FIELDS} for row in reader]
