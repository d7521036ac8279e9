"""Parts of an organisation's public page that apps above the alliance supply.

The alliance cannot import them (lower apps never import higher ones, docs/web.md), so such an
app registers a part in its ``AppConfig.ready``: a template and a function giving its context
for one organisation. Each function must cost a fixed number of queries, whatever the
organisation holds, so the page does too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from grassroots.web.alliance.models import Organisation


@dataclass(frozen=True)
class OrganisationPagePart:
    template_name: str
    context: Callable[[Organisation], Mapping[str, Any]]


@dataclass(frozen=True)
class RenderedPart:
    template_name: str
    context: Mapping[str, Any]


_PARTS: dict[str, OrganisationPagePart] = {}


def organisation_page_part_register(name: str, part: OrganisationPagePart) -> None:
    """Add (or replace, so that ``ready`` may run twice) the part called ``name``."""
    _PARTS[name] = part


def organisation_page_parts(*, organisation: Organisation) -> list[RenderedPart]:
    """Each registered part with its context for ``organisation``, by name."""
    return [
        RenderedPart(part.template_name, part.context(organisation))
        for _, part in sorted(_PARTS.items())
    ]
