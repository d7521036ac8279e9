"""Ballots of weighted organisations: each organisation's members vote, and the shares fix how
much each organisation weighs in the combined result."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from grassroots.cli.main import cli
from grassroots.web.alliance import services as alliance_services
from grassroots.web.ballots import services
from grassroots.web.ballots.models import (
    Ballot,
    BallotElectorateOrganisation,
    CastBallot,
    Electorate,
    Method,
    VoterRollEntry,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db

OPTIONS = [("Back the slate", ""), ("Own candidates", ""), ("Join the others", "")]


def _members(
    organisation: Any, count: int, make_supporter: Callable[..., Supporter], clp: Any
) -> None:
    for _ in range(count):
        representative_create(organisation=organisation, supporter=make_supporter(clp=clp))


def _partners(make_supporter: Callable[..., Supporter], clp: Constituency) -> tuple[Any, Any]:
    """Unite (3 members, share 1) and Momentum (2 members, share 2)."""
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    _members(unite, 3, make_supporter, clp)
    _members(momentum, 2, make_supporter, clp)
    return unite, momentum


def _vote_and_publish(ballot: Ballot) -> dict[str, Any]:
    """Unite's three members choose the slate, Momentum's two their own candidates; the roll
    is in user order, so Unite's members come first."""
    tokens = ballot_open_with_tokens(ballot)
    choices = ["Back the slate"] * 3 + ["Own candidates"] * 2
    for token, choice in zip(tokens, choices, strict=True):
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, choice))
    services.ballot_close(actor=None, ballot=ballot)
    return services.ballot_publish(actor=None, ballot=ballot)


def _weighted(unite: Any, momentum: Any) -> Ballot:
    return ballot_create(
        options=OPTIONS,
        method=Method.IRV,
        seats=1,
        electorate=Electorate.ORGANISATIONS,
        organisations=[(unite, 1), (momentum, 2)],
    )


def test_weighted_roll_gives_each_organisation_its_share_exactly(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite, momentum = _partners(make_supporter, clp)
    ballot = _weighted(unite, momentum)

    ballot_open_with_tokens(ballot)

    # L = lcm(3, 2) = 6: Unite's members weigh 1 × 6 / 3 = 2, Momentum's 2 × 6 / 2 = 6, so
    # Unite weighs 6 in all and Momentum 12: one third and two thirds.
    weights = list(
        VoterRollEntry.objects.filter(ballot=ballot)
        .order_by("person_id")
        .values_list("weight", flat=True)
    )
    assert weights == [2, 2, 2, 6, 6]


def test_weighted_count_changes_the_winner(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite, momentum = _partners(make_supporter, clp)
    unweighted = ballot_create(
        options=OPTIONS, method=Method.IRV, seats=1, electorate=Electorate.COMMITTEE
    )
    weighted = _weighted(unite, momentum)

    plain = _vote_and_publish(unweighted)
    shared = _vote_and_publish(weighted)

    # By hand: one vote each, the slate leads 3 to 2; weighted, 3 × 2 = 6 against 2 × 6 = 12.
    assert plain["elected"] == ["Back the slate"]
    assert shared["elected"] == ["Own candidates"]
    assert sorted(CastBallot.objects.filter(ballot=weighted).values_list("weight", flat=True)) == [
        2,
        2,
        2,
        6,
        6,
    ]


def test_weighted_published_blt_recounts_to_the_stored_result(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency, tmp_path: Path
) -> None:
    ballot = _weighted(*_partners(make_supporter, clp))
    _vote_and_publish(ballot)
    page = client.get(f"/ballots/{ballot.slug}/result/").content.decode()
    (tmp_path / f"{ballot.slug}.blt").write_bytes(
        client.get(f"/ballots/{ballot.slug}/ballots.blt").content
    )
    command = shlex.split(page.split('<code id="recount">')[1].split("</code>")[0])
    args = [str(tmp_path / a) if a.startswith(ballot.slug) else a for a in command[2:]]

    recount = CliRunner().invoke(cli, ["count", *args, "--format", "json"])

    assert recount.exit_code == 0, recount.output
    ballot.refresh_from_db()
    assert json.loads(recount.output) == ballot.result
    assert ballot.result["elected"] == ["Own candidates"]


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        pytest.param(lambda u, m: [(u, 1)], "at least two", id="one-organisation"),
        pytest.param(lambda u, m: [(u, 1), (m, 0)], "whole number", id="zero-weight"),
        pytest.param(lambda u, m: [(u, 1), (u, 2)], "once", id="twice"),
    ],
)
def test_weighted_ballot_create_refuses_bad_shares_and_stores_nothing(
    shares: Callable[[Any, Any], list[tuple[Any, int]]], message: str
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")

    with pytest.raises(DomainError, match=message) as err:
        ballot_create(electorate=Electorate.ORGANISATIONS, organisations=shares(unite, momentum))

    assert err.value.field == "organisations"
    assert Ballot.objects.count() == 0


def test_ballot_create_refuses_organisations_for_another_electorate() -> None:
    unite = organisation_create(name="Unite")

    with pytest.raises(DomainError, match="Only a ballot of organisations"):
        ballot_create(electorate=Electorate.SUPPORTERS, organisations=[(unite, 1)])

    assert Ballot.objects.count() == 0


def test_weighted_open_refuses_a_member_of_two_organisations(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite, momentum = _partners(make_supporter, clp)
    representative_create(organisation=momentum, supporter=unite.representatives.first().supporter)
    ballot = _weighted(unite, momentum)

    with pytest.raises(DomainError) as err:
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert err.value.message == (
        "1 person is a member of both Momentum and Unite. Each voter votes for one "
        "organisation: one of those memberships must end (the organisation's representatives "
        "can end it) before the ballot opens."
    )
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def test_weighted_open_counts_the_people_each_pair_of_organisations_shares(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    both = _confirmed_members(unite, 3, clp)[:2]
    _confirmed_members(momentum, 1, clp)
    organiser = role_holder_create(Role.ORGANISER)
    for supporter in both:
        membership = alliance_services.membership_claim(
            supporter=supporter, organisation=momentum, consent=True
        )
        alliance_services.membership_confirm(actor=organiser, membership=membership)
    ballot = _weighted(unite, momentum)

    with pytest.raises(
        DomainError,
        match=r"^2 people are members of both Momentum and Unite and have not chosen which one "
        r"they vote with\.",
    ):
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def test_weighted_open_refuses_an_organisation_without_members(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite, _ = _partners(make_supporter, clp)
    empty = organisation_create(name="Empty")
    ballot = _weighted(unite, empty)

    with pytest.raises(DomainError, match="Empty has no members"):
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def test_weighted_ballot_page_names_each_organisation_and_weight(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot = _weighted(*_partners(make_supporter, clp))
    ballot_open_with_tokens(ballot)

    page = client.get(f"/ballots/{ballot.slug}/").content.decode()

    assert "Momentum (weight 2), Unite (weight 1)" in page


def test_weighted_ballot_admin_lists_organisations_and_weights_read_only(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot = _weighted(*_partners(make_supporter, clp))
    plain = ballot_create()
    client.force_login(User.objects.create_superuser(email="root@example.org", name="Root"))
    url = f"/admin/ballots/ballot/{ballot.pk}/change/"

    response = client.get(url)
    other = client.get(f"/admin/ballots/ballot/{plain.pk}/change/")
    change = client.post(url, {"organisations-0-weight": "5"})
    delete = client.post(f"/admin/ballots/ballot/{ballot.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    page = response.content.decode()
    cells = re.findall(r'<td class="field-(organisation|weight)">\s*<p>(?:<a [^>]*>)?([^<]*)', page)
    assert cells == [
        ("organisation", "Momentum"),
        ("weight", "2"),
        ("organisation", "Unite"),
        ("weight", "1"),
    ]
    [shares] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.model is BallotElectorateOrganisation
    ]
    assert (
        shares.has_add_permission,
        shares.has_change_permission,
        shares.has_delete_permission,
    ) == (False, False, False)
    assert (
        response.context["has_add_permission"],
        response.context["has_change_permission"],
        response.context["has_delete_permission"],
    ) == (False, False, False)
    assert 'name="_save"' not in page
    # The admin's script offers "Add another" only below MAX_NUM_FORMS, which is 0 here.
    assert 'name="organisations-MAX_NUM_FORMS" value="0"' in page
    assert "organisations in the electorate" not in other.content.decode()
    assert (change.status_code, delete.status_code) == (403, 403)
    assert client.get("/admin/ballots/ballot/add/").status_code == 403
    assert sorted(ballot.organisations.values_list("weight", flat=True)) == [1, 2]
    assert Ballot.objects.filter(pk=ballot.pk).exists()


def _confirmed_members(organisation: Any, count: int, clp: Constituency) -> list[Supporter]:
    """``count`` supporters whose membership of ``organisation`` is confirmed, as the
    alliance's services leave them."""
    organiser = role_holder_create(Role.ORGANISER)
    members = []
    for _ in range(count):
        supporter = supporter_create(clp=clp)
        membership = alliance_services.membership_claim(
            supporter=supporter, organisation=organisation, consent=True
        )
        alliance_services.membership_confirm(actor=organiser, membership=membership)
        members.append(supporter)
    return members


def test_weighted_roll_from_confirmed_members_with_hand_computed_weights(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    unite_members = _confirmed_members(unite, 4, clp)
    momentum_members = _confirmed_members(momentum, 6, clp)
    # Not on the roll: a representative who is not a confirmed member, a member still
    # waiting, and a member whose membership was ended.
    representative_create(organisation=unite, supporter=make_supporter(clp=clp))
    alliance_services.membership_claim(
        supporter=make_supporter(clp=clp), organisation=unite, consent=True
    )
    alliance_services.membership_end(
        actor=role_holder_create(Role.ORGANISER),
        membership=alliance_services.membership_claim(
            supporter=make_supporter(clp=clp), organisation=momentum, consent=True
        ),
    )
    ballot = ballot_create(
        options=OPTIONS,
        method=Method.IRV,
        seats=1,
        electorate=Electorate.ORGANISATIONS,
        organisations=[(unite, 3), (momentum, 1)],
    )

    ballot_open_with_tokens(ballot)

    # By hand: L = lcm(4, 6) = 12. Unite (share 3): 3 × 12 / 4 = 9 each, 36 in all; Momentum
    # (share 1): 1 × 12 / 6 = 2 each, 12 in all. 36 : 12 = 3 : 1, the shares.
    weights = dict(VoterRollEntry.objects.filter(ballot=ballot).values_list("person_id", "weight"))
    assert weights == {s.pk: 9 for s in unite_members} | {s.pk: 2 for s in momentum_members}


def test_weighted_open_refuses_an_organisation_without_confirmed_members_when_others_have(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    _confirmed_members(unite, 2, clp)
    _members(momentum, 2, make_supporter, clp)  # representatives only
    ballot = _weighted(unite, momentum)

    with pytest.raises(DomainError, match="Momentum has no confirmed members") as err:
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert err.value.field == "electorate"
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def _also_confirmed(supporter: Supporter, organisation: Any) -> Any:
    """Claim and confirm ``supporter``'s membership of one more organisation."""
    membership = alliance_services.membership_claim(
        supporter=supporter, organisation=organisation, consent=True
    )
    return alliance_services.membership_confirm(
        actor=role_holder_create(Role.ORGANISER), membership=membership
    )


def test_weighted_roll_counts_a_member_of_both_only_with_the_one_they_chose(
    clp: Constituency,
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    unite_only = _confirmed_members(unite, 4, clp)
    momentum_only = _confirmed_members(momentum, 2, clp)
    ann, bob = _confirmed_members(unite, 2, clp)
    ann_momentum = _also_confirmed(ann, momentum)
    bob_momentum = _also_confirmed(bob, momentum)
    ann_unite = ann.organisation_memberships.get(organisation=unite)
    alliance_services.membership_vote_with(supporter=ann, membership=ann_unite)
    alliance_services.membership_vote_with(supporter=bob, membership=bob_momentum)
    ballot = _weighted(unite, momentum)  # Unite share 1, Momentum share 2

    ballot_open_with_tokens(ballot)

    # By hand: Ann votes with Unite, Bob with Momentum, so Unite counts 4 + Ann = 5 members
    # and Momentum 2 + Bob = 3 (not 6 and 4). L = lcm(5, 3) = 15. Unite (share 1):
    # 1 × 15 / 5 = 3 each, 15 in all; Momentum (share 2): 2 × 15 / 3 = 10 each, 30 in all.
    # 15 : 30 = 1 : 2, the shares; and each of Ann and Bob is on the roll once.
    weights = dict(VoterRollEntry.objects.filter(ballot=ballot).values_list("person_id", "weight"))
    assert weights == (
        {s.pk: 3 for s in [*unite_only, ann]} | {s.pk: 10 for s in [*momentum_only, bob]}
    )
    assert ann_momentum.votes_with is False


@pytest.mark.parametrize(
    "choice",
    [
        pytest.param("none", id="not-chosen"),
        pytest.param("outside", id="chose-an-organisation-outside-the-ballot"),
    ],
)
def test_weighted_open_refuses_a_member_of_both_who_has_not_chosen_one_of_them(
    clp: Constituency, choice: str
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    outside = organisation_create(name="Outside")
    _confirmed_members(unite, 2, clp)
    _confirmed_members(momentum, 2, clp)
    ann, bob = _confirmed_members(unite, 2, clp)
    _also_confirmed(ann, momentum)
    bob_momentum = _also_confirmed(bob, momentum)
    alliance_services.membership_vote_with(supporter=bob, membership=bob_momentum)
    if choice == "outside":
        alliance_services.membership_vote_with(
            supporter=ann, membership=_also_confirmed(ann, outside)
        )
    ballot = _weighted(unite, momentum)

    with pytest.raises(DomainError) as err:
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    # Bob chose, so only Ann is counted against the pair.
    assert err.value.message == (
        "1 person is a member of both Momentum and Unite and has not chosen which one they "
        "vote with. Each voter votes with one organisation: each of them chooses it on their "
        "memberships page (/me/organisations/) before the ballot opens. The returning officer "
        "can have the site ask them, from the ballot's page."
    )
    assert err.value.field == "electorate"
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def test_weighted_open_refuses_an_organisation_whose_members_all_chose_another(
    clp: Constituency,
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    _confirmed_members(unite, 2, clp)
    [ann] = _confirmed_members(momentum, 1, clp)
    alliance_services.membership_vote_with(supporter=ann, membership=_also_confirmed(ann, unite))
    ballot = _weighted(unite, momentum)

    with pytest.raises(DomainError, match="Every confirmed member of Momentum chose to vote"):
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 0


def test_returning_officer_asks_the_members_still_to_choose(
    client: Client, clp: Constituency, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django.core import mail

    from grassroots.web.audit.models import AuditEntry

    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    _confirmed_members(unite, 2, clp)
    _confirmed_members(momentum, 2, clp)
    ann, bob = _confirmed_members(unite, 2, clp)
    _also_confirmed(ann, momentum)
    bob_momentum = _also_confirmed(bob, momentum)
    alliance_services.membership_vote_with(supporter=bob, membership=bob_momentum)
    ballot = _weighted(unite, momentum)
    officer = User.objects.create_superuser(email="ro@example.org", name="Returning Officer")
    client.force_login(officer)
    manage = f"/ballots/{ballot.slug}/manage/"

    page = client.get(manage).content.decode()
    assert "1 member is in two or more of the ballot's organisations" in page
    assert ann.user.name not in page  # the returning officer sees how many, never who

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{manage}remind/", follow=True)

    assert "1 member(s) were asked to choose an organisation." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[ann.user.email]]  # Bob chose: not asked
    assert "http://testserver/me/organisations/" in mail.outbox[0].body
    assert "Momentum, Unite" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="ballot.choice_reminders")
    assert (entry.actor_id, entry.summary) == (
        officer.pk,
        "1 members reminded to choose an organisation",
    )

    # Once Ann chooses, nobody is left to ask, and the ballot can open.
    alliance_services.membership_vote_with(
        supporter=ann, membership=ann.organisation_memberships.get(organisation=unite)
    )
    assert 'id="choice-reminders"' not in client.get(manage).content.decode()
    with pytest.raises(DomainError, match="Every member of several of the organisations"):
        services.ballot_choice_reminders_send(actor=officer, ballot=ballot, site_url="http://x")
    assert ballot_open_with_tokens(ballot)


def test_reminders_only_for_a_draft_ballot_of_organisations(clp: Constituency) -> None:
    ballot = ballot_create(options=OPTIONS, method=Method.IRV, seats=1)
    with pytest.raises(DomainError, match="Reminders are for a draft ballot of several"):
        services.ballot_choice_reminders_send(actor=None, ballot=ballot, site_url="http://x")
