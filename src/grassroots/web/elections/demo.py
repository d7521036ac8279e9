"""Demo party election ``nec-demo``: the NEC-shaped sections, twenty invented candidates in the
CLP section on three slates (two candidates on two), and nominations from real CLPs. Every
person here is invented.

The CLP section also gets a result: 4,000 invented ballots (each voter loyal to a slate or
to none, ranking their slate first in a random order, then perhaps a few others), counted by
the engine with the section's rule and quota, so the result page has something to show.

Idempotent: everything is created with the election, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from grassroots.count import Profile, Quotas, count
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections.models import (
    Nomination,
    PartyElection,
    ResultKind,
    Section,
    SectionResult,
)

SLUG = "nec-demo"
SEED = 2026
# name, organisation, colour
SLATES = [
    ("Grassroots Alliance", "the alliance's own slate", "#b5172b"),
    ("Labour Together Now", "leadership-backed", "#1f5fa8"),
    ("Open Left", "soft left", "#d98e04"),
]
# name, gender, slates (indices into SLATES), nominations wanted
CANDIDATES = [
    ("Aisha Rahman", "F", [0], 14),
    ("Bethan Morgan", "F", [0], 11),
    ("Chidi Okafor", "M", [0], 9),
    ("Dana Whitfield", "F", [0, 2], 12),
    ("Euan MacLeod", "M", [0], 6),
    ("Farida Haque", "F", [0], 7),
    ("Gareth Lloyd", "M", [1], 15),
    ("Helen Ashworth", "F", [1], 13),
    ("Imran Siddiqui", "M", [1], 10),
    ("Joanna Pryce", "F", [1], 9),
    ("Kieran Doyle", "M", [1], 8),
    ("Lena Novak", "F", [1, 2], 8),
    ("Marcus Bell", "M", [2], 6),
    ("Niamh Gallagher", "F", [2], 5),
    ("Oliver Strand", "M", [2], 4),
    ("Priya Nair", "F", [], 3),
    ("Quentin Hale", "M", [], 2),
    ("Rosa Delgado", "F", [], 1),
    ("Samuel Adeyemi", "M", [], 4),
    ("Tessa Burrows", "F", [], 0),
]


@transaction.atomic
def elections_demo_create() -> str:
    """Create the demo party election with slates, candidates and nominations."""
    if PartyElection.objects.filter(slug=SLUG).exists():
        return "elections: nec-demo already there"
    today = timezone.localdate()
    election = services.party_election_reference_load(
        actor=None,
        slug=SLUG,
        name="NEC elections (demo)",
        nominations_open=today - datetime.timedelta(days=30),
        nominations_close=today + datetime.timedelta(days=30),
        ballot_open=today + datetime.timedelta(days=50),
        ballot_close=today + datetime.timedelta(days=70),
        count_on=today + datetime.timedelta(days=71),
    )
    section = Section.objects.get(election=election, slug="clp")
    slates = [
        services.slate_create(
            actor=None, election=election, name=name, organisation=org, colour=colour
        )
        for name, org, colour in SLATES
    ]
    rng = random.Random(SEED)
    clps = list(Constituency.objects.with_clp().order_by("gss_code"))
    nominations = []
    for name, gender, on, wanted in CANDIDATES:
        candidate = services.candidate_create(
            actor=None, section=section, name=name, gender=gender, clp=rng.choice(clps)
        )
        for index in on:
            services.slate_membership_add(
                actor=None,
                slate=slates[index],
                candidate=candidate,
                source="Demo: the slate's launch announcement",
                endorsed_on=today - datetime.timedelta(days=25),
            )
        nominations += [
            Nomination(
                section=section,
                candidate=candidate,
                clp=clp,
                nominated_on=today - datetime.timedelta(days=rng.randint(0, 29)),
            )
            for clp in rng.sample(clps, wanted)
        ]
    Nomination.objects.bulk_create(nominations)
    _demo_result(section, rng)
    return f"elections: nec-demo with {len(CANDIDATES)} candidates, {len(nominations)} nominations"


BALLOTS = 4000
# Voters loyal to each slate: 38%, 40% and 14%; the other 8% to none.
FACTION_TOPS = (0.38, 0.78, 0.92)


def _demo_result(section: Section, rng: random.Random) -> None:
    """Invent ballots for the candidates on the ballot, count them, store the result."""
    threshold = section.nomination_threshold
    standing = [c for c in CANDIDATES if c[3] >= threshold]
    names = [c[0] for c in standing]
    by_slate = [[i for i, c in enumerate(standing) if slate in c[2]] for slate in range(3)]
    rankings = []
    for _ in range(BALLOTS):
        draw = rng.random()
        faction = next((f for f, top in enumerate(FACTION_TOPS) if draw < top), None)
        first = list(by_slate[faction]) if faction is not None else []
        rng.shuffle(first)
        others = [i for i in range(len(names)) if i not in first]
        more = rng.randint(0, 4) if faction is not None else rng.randint(2, 6)
        rankings.append(first + rng.sample(others, more))
    profile = Profile.from_rankings(names, section.seats, rankings).with_categories(
        {c[0]: c[1] for c in standing}
    )
    result = count(profile, rule=section.rule, quotas=Quotas.build({"F": section.minimum_women}))
    stored = SectionResult.objects.create(
        section=section,
        kind=ResultKind.COUNT,
        filename="demo ballots (invented)",
        data=result.to_dict(),
    )
    audit_record(
        actor_id=None,
        action="result.count",
        object_type="section",
        object_id=section.pk,
        summary=f"demo, {len(result.elected)} elected (result {stored.pk})",
    )
