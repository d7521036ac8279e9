"""Reading slate selections: a section's nominees, its slate ballots and its published slate,
each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from grassroots.web.elections.models import Gender, Section
from grassroots.web.slates.models import Endorsement, SlateNomination, SlatePlace, SlateSelection


@dataclass
class Nominee:
    """One person nominated for a section, by one or more organisations. The profile is the
    first nomination's; later ones add their organisation."""

    name: str
    gender: str
    clp: str
    statement: str
    nominated_on: datetime.date
    organisations: list[str] = field(default_factory=list)

    @property
    def gender_label(self) -> str:
        return Gender(self.gender).label


def nominee_key(name: str) -> str:
    """Nominations name the same person when their names match in any case."""
    return " ".join(name.split()).casefold()


def nominee_list(*, section: Section) -> list[Nominee]:
    """The section's nominees in order of first nomination (one query)."""
    nominees: dict[str, Nominee] = {}
    rows = (
        SlateNomination.objects.filter(section=section)
        .select_related("organisation", "clp")
        .order_by("nominated_on", "id")
    )
    for row in rows:
        nominee = nominees.setdefault(
            nominee_key(row.name),
            Nominee(
                name=row.name,
                gender=row.gender,
                clp=row.clp.name if row.clp else "",
                statement=row.statement,
                nominated_on=row.nominated_on,
            ),
        )
        nominee.organisations.append(row.organisation.name)
    return list(nominees.values())


def selection_list(*, section: Section) -> QuerySet[SlateSelection]:
    """The section's slate ballots, newest first, with their ballots."""
    return SlateSelection.objects.filter(section=section).select_related("ballot")


def selection_live(*, section: Section) -> SlateSelection | None:
    """The section's slate ballot that is not cancelled, if any: at most one runs."""
    return selection_list(section=section).exclude(ballot__status="cancelled").first()


@dataclass
class PublishedSlate:
    selection: SlateSelection
    places: list[SlatePlace]
    endorsements: list[Endorsement]


def published_slate_get(*, section: Section) -> PublishedSlate | None:
    """The section's published slate: the places in order of election and the slate's
    endorsements (three queries), or None before ``slate_publish``."""
    selection = (
        SlateSelection.objects.filter(section=section, published_at__isnull=False)
        .select_related("ballot", "slate")
        .first()
    )
    if selection is None:
        return None
    places = list(SlatePlace.objects.filter(selection=selection).select_related("candidate__clp"))
    endorsements = list(
        Endorsement.objects.filter(slate=selection.slate).select_related("organisation")
    )
    return PublishedSlate(selection=selection, places=places, endorsements=endorsements)
