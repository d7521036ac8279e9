"""The roll ``ballot_open`` freezes in SQL (``selectors.electorate_roll_rows``, one
``INSERT ... SELECT``) is the roll of the rules in docs/ballots.md, for every kind of electorate:
checked against a plain reference computation written here, one Python loop over every row,
and against ``selectors.electorate_roll``, the Python roll it replaced."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from grassroots.web.alliance import services as alliance_services
from grassroots.web.alliance.models import (
    AffiliationStatus,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    Representative,
)
from grassroots.web.ballots import selectors, services
from grassroots.web.ballots.models import Ballot, Credential, Delivery, Electorate, Method
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Membership, Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db

OPTIONS = [("Yes", ""), ("No", "")]


def reference_roll(ballot: Ballot) -> dict[int, int]:
    """Who may vote and with what weight, by user id, computed the slow and obvious way."""
    today = timezone.localdate()

    def active(supporter: Supporter | None) -> bool:
        return supporter is not None and supporter.user.is_active

    def serving(rep: Representative) -> bool:
        return (
            rep.started_on <= today
            and (rep.ended_on is None or rep.ended_on > today)
            and rep.organisation.status == AffiliationStatus.AFFILIATED
            and active(rep.supporter)
        )

    if ballot.electorate in {Electorate.SUPPORTERS, Electorate.MEMBERS}:
        return {
            s.user_id: 1
            for s in Supporter.objects.all()
            if active(s)
            and s.email_verified_at is not None
            and (ballot.electorate == Electorate.SUPPORTERS or s.membership == Membership.MEMBER)
        }
    if ballot.electorate == Electorate.COMMITTEE:
        return {r.supporter.user_id: 1 for r in Representative.objects.all() if serving(r)}
    shares = {share.organisation_id: share.weight for share in ballot.organisations.all()}
    confirmed = [
        m
        for m in OrganisationMembership.objects.all()
        if m.status == MembershipStatus.CONFIRMED
        and m.organisation.status == AffiliationStatus.AFFILIATED
        and m.organisation_id in shares
        and active(m.supporter)
    ]
    members: dict[int, set[int]] = {organisation: set() for organisation in shares}
    if confirmed:
        chosen = {m.supporter_id: m.organisation_id for m in confirmed if m.votes_with}
        for m in confirmed:
            if chosen.get(m.supporter_id, m.organisation_id) == m.organisation_id:
                members[m.organisation_id].add(m.supporter_id)
    else:
        for rep in Representative.objects.all():
            if serving(rep) and rep.organisation_id in shares:
                assert rep.supporter is not None
                members[rep.organisation_id].add(rep.supporter.user_id)
    lcm = math.lcm(*(len(people) for people in members.values()))
    return {
        person: shares[organisation] * lcm // len(people)
        for organisation, people in members.items()
        for person in people
    }


def _sql_roll(ballot: Ballot) -> dict[int, int]:
    rows = list(
        selectors.electorate_roll_rows(ballot=ballot).values_list("roll_person", "roll_weight")
    )
    assert len(rows) == len({person for person, _ in rows}), "someone is on the roll twice"
    return dict(rows)


def _frozen(ballot: Ballot) -> dict[int, int]:
    """Open the ballot and read back its roll; every entry has one queued credential."""
    voters = services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")
    roll = dict(ballot.roll.values_list("person_id", "weight"))
    assert voters == len(roll)
    credentials = Credential.objects.filter(ballot=ballot)
    assert sorted(credentials.values_list("roll_entry_id", flat=True)) == sorted(
        ballot.roll.values_list("pk", flat=True)
    )
    assert set(credentials.values_list("delivery", "token_hash", "used", "links_sent")) == {
        (Delivery.QUEUED, None, False, 0)
    }
    return roll


def _assert_same_rolls(ballot: Ballot) -> dict[int, int]:
    expected = reference_roll(ballot)
    old = {user.pk: weight for user, weight in selectors.electorate_roll(ballot=ballot)}
    assert old == expected
    assert _sql_roll(ballot) == expected
    assert _frozen(ballot) == expected
    return expected


def _people(clp: Constituency) -> dict[str, Supporter]:
    """Supporters of every kind the electorates tell apart."""
    people = {
        "member": supporter_create(clp=clp),
        "supporter": supporter_create(clp=clp),
        "unverified member": supporter_create(clp=clp, verified=False),
        "closed member": supporter_create(clp=clp),
    }
    for name, supporter in people.items():
        supporter.membership = Membership.NOT_MEMBER if name == "supporter" else Membership.MEMBER
        supporter.save()
    User.objects.filter(pk=people["closed member"].user_id).update(is_active=False)
    return people


def _representatives(clp: Constituency) -> tuple[Organisation, Organisation, dict[str, Any]]:
    """Two affiliates' committees, with everyone a roll of representatives leaves out."""
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    gone = organisation_create(name="Gone", status=AffiliationStatus.DISAFFILIATED)
    both = supporter_create(clp=clp)  # represents Unite and Momentum
    reps = {
        "unite 1": representative_create(organisation=unite, supporter=supporter_create(clp=clp)),
        "unite 2": representative_create(organisation=unite, supporter=supporter_create(clp=clp)),
        "momentum": representative_create(
            organisation=momentum, supporter=supporter_create(clp=clp)
        ),
        "both at unite": representative_create(organisation=unite, supporter=both),
        "both at momentum": representative_create(organisation=momentum, supporter=both),
        "no account": representative_create(organisation=unite),
        "closed": representative_create(organisation=momentum, supporter=supporter_create(clp=clp)),
        "ended": representative_create(organisation=unite, supporter=supporter_create(clp=clp)),
        "not yet": representative_create(organisation=unite, supporter=supporter_create(clp=clp)),
        "disaffiliated": representative_create(
            organisation=gone, supporter=supporter_create(clp=clp)
        ),
    }
    today = timezone.localdate()
    Representative.objects.filter(pk=reps["ended"].pk).update(ended_on=today)
    Representative.objects.filter(pk=reps["not yet"].pk).update(
        started_on=today + timedelta(days=1)
    )
    User.objects.filter(pk=reps["closed"].supporter.user_id).update(is_active=False)
    return unite, momentum, reps


@pytest.mark.parametrize("electorate", [Electorate.SUPPORTERS, Electorate.MEMBERS])
def test_sql_roll_of_supporters_and_members_is_the_reference_roll(
    clp: Constituency, electorate: str
) -> None:
    people = _people(clp)
    role_holder_create(Role.ORGANISER)  # an account with no supporter record
    ballot = ballot_create(options=OPTIONS, method=Method.YES_NO, electorate=electorate)

    roll = _assert_same_rolls(ballot)

    expected = {"member"} if electorate == Electorate.MEMBERS else {"member", "supporter"}
    assert set(roll) == {people[name].user_id for name in expected}
    assert set(roll.values()) == {1}


def test_sql_roll_of_the_committee_is_the_reference_roll(clp: Constituency) -> None:
    _people(clp)
    _, _, reps = _representatives(clp)
    ballot = ballot_create(options=OPTIONS, method=Method.YES_NO, electorate=Electorate.COMMITTEE)

    roll = _assert_same_rolls(ballot)

    on_roll = ["unite 1", "unite 2", "momentum", "both at unite"]
    assert roll == {reps[name].supporter.user_id: 1 for name in on_roll}


def test_sql_roll_of_organisations_by_representatives_is_the_reference_roll(
    clp: Constituency,
) -> None:
    unite, momentum, reps = _representatives(clp)
    Representative.objects.filter(pk=reps["both at momentum"].pk).delete()
    ballot = ballot_create(
        options=OPTIONS,
        method=Method.YES_NO,
        electorate=Electorate.ORGANISATIONS,
        organisations=[(unite, 1), (momentum, 3)],
    )

    roll = _assert_same_rolls(ballot)

    # Unite: unite 1, unite 2 and the one representing both (3); Momentum: 1 (the closed
    # account is left out). L = 3: Unite's weigh 1 × 3 / 3 = 1, Momentum's 3 × 3 / 1 = 9.
    assert sorted(roll.values()) == [1, 1, 1, 9]


def _confirm(supporter: Supporter, organisation: Organisation) -> OrganisationMembership:
    membership = alliance_services.membership_claim(
        supporter=supporter, organisation=organisation, consent=True
    )
    return alliance_services.membership_confirm(
        actor=role_holder_create(Role.ORGANISER), membership=membership
    )


def test_sql_roll_of_organisations_by_membership_is_the_reference_roll(clp: Constituency) -> None:
    unite, momentum, _ = _representatives(clp)  # representatives count for nothing here
    outside = organisation_create(name="Outside")
    for _ in range(4):
        _confirm(supporter_create(clp=clp), unite)
    for _ in range(2):
        _confirm(supporter_create(clp=clp), momentum)
    ann, bob, cat = (supporter_create(clp=clp) for _ in range(3))
    for person in (ann, bob):
        _confirm(person, unite)
        _confirm(person, momentum)
    alliance_services.membership_vote_with(
        supporter=ann, membership=ann.organisation_memberships.get(organisation=unite)
    )
    alliance_services.membership_vote_with(
        supporter=bob, membership=bob.organisation_memberships.get(organisation=momentum)
    )
    # Cat is in Momentum and outside the ballot, and votes with the outside one: one
    # organisation of the ballot, so Momentum's.
    _confirm(cat, momentum)
    alliance_services.membership_vote_with(supporter=cat, membership=_confirm(cat, outside))
    # Left out: a pending member, an ended one and a closed account.
    alliance_services.membership_claim(
        supporter=supporter_create(clp=clp), organisation=unite, consent=True
    )
    alliance_services.membership_end(
        actor=role_holder_create(Role.ORGANISER),
        membership=alliance_services.membership_claim(
            supporter=supporter_create(clp=clp), organisation=unite, consent=True
        ),
    )
    closed = supporter_create(clp=clp)
    _confirm(closed, momentum)
    User.objects.filter(pk=closed.user_id).update(is_active=False)
    ballot = ballot_create(
        options=OPTIONS,
        method=Method.YES_NO,
        electorate=Electorate.ORGANISATIONS,
        organisations=[(unite, 2), (momentum, 5)],
    )

    roll = _assert_same_rolls(ballot)

    # Unite: 4 + Ann = 5; Momentum: 2 + Bob + Cat = 4. L = 20: Unite's weigh 2 × 20 / 5 = 8,
    # Momentum's 5 × 20 / 4 = 25; 40 : 100 = 2 : 5, the shares.
    assert roll[ann.user_id] == 8
    assert roll[bob.user_id] == roll[cat.user_id] == 25
    assert sorted(roll.values()) == [8] * 5 + [25] * 4
    assert closed.user_id not in roll


def test_sql_roll_weights_past_32_bits_are_exact(clp: Constituency) -> None:
    """Six organisations with member counts whose least common multiple passes 2**31."""
    counts = [61, 59, 53, 47, 43, 41]
    organisations = []
    for n, count in enumerate(counts):
        organisation = organisation_create(name=f"Org {n}")
        supporters = Supporter.objects.bulk_create(
            Supporter(
                user=User.objects.create_user(email=f"o{n}m{i}@example.org", name=f"M {i}"),
                constituency=clp,
            )
            for i in range(count)
        )
        Representative.objects.bulk_create(
            Representative(
                organisation=organisation,
                supporter=supporter,
                name=f"M {i}",
                started_on=timezone.localdate(),
                method="agm",
            )
            for i, supporter in enumerate(supporters)
        )
        organisations.append((organisation, n + 1))
    ballot = ballot_create(
        options=OPTIONS,
        method=Method.YES_NO,
        electorate=Electorate.ORGANISATIONS,
        organisations=organisations,
    )

    roll = _assert_same_rolls(ballot)

    assert max(roll.values()) > 2**31
    assert len(roll) == sum(counts)
