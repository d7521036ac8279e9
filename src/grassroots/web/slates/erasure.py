"""The slates side of a person's data. Erasing them (``people.services.person_erase``): a
nomination they submitted stays (it is the organisation's), but no longer says who submitted
it. Their export (``people.exports``) lists the nominations they submitted."""

from __future__ import annotations

from typing import Any

from grassroots.web.people.models import User
from grassroots.web.slates.models import SlateNomination


def person_erase_from_slates(person: User) -> None:
    SlateNomination.objects.filter(submitted_by_id=person.pk).update(submitted_by_id=None)


def person_nominations_export(person: User) -> list[dict[str, Any]]:
    rows = SlateNomination.objects.filter(submitted_by_id=person.pk).select_related(
        "organisation", "section"
    )
    return [
        {
            "organisation": row.organisation.name,
            "section": str(row.section),
            "nominee": row.name,
            "nominated_on": row.nominated_on.isoformat(),
        }
        for row in rows.order_by("nominated_on", "id")
    ]
