"""Demo party election ``nec-demo``: the NEC-shaped sections, twenty invented candidates in the
CLP section on three slates (two candidates on two), and nominations from real CLPs. Every
person here is invented.

Idempotent: everything is created with the election, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections.models import Nomination, PartyElection, Section

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
    return f"elections: nec-demo with {len(CANDIDATES)} candidates, {len(nominations)} nominations"
