"""Demo alliance: a dozen national organisations, thirty local groups covering CLPs where demo
supporters live, representatives filling most committee seats (a few left vacant), and a few
supporters asking to set up a group. Every organisation and person here is invented.

Idempotent: organisations are keyed by name, and representatives and requests are made only
alongside the organisations created in the same run, so a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import (
    AffiliationStatus,
    ElectionMethod,
    GroupRequest,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Representative,
)
from grassroots.web.alliance.selectors import alliance_rules_get
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.demo import EMAIL_DOMAIN, FIRST_NAMES, SURNAMES
from grassroots.web.people.models import Supporter
from grassroots.web.people.roles import Role

SEED = 2025
LOCAL_GROUPS = 30
GROUP_REQUESTS = 6
# Confirmed members of three national organisations (no one in two of them, so a joint
# ballot of them can open): organisation name, members.
MEMBERS = [
    ("Fair Health Fellowship", 9),
    ("Renters' Voice Network", 6),
    ("Green Work Coalition", 4),
]

# name, status, website slug
NATIONAL = [
    ("Fair Health Fellowship", AffiliationStatus.AFFILIATED, "fairhealth"),
    ("Renters' Voice Network", AffiliationStatus.AFFILIATED, "rentersvoice"),
    ("Green Work Coalition", AffiliationStatus.AFFILIATED, "greenwork"),
    ("Members First Campaign", AffiliationStatus.AFFILIATED, "membersfirst"),
    ("Workers' Learning Circle", AffiliationStatus.AFFILIATED, "learningcircle"),
    ("New Generation Socialists", AffiliationStatus.AFFILIATED, "newgeneration"),
    ("Disability Equality Collective", AffiliationStatus.AFFILIATED, "dec"),
    ("Common Ownership Society", AffiliationStatus.AFFILIATED, "commonownership"),
    ("Public Transport Fellowship", AffiliationStatus.AFFILIATED, "ptf"),
    ("Women in Politics League", AffiliationStatus.AFFILIATED, "wipl"),
    ("Solidarity Across Borders", AffiliationStatus.PENDING, "acrossborders"),
    ("Towns and Valleys Forum", AffiliationStatus.DISAFFILIATED, "townsvalleys"),
]
METHODS = [ElectionMethod.AGM, ElectionMethod.COMMITTEE, ElectionMethod.BALLOT]
NOTES = {
    ElectionMethod.AGM: "Elected at the annual general meeting.",
    ElectionMethod.COMMITTEE: "Appointed by the executive committee.",
    ElectionMethod.BALLOT: "Elected by an online ballot of members.",
}


def _local_status(number: int) -> AffiliationStatus:
    if number % 10 == 9:
        return AffiliationStatus.PENDING
    if number == LOCAL_GROUPS - 2:
        return AffiliationStatus.DISAFFILIATED
    return AffiliationStatus.AFFILIATED


@transaction.atomic
def alliance_demo_create() -> str:
    """Create the demo organisations that do not exist yet, their representatives, and a few
    requests for local groups (bulk inserts)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    supporters_by_clp: dict[str, list[Supporter]] = {}
    for supporter in (
        Supporter.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}")
        .select_related("user")
        .order_by("pk")
    ):
        supporters_by_clp.setdefault(supporter.constituency_id, []).append(supporter)
    if not supporters_by_clp:
        return "alliance: no demo supporters; skipped"
    clps = {c.pk: c for c in Constituency.objects.filter(pk__in=supporters_by_clp)}
    by_region: dict[str, list[Constituency]] = {}
    for clp in sorted(clps.values(), key=lambda c: c.gss_code):
        by_region.setdefault(clp.region, []).append(clp)

    # Plan every organisation, then create those whose name is new.
    plans: list[tuple[Organisation, list[Constituency]]] = []
    for name, status, slug in NATIONAL:
        plans.append(
            (
                Organisation(
                    name=name,
                    slug=slugify(name),
                    kind=OrganisationKind.NATIONAL,
                    status=status,
                    website=f"https://{slug}.example.org",
                    contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    contact_email=f"secretary@{slug}.example.org",
                ),
                [],
            )
        )
    homes = rng.sample(sorted(clps), LOCAL_GROUPS)
    for number, gss in enumerate(homes):
        home = clps[gss]
        neighbours = [c for c in by_region[home.region] if c.pk not in homes]
        covered = [home, *rng.sample(neighbours, min(len(neighbours), rng.choice([0, 0, 1])))]
        slug = home.name.lower().replace(" ", "").replace(",", "")[:20]
        plans.append(
            (
                Organisation(
                    name=f"{home.name} Grassroots",
                    slug=slugify(f"{home.name} Grassroots"),
                    kind=OrganisationKind.LOCAL,
                    status=_local_status(number),
                    contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    contact_email=f"{slug}@groups.example.org",
                ),
                covered,
            )
        )
    for organisation, _ in plans:
        started = today - timedelta(days=rng.randint(60, 700))
        if organisation.status != AffiliationStatus.PENDING:
            organisation.affiliated_on = started
        if organisation.status == AffiliationStatus.DISAFFILIATED:
            organisation.disaffiliated_on = started + timedelta(days=rng.randint(30, 50))

    existing = set(Organisation.objects.values_list("name", flat=True))
    todo = [(org, covered) for org, covered in plans if org.name not in existing]
    Organisation.objects.bulk_create([org for org, _ in todo])
    ids = dict(
        Organisation.objects.filter(name__in=[o.name for o, _ in todo]).values_list("name", "pk")
    )
    for organisation, _ in todo:
        organisation.pk = ids[organisation.name]
    through = Organisation.constituencies.through
    through.objects.bulk_create(
        through(organisation_id=org.pk, constituency_id=clp.pk)
        for org, covered in todo
        for clp in covered
    )

    # Representatives: most seats filled, some by supporters of the group's CLP (who then hold
    # the affiliate representative role), a few left vacant.
    rules = alliance_rules_get()
    representatives: list[Representative] = []
    for organisation, covered in todo:
        if organisation.status != AffiliationStatus.AFFILIATED:
            continue
        seats = rules.seats_for(organisation.kind)
        filled = seats - (1 if rng.random() < 0.2 else 0)
        local_supporters = list(supporters_by_clp.get(covered[0].pk, [])) if covered else []
        for _ in range(filled):
            method = rng.choice(METHODS)
            member = local_supporters.pop(0) if local_supporters and rng.random() < 0.5 else None
            name = (
                member.user.name if member else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            )
            representatives.append(
                Representative(
                    organisation=organisation,
                    supporter=member,
                    name=name,
                    started_on=today - timedelta(days=rng.randint(1, 300)),
                    method=method,
                    method_note=NOTES[method],
                    # A supporter is named on /committee/ only once they agreed: in the
                    # demo, they all did.
                    named_at=timezone.now() if member else None,
                )
            )
    Representative.objects.bulk_create(representatives)
    role = Group.objects.get_or_create(name=Role.AFFILIATE_REPRESENTATIVE.value)[0]
    role.user_set.add(*[r.supporter.user for r in representatives if r.supporter])

    # A few supporters ask for a group in CLPs that have none.
    requests: list[GroupRequest] = []
    if todo:
        covered_clps = {clp.pk for _, covered in plans for clp in covered}
        without = [gss for gss in sorted(supporters_by_clp) if gss not in covered_clps]
        requests = [
            GroupRequest(
                supporter=supporter,
                constituency_id=gss,
                note="I would like to help start a group here.",
            )
            for gss in rng.sample(without, min(GROUP_REQUESTS, len(without)))
            for supporter in supporters_by_clp[gss][:2]
        ]
        GroupRequest.objects.bulk_create(requests)

    memberships = _memberships_create(now=timezone.now())

    if todo:
        audit_record(
            actor_id=None,
            action="demo.create",
            object_type="organisation",
            summary=(
                f"{len(todo)} demo organisations, {len(representatives)} representatives, "
                f"{len(requests)} group requests"
            ),
        )
    return (
        f"alliance: {len(todo)} demo organisations created, "
        f"{len(representatives)} representatives, {len(requests)} group requests, "
        f"{memberships} confirmed memberships"
    )


def _memberships_create(*, now: datetime) -> int:
    """Confirmed members for the organisations in ``MEMBERS`` that have no memberships yet,
    chosen among verified demo supporters who are members of none of them; audit."""
    rng = random.Random(SEED + 1)
    organisations = {
        org.name: org
        for org in Organisation.objects.filter(
            name__in=[name for name, _ in MEMBERS], status=AffiliationStatus.AFFILIATED
        )
    }
    busy = set(
        OrganisationMembership.objects.filter(organisation__in=organisations.values()).values_list(
            "organisation__name", "supporter_id"
        )
    )
    taken = {supporter_id for _, supporter_id in busy}
    pool = [
        pk
        for pk in Supporter.objects.filter(
            user__email__endswith=f"@{EMAIL_DOMAIN}", email_verified_at__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk not in taken
    ]
    rng.shuffle(pool)
    created: list[OrganisationMembership] = []
    for name, count in MEMBERS:
        organisation = organisations.get(name)
        if organisation is None or any(org == name for org, _ in busy):
            continue
        for supporter_id in [pool.pop() for _ in range(min(count, len(pool)))]:
            claimed = now - timedelta(days=rng.randint(10, 90))
            created.append(
                OrganisationMembership(
                    organisation=organisation,
                    supporter_id=supporter_id,
                    status=MembershipStatus.CONFIRMED,
                    consent_wording=MEMBERSHIP_WORDING,
                    claimed_at=claimed,
                    confirmed_at=claimed + timedelta(days=rng.randint(1, 7)),
                )
            )
    OrganisationMembership.objects.bulk_create(created)
    if created:
        audit_record(
            actor_id=None,
            action="demo.create",
            object_type="membership",
            summary=f"{len(created)} demo confirmed memberships",
        )
    return len(created)
