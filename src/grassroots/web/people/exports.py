"""What apps above people hold about a supporter, for their data export.

people cannot import those apps (lower apps never import higher ones, docs/web.md), so each
registers a part in its ``AppConfig.ready``: a key in the export and a function giving the
supporter's data under it. Erasure needs no such hook: those apps' rows about a supporter
cascade when the supporter is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grassroots.web.people.models import Supporter

ExportPart = Callable[[Supporter], Any]

_PARTS: dict[str, ExportPart] = {}


def supporter_export_part_register(key: str, part: ExportPart) -> None:
    """Add (or replace, so that ``ready`` may run twice) the export's ``key``."""
    _PARTS[key] = part


def supporter_export_parts(*, supporter: Supporter) -> dict[str, Any]:
    """Each registered part for ``supporter``, by key."""
    return {key: part(supporter) for key, part in sorted(_PARTS.items())}
