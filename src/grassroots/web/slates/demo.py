"""Demo slate selection for ``nec-demo``'s CLP section: a few affiliated organisations
nominate, a slate ballot of party members chooses a reduced slate of five (at least three
women, the CLP section's four of nine scaled), and the alliance publishes it. Every person and
vote is invented.

It goes through the same services as a real selection, acting as the demo organiser
(``organiser@example.org``, who may nominate for any affiliated organisation); only the voting
links are kept instead of emailed. Idempotent: a section with a slate ballot is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from grassroots.web.alliance.models import AffiliationStatus, Organisation, OrganisationKind
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Electorate
from grassroots.web.elections.models import Section
from grassroots.web.people.models import User
from grassroots.web.slates import services
from grassroots.web.slates.models import SlateSelection

SEED = 2027
SITE_URL = "http://127.0.0.1:8000"
ORGANISER_EMAIL = "organiser@example.org"
SLATE_SIZE = 5
VOTERS = 150
# name, gender, the nominating organisations (indices into the first affiliated national
# organisations by name), popularity
NOMINEES = [
    ("Aisha Rahman", "F", [0, 1], 9.0),
    ("Bethan Morgan", "F", [0], 6.0),
    ("Chidi Okafor", "M", [1, 2], 8.0),
    ("Dana Whitfield", "F", [2], 5.0),
    ("Euan MacLeod", "M", [0], 4.0),
    ("Farida Haque", "F", [1], 3.5),
    ("Priya Nair", "F", [2], 2.5),
    ("Samuel Adeyemi", "M", [0, 2], 6.5),
]


class _Keep:
    """Keeps the voting links ``ballot_open`` would email, for the demo to vote with."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(
        self, *, ballot: Ballot, site_url: str, links: Sequence[tuple[str, str, str]]
    ) -> None:
        self.tokens.extend(token for _, _, token in links)


def _ranking(rng: random.Random, option_ids: Sequence[int]) -> list[int]:
    """Options drawn by popularity, as many as the voter cares to rank."""
    weights = [popularity for *_, popularity in NOMINEES]
    ranking = []
    for _ in range(rng.randint(3, len(option_ids))):
        choice = rng.choices(range(len(option_ids)), weights=weights)[0]
        ranking.append(option_ids[choice])
        weights[choice] = 0
    return ranking


def slates_demo_create() -> str:
    """Nominate, ballot and publish the CLP section's slate, unless it has a slate ballot."""
    section = Section.objects.filter(election__slug="nec-demo", slug="clp").first()
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    organisations = list(
        Organisation.objects.filter(
            status=AffiliationStatus.AFFILIATED, kind=OrganisationKind.NATIONAL
        ).order_by("name")[:3]
    )
    if section is None or organiser is None or len(organisations) < 3:
        return "slates: no nec-demo, demo organiser or organisations; skipped"
    if SlateSelection.objects.filter(section=section).exists():
        return "slates: nec-demo's CLP slate ballot exists; nothing to add"
    today = timezone.localdate()
    for day, (name, gender, nominators, _) in enumerate(NOMINEES):
        for index in nominators:
            services.slate_nomination_submit(
                actor=organiser,
                organisation=organisations[index],
                section=section,
                name=name,
                gender=gender,
                nominated_on=today - datetime.timedelta(days=20 - day),
            )
    now = timezone.now()
    ballot = services.slate_ballot_create(
        actor=organiser,
        section=section,
        slate_size=SLATE_SIZE,
        opens_at=now - datetime.timedelta(days=7),
        closes_at=now + datetime.timedelta(hours=1),
        electorate=Electorate.MEMBERS,
    )
    keep = _Keep()
    ballot_services.ballot_open(actor=organiser, ballot=ballot, site_url=SITE_URL, deliver=keep)
    by_name = dict(ballot.options.values_list("name", "pk"))
    option_ids = [by_name[name] for name, *_ in NOMINEES]
    rng = random.Random(SEED)
    tokens = sorted(keep.tokens)
    rng.shuffle(tokens)
    for token in tokens[:VOTERS]:
        ballot_services.ballot_cast(credential_token=token, ranking=_ranking(rng, option_ids))
    ballot_services.ballot_close(actor=organiser, ballot=ballot)
    ballot_services.ballot_publish(actor=organiser, ballot=ballot)
    slate = services.slate_publish(actor=organiser, ballot=ballot)
    return (
        f"slates: {len(NOMINEES)} nominees for nec-demo's CLP section; {ballot.slug} chose "
        f"{slate.name}'s slate of {SLATE_SIZE}"
    )
