"""Values every template needs: the alliance's name, and whether to show the Organise menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from grassroots.web.people.roles import ORGANISE_MENU_ROLES, user_may_organise


def site(request: HttpRequest) -> dict[str, Any]:
    """The alliance's name, from ``GRASSROOTS_ALLIANCE_NAME``; ``may_organise`` (the Organise menu
    entry: organisers, committee, administrators, affiliate representatives), worked out only
    when a page asks (anonymous visitors cost no query; others share the view's role lookup)."""
    return {
        "alliance_name": settings.GRASSROOTS_ALLIANCE_NAME,
        "may_organise": SimpleLazyObject(
            lambda: user_may_organise(request.user, ORGANISE_MENU_ROLES)
        ),
    }
