"""Writing constituencies: loading the fixture."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.data import FIELDS, FIXTURE, constituency_rows
from grassroots.web.constituencies.models import Constituency


@transaction.atomic
def constituency_load(*, actor_id: int | None = None, path: Path = FIXTURE) -> int:
    """Bring the table in line with the fixture; return how many rows were added or changed.

    Idempotent: a second run changes nothing and writes no audit row. Rows are never deleted
    (supporters point at them).
    """
    existing = {c.gss_code: c for c in Constituency.objects.all()}
    new: list[Constituency] = []
    changed: list[Constituency] = []
    for row in constituency_rows(path):
        current = existing.get(row["gss_code"])
        if current is None:
            new.append(Constituency(**row))
        elif any(getattr(current, field) != row[field] for field in FIELDS):
            for field, value in row.items():
                setattr(current, field, value)
            changed.append(current)
    Constituency.objects.bulk_create(new)
    Constituency.objects.bulk_update(changed, [f for f in FIELDS if f != "gss_code"])
    if new or changed:
        audit_record(
            actor_id=actor_id,
            action="constituency.load",
            object_type="constituency",
            summary=f"{len(new)} added, {len(changed)} changed from {path.name}",
        )
    return len(new) + len(changed)
