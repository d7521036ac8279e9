"""The candidacy side of a person's data. A candidate's page is public and belongs to the
ballot or election, not to an account; but the address an organiser sent a candidate's link
to is personal: erasing the person with that address forgets it and stops the link."""

from __future__ import annotations

from typing import Any

from grassroots.web.candidacy.models import CandidateProfile
from grassroots.web.people.models import User


def person_erase_from_candidacy(person: User) -> None:
    CandidateProfile.objects.filter(contact_email__iexact=person.email).update(
        contact_email="", token_hash=None
    )


def person_candidacy_export(person: User) -> list[dict[str, Any]]:
    rows = CandidateProfile.objects.filter(contact_email__iexact=person.email).select_related(
        "questionnaire", "ballot_option", "candidate"
    )
    return [
        {
            "candidates_page": row.questionnaire.title,
            "candidate": row.name,
            "link_sent_at": row.link_sent_at.isoformat() if row.link_sent_at else None,
        }
        for row in rows.order_by("pk")
    ]
