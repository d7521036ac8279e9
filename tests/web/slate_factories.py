"""Slate selections for the tests: nominations, the slate ballot and its votes, made through
the services as affiliates and a returning officer would."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Electorate
from grassroots.web.elections.models import Section
from grassroots.web.people.models import User
from grassroots.web.slates import services
from tests.web.ballot_factories import ballot_open_with_tokens, option_ids


def nominations_submit(
    *, actor: User, organisation: Organisation, section: Section, people: Sequence[tuple[str, str]]
) -> None:
    for name, gender in people:
        services.slate_nomination_submit(
            actor=actor, organisation=organisation, section=section, name=name, gender=gender
        )


def slate_ballot_voted(
    *,
    actor: User,
    section: Section,
    slate_size: int,
    rankings: Sequence[Sequence[str]],
) -> tuple[Ballot, list[str]]:
    """Set up, open, vote in (one voter per ranking; the supporters must exist) and close."""
    ballot = services.slate_ballot_create(
        actor=actor,
        section=section,
        slate_size=slate_size,
        closes_at=timezone.now() + timedelta(days=7),
        electorate=Electorate.SUPPORTERS,
    )
    tokens = ballot_open_with_tokens(ballot)
    receipts = [
        ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, *names)).code
        for token, names in zip(tokens, rankings, strict=True)
    ]
    ballot_services.ballot_close(actor=actor, ballot=ballot)
    return ballot, receipts
