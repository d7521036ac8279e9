"""What apps above people hold about a person, for their data export.

people cannot import those apps (lower apps never import higher ones, docs/web.md), so each
registers a part in its ``AppConfig.ready``: a key in the export and a function giving the
person's data under it. Every account has an export, supporter or not. Erasure has the
matching hook in ``people.erasure``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grassroots.web.people.models import User

ExportPart = Callable[[User], Any]

_PARTS: dict[str, ExportPart] = {}


def person_export_part_register(key: str, part: ExportPart) -> None:
    """Add (or replace, so that ``ready`` may run twice) the export's ``key``."""
    _PARTS[key] = part


def person_export_parts(*, person: User) -> dict[str, Any]:
    """Each registered part for ``person``, by key."""
    return {key: part(person) for key, part in sorted(_PARTS.items())}
