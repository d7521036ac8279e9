"""Values every template needs: the alliance's name."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The alliance's name, from ``GRASSROOTS_ALLIANCE_NAME``."""
    return {"alliance_name": settings.GRASSROOTS_ALLIANCE_NAME}
