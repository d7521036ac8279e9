"""What the elections app does when a person erases their account (``people.erasure``)."""

from __future__ import annotations

from grassroots.web.elections.models import ForecastRun
from grassroots.web.people.models import User


def person_erase_from_elections(person: User) -> None:
    """Forget who asked for a forecast; the forecast, which names no one, stays."""
    ForecastRun.objects.filter(requested_by=person).update(requested_by=None)
