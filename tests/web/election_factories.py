"""Factories for the elections app's tests: a party election with sections, candidates and
slates, made through the services as an administrator would."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from grassroots.web.elections import services
from grassroots.web.elections.models import Candidate, PartyElection, Section, Slate

OPEN = datetime.date(2026, 1, 5)
CLOSE = datetime.date(2026, 6, 30)


def election_create(slug: str = "nec-test") -> PartyElection:
    """The NEC-shaped election (reference sections), nominations open OPEN to CLOSE."""
    return services.party_election_reference_load(
        actor=None,
        slug=slug,
        name="NEC elections (test)",
        nominations_open=OPEN,
        nominations_close=CLOSE,
    )


def section_get(election: PartyElection, slug: str = "clp") -> Section:
    return Section.objects.get(election=election, slug=slug)


def candidates_create(section: Section, people: Sequence[tuple[str, str]]) -> dict[str, Candidate]:
    """Candidates by name from (name, gender) pairs."""
    return {
        name: services.candidate_create(actor=None, section=section, name=name, gender=gender)
        for name, gender in people
    }


def slate_with(
    election: PartyElection, name: str, members: Sequence[Candidate], colour: str = "#aa0000"
) -> Slate:
    slate = services.slate_create(actor=None, election=election, name=name, colour=colour)
    for candidate in members:
        services.slate_membership_add(actor=None, slate=slate, candidate=candidate, source="test")
    return slate
