"""Factories for the campaign's tests: an election whose nomination window is around today,
a slate of two candidates against a third, and a drive targeting a few CLPs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from grassroots.web.campaign import services
from grassroots.web.campaign.models import Drive
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.elections.models import Candidate, Section, Slate
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import candidates_create, section_get, slate_with
from tests.web.factories import role_holder_create

TARGETS = ("Leeds Central and Headingley", "Leeds East", "Cardiff East", "Cardiff West")


@dataclass
class Campaign:
    section: Section
    slate: Slate
    candidates: dict[str, Candidate]
    drive: Drive
    organiser: User
    clps: dict[str, Constituency]


def campaign_create(*, targets: tuple[str, ...] = TARGETS) -> Campaign:
    """An election open for nominations from 60 days ago to 90 days ahead; the slate "Our
    Slate" (Ann Ash, Bea Birch) and Cal Cedar on no slate; a drive targeting ``targets``."""
    today = timezone.localdate()
    election = election_services.party_election_reference_load(
        actor=None,
        slug="nec-campaign",
        name="NEC elections (campaign)",
        nominations_open=today - datetime.timedelta(days=60),
        nominations_close=today + datetime.timedelta(days=90),
    )
    section = section_get(election)
    candidates = candidates_create(
        section, [("Ann Ash", "F"), ("Bea Birch", "M"), ("Cal Cedar", "M")]
    )
    slate = slate_with(election, "Our Slate", [candidates["Ann Ash"], candidates["Bea Birch"]])
    organiser = role_holder_create(Role.ORGANISER)
    drive = services.drive_create(actor=organiser, slate=slate, section=section)
    clps = {c.name: c for c in Constituency.objects.filter(name__in=targets)}
    services.drive_targets_set(actor=organiser, drive=drive, clps=list(clps.values()))
    return Campaign(section, slate, candidates, drive, organiser, clps)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)
