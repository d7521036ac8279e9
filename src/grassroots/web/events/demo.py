"""Demo events and speakers: local meetings across the regions, a week of conference fringe
meetings, hustings, and a speakers directory. Everyone and every venue here is invented.

Each local meeting is organised by an affiliated demo local group in its region, and most fringe
meetings by the affiliated national organisation of their subject, so those organisations'
feeds have events; the rest are the alliance's own. This runs after the alliance's demo step.

Idempotent: each demo event has a fixed UID (a UUID5 of its key) and each speaker a fixed name,
so a second run adds nothing. Dates are relative to the day of the first run. Demo events made
before they were linked to organisations are linked once, on the next run.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.models import AffiliationStatus, Organisation, OrganisationKind
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.people.models import User

LONDON = ZoneInfo("Europe/London")
DEMO_NAMESPACE = uuid.UUID("6f1c1f0e-5d1e-4a49-9a52-2f7f4f0b8a11")
CONFERENCE_CITY = "Liverpool"

# name, topics, region, consents to be listed, bio
SPEAKERS = [
    ("Aisha Okafor", "NHS, social care", "London", True, "A nurse and union rep."),
    ("Bethan Rhys", "Wales, devolution", "Wales", True, "Councillor in a valleys ward."),
    ("Callum Fraser", "Scotland, energy", "Scotland", True, "Offshore energy worker."),
    ("Deborah Mensah", "Housing, renters' rights", "London", True, "Tenants' union organiser."),
    ("Eilidh MacLeod", "Land reform, rural transport", "Scotland", True, "Crofting campaigner."),
    ("Farid Hussain", "Local government finance", "West Midlands", True, "Former treasurer."),
    ("Grace Lloyd", "Party democracy, rule changes", "North West", True, "CLP secretary."),
    ("Hamza Patel", "Climate, green jobs", "Yorkshire and The Humber", True, "Engineer."),
    ("Ines Nowak", "Migrant workers, trade unions", "East Midlands", True, "Union organiser."),
    ("Jonah Williams", "Education, schools funding", "South West", True, "Teacher."),
    ("Kavita Singh", "Disability rights, welfare", "North East", True, "Advice worker."),
    ("Liam O'Connor", "Youth, students", "South East", True, "Student union officer."),
    ("Maya Thompson", "Women's representation", "East of England", True, "Researcher."),
    ("Niall Robertson", "Public ownership, rail", "North West", False, "Rail worker."),
    ("Olu Adeyemi", "Race equality, policing", "London", False, "Community lawyer."),
]

# key, title, city (its region picks the CLP), days from the day of the run
LOCAL = [
    ("north-east", "Building the slate in the North East", "Newcastle upon Tyne", 9),
    ("north-west", "Organising for the party elections", "Manchester", 12),
    ("yorkshire", "Which candidates? An open discussion", "Leeds", 15),
    ("east-midlands", "Members' meeting: party democracy", "Nottingham", 18),
    ("west-midlands", "Winning the CLP nominations", "Birmingham", 20),
    ("east", "Getting started as a local group", "Norwich", 24),
    ("london", "London supporters' assembly", "London", 27),
    ("south-east", "Organising in the South East", "Brighton", 31),
    ("south-west", "Supporters' social and discussion", "Bristol", 34),
    ("wales", "Cyfarfod cefnogwyr / Supporters' meeting", "Cardiff", 38),
    ("scotland", "Scottish supporters' meeting", "Glasgow", 41),
]
ALLIANCE = "Grassroots Alliance"
# day, hour, title, speakers, organising national organisation (alliance/demo.py) or the alliance
FRINGE = [
    (
        0,
        12,
        "Welcome to conference: how the slate was chosen",
        ["Grace Lloyd", "Maya Thompson"],
        "",
    ),
    (0, 18, "Party democracy after the rule changes", ["Grace Lloyd"], "Members First Campaign"),
    (
        1,
        8,
        "Breakfast: green jobs in every region",
        ["Hamza Patel", "Callum Fraser"],
        "Green Work Coalition",
    ),
    (
        1,
        13,
        "Housing for all: rents, councils and building",
        ["Deborah Mensah"],
        "Renters' Voice Network",
    ),
    (
        1,
        18,
        "Our NHS: care workers speak",
        ["Aisha Okafor", "Kavita Singh"],
        "Fair Health Fellowship",
    ),
    (
        2,
        12,
        "Unions and the party: the next ten years",
        ["Ines Nowak", "Farid Hussain"],
        "Workers' Learning Circle",
    ),
    (2, 18, "Devolution that works: Wales and Scotland", ["Bethan Rhys", "Eilidh MacLeod"], ""),
    (
        3,
        13,
        "Young members organising",
        ["Liam O'Connor", "Jonah Williams"],
        "New Generation Socialists",
    ),
]


def _uid(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, key)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _next_sunday(day: date) -> date:
    return day + timedelta(days=(6 - day.weekday()) % 7)


def _clp_for_region(region: str) -> Constituency | None:
    """The region's first CLP by name."""
    return Constituency.objects.with_clp().filter(region=region).order_by("name").first()


def _affiliates() -> tuple[dict[str, Organisation], dict[str, list[Organisation]]]:
    """The affiliated organisations: national ones by name, local groups by the regions of the
    CLPs they cover (each region's by name)."""
    national: dict[str, Organisation] = {}
    local: dict[str, list[Organisation]] = {}
    for organisation in (
        Organisation.objects.filter(status=AffiliationStatus.AFFILIATED)
        .prefetch_related("constituencies")
        .order_by("name")
    ):
        if organisation.kind == OrganisationKind.NATIONAL:
            national[organisation.name] = organisation
        for region in sorted({clp.region for clp in organisation.constituencies.all()}):
            local.setdefault(region, []).append(organisation)
    return national, local


def _organised_by(event: Event, organisation: Organisation | None) -> Event:
    """Link the event to its organisation, named as the event form would name it."""
    if organisation is not None:
        event.organisation = organisation
        event.organiser_name = organisation.name
    return event


def _speakers_create() -> tuple[int, dict[str, Speaker]]:
    existing = {s.name: s for s in Speaker.objects.filter(name__in=[s[0] for s in SPEAKERS])}
    new = [
        Speaker(name=name, topics=topics, region=region, listed=listed, bio=bio)
        for name, topics, region, listed, bio in SPEAKERS
        if name not in existing
    ]
    Speaker.objects.bulk_create(new)
    by_name = {s.name: s for s in Speaker.objects.filter(name__in=[s[0] for s in SPEAKERS])}
    return len(new), by_name


def _plans(today: date) -> list[tuple[str, Event, list[str]]]:
    """Every demo event (unsaved) with its key and speakers' names."""
    city_regions = {
        "Newcastle upon Tyne": "North East",
        "Manchester": "North West",
        "Leeds": "Yorkshire and The Humber",
        "Nottingham": "East Midlands",
        "Birmingham": "West Midlands",
        "Norwich": "East of England",
        "London": "London",
        "Brighton": "South East",
        "Bristol": "South West",
        "Cardiff": "Wales",
        "Glasgow": "Scotland",
    }
    national, local = _affiliates()
    plans: list[tuple[str, Event, list[str]]] = []
    for key, title, city, days in LOCAL:
        region = city_regions[city]
        clp = Constituency.objects.with_clp().filter(
            region=region, name__icontains=city
        ).first() or _clp_for_region(region)
        day = today + timedelta(days=days)
        groups = local.get(region, [])
        # The group covering the meeting's CLP, else the region's first; a typed-in name where
        # the region has no affiliated group.
        group = next(
            (g for g in groups if clp in list(g.constituencies.all())),
            groups[0] if groups else None,
        )
        plans.append(
            (
                f"local-{key}",
                _organised_by(
                    Event(
                        title=title,
                        kind=EventKind.LOCAL_MEETING,
                        starts_at=_at(day, 19),
                        ends_at=_at(day, 21),
                        venue=f"{city} Community Centre (demo)",
                        address=f"1 Example Street, {city}",
                        organiser_name=f"{city} Grassroots",
                        constituency=clp,
                        description="An open meeting for supporters and members. All welcome.",
                    ),
                    group,
                ),
                [],
            )
        )
    conference = _next_sunday(today + timedelta(days=21))
    for index, (offset, hour, title, speakers, organiser) in enumerate(FRINGE):
        day = conference + timedelta(days=offset)
        plans.append(
            (
                f"fringe-{index}",
                _organised_by(
                    Event(
                        title=title,
                        kind=EventKind.FRINGE,
                        starts_at=_at(day, hour, 15 if hour == 8 else 0),
                        ends_at=_at(day, hour + 1, 15 if hour == 8 else 30),
                        venue=f"The Quayside Rooms, Room {index % 3 + 1} (demo)",
                        address=f"Waterfront, {CONFERENCE_CITY}",
                        organiser_name=ALLIANCE,
                        description="A fringe meeting at the party conference. No pass needed.",
                    ),
                    national.get(organiser),
                ),
                speakers,
            )
        )
    hustings_day = today + timedelta(days=45)
    plans.append(
        (
            "hustings-national",
            Event(
                title="Hustings: the alliance's candidates for the NEC",
                kind=EventKind.HUSTINGS,
                starts_at=_at(hustings_day, 18, 30),
                ends_at=_at(hustings_day, 20, 30),
                venue="Online",
                online_url="https://meet.example.org/grassroots-hustings",
                organiser_name=ALLIANCE,
                description="Every candidate answers supporters' questions.",
            ),
            ["Grace Lloyd", "Maya Thompson", "Farid Hussain"],
        )
    )
    return plans


def _link_unlinked(plans: list[tuple[str, Event, list[str]]], now: datetime) -> int:
    """Link demo events stored before the demo linked them to organisations, as planned now;
    an event already linked, or edited to another organiser, is left as it is."""
    planned = {
        _uid(key): event.organisation for key, event, _ in plans if event.organisation is not None
    }
    stored = Event.objects.filter(
        uid__in=planned,
        organisation__isnull=True,
        organiser_name__in=[ALLIANCE, *(f"{city} Grassroots" for _, _, city, _ in LOCAL)],
    )
    linked = []
    for event in stored:
        event.organisation = planned[event.uid]
        event.organiser_name = event.organisation.name
        event.organiser_slug = slugify(event.organiser_name)
        event.updated_at = now
        linked.append(event)
    fields = ["organisation", "organiser_name", "organiser_slug", "updated_at"]
    Event.objects.bulk_update(linked, fields)
    return len(linked)


@transaction.atomic
def events_demo_create() -> str:
    """Create the demo speakers and events that do not exist yet (bulk inserts)."""
    new_speakers, speakers = _speakers_create()
    plans = _plans(timezone.localdate())
    existing = set(
        Event.objects.filter(uid__in=[_uid(key) for key, _, _ in plans]).values_list(
            "uid", flat=True
        )
    )
    creator = User.objects.filter(email="organiser@example.org").first()
    now = timezone.now()
    linked = _link_unlinked(plans, now)
    todo = [(key, event, names) for key, event, names in plans if _uid(key) not in existing]
    for key, event, _ in todo:
        event.uid = _uid(key)
        event.organiser_slug = slugify(event.organiser_name)
        event.published = True
        event.created_by = creator
        event.created_at = event.updated_at = now
    Event.objects.bulk_create([event for _, event, _ in todo])
    saved = {e.uid: e for e in Event.objects.filter(uid__in=[_uid(key) for key, _, _ in todo])}
    Event.speakers.through.objects.bulk_create(
        Event.speakers.through(event_id=saved[_uid(key)].pk, speaker_id=speakers[name].pk)
        for key, _, names in todo
        for name in names
    )
    if todo or new_speakers or linked:
        audit_record(
            actor_id=None,
            action="demo.create",
            object_type="event",
            summary=f"{len(todo)} demo events, {new_speakers} demo speakers, "
            f"{linked} linked to organisations",
        )
    return (
        f"events: {len(todo)} demo events, {new_speakers} demo speakers created; "
        f"{linked} earlier demo events linked to organisations"
    )
