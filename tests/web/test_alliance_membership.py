"""Supporters say which affiliates they belong to, with consent; the organisation's
representatives and the alliance's organisers confirm or end it; the supporter withdraws it,
exports it and erasing them deletes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.html import escape

from grassroots.web.alliance import services
from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import MembershipStatus, Organisation, OrganisationMembership
from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter
from grassroots.web.people.roles import Role
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


def _claimed(supporter: Supporter, organisation: Any) -> OrganisationMembership:
    return services.membership_claim(supporter=supporter, organisation=organisation, consent=True)


def test_membership_claim_from_me_page_records_wording_and_time(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    supporter = supporter_create(clp=clp)
    client.force_login(supporter.user)

    response = client.post("/me/organisations/", {"organisation": unite.pk, "consent": "on"})

    assert response.status_code == 302
    membership = OrganisationMembership.objects.get()
    assert (membership.organisation, membership.supporter) == (unite, supporter)
    assert membership.status == MembershipStatus.PENDING
    assert membership.consent_wording == MEMBERSHIP_WORDING
    assert membership.claimed_at is not None
    page = client.get("/me/organisations/").content.decode()
    assert "Waiting for confirmation" in page
    assert escape(MEMBERSHIP_WORDING) in page


def test_membership_claim_without_consent_stores_nothing(client: Client, clp: Constituency) -> None:
    unite = organisation_create(name="Unite")
    client.force_login(supporter_create(clp=clp).user)

    response = client.post("/me/organisations/", {"organisation": unite.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["consent"] == [
        "Tick the box to agree; without it nothing is recorded."
    ]
    assert OrganisationMembership.objects.count() == 0
    assert not AuditEntry.objects.filter(action="membership.claim").exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param("pending", "affiliated", id="pending-affiliate"),
        pytest.param("disaffiliated", "affiliated", id="disaffiliated"),
    ],
)
def test_membership_claim_refuses_an_organisation_not_affiliated(
    clp: Constituency, status: str, message: str
) -> None:
    organisation = organisation_create(status=status)

    with pytest.raises(DomainError) as err:
        _claimed(supporter_create(clp=clp), organisation)

    assert err.value.field == "organisation"
    assert message in err.value.message
    assert OrganisationMembership.objects.count() == 0


def test_membership_claim_twice_is_refused_but_after_an_end_is_allowed(
    clp: Constituency,
) -> None:
    unite = organisation_create(name="Unite")
    supporter = supporter_create(clp=clp)
    first = _claimed(supporter, unite)

    with pytest.raises(
        DomainError, match="You have already said you are a member of this organisation"
    ):
        _claimed(supporter, unite)
    services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=first)
    second = _claimed(supporter, unite)

    assert second.status == MembershipStatus.PENDING
    assert OrganisationMembership.objects.count() == 2


def test_membership_withdraw_deletes_it_and_audits_without_the_organisation(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    supporter = supporter_create(clp=clp)
    membership = _claimed(supporter, unite)
    services.membership_confirm(actor=role_holder_create(Role.ORGANISER), membership=membership)
    client.force_login(supporter.user)

    response = client.post(f"/me/organisations/{membership.pk}/withdraw/")

    assert response.status_code == 302
    assert OrganisationMembership.objects.count() == 0
    entries = AuditEntry.objects.filter(object_type="membership").order_by("id")
    assert [e.action for e in entries] == [
        "membership.claim",
        "membership.confirm",
        "membership.withdraw",
    ]
    assert all(str(unite.pk) not in e.summary and "Unite" not in e.summary for e in entries)


def test_membership_confirm_by_representative_from_the_members_page(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    rep = supporter_create(clp=clp)
    representative_create(organisation=unite, supporter=rep)
    member = supporter_create(clp=clp, name="Nia Evans")
    membership = _claimed(member, unite)
    client.force_login(rep.user)

    page = client.get(f"/organise/organisations/{unite.pk}/members/").content.decode()
    response = client.post(f"/organise/organisations/{unite.pk}/members/{membership.pk}/confirm/")

    assert "Nia Evans" in page
    assert member.user.email not in page
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CONFIRMED
    assert membership.confirmed_by == rep.user
    assert membership.confirmed_at is not None
    entry = AuditEntry.objects.get(action="membership.confirm")
    assert (entry.actor_id, entry.object_id) == (rep.pk, str(membership.pk))


def test_membership_confirm_own_is_refused(clp: Constituency) -> None:
    unite = organisation_create(name="Unite")
    rep = supporter_create(clp=clp)
    representative_create(organisation=unite, supporter=rep)
    membership = _claimed(rep, unite)

    with pytest.raises(DomainError) as err:
        services.membership_confirm(actor=rep.user, membership=membership)

    assert "Someone else" in err.value.message
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


def test_membership_end_by_organiser_hides_it_from_the_members_page(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    organiser = role_holder_create(Role.ORGANISER)
    membership = _claimed(supporter_create(clp=clp, name="Tom Ended"), unite)
    client.force_login(organiser)

    response = client.post(f"/organise/organisations/{unite.pk}/members/{membership.pk}/end/")
    again = client.post(f"/organise/organisations/{unite.pk}/members/{membership.pk}/end/")

    assert response.status_code == 302
    assert again.status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    assert membership.ended_by == organiser
    assert AuditEntry.objects.get(action="membership.end").summary == "was pending"
    page = client.get(f"/organise/organisations/{unite.pk}/members/").content.decode()
    assert '<tr id="membership-' not in page


def test_members_page_shows_only_that_organisations_members(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    other = organisation_create(name="Other")
    _claimed(supporter_create(clp=clp, name="Ann Unite"), unite)
    _claimed(supporter_create(clp=clp, name="Bob Other"), other)
    client.force_login(role_holder_create(Role.ORGANISER))

    page = client.get(f"/organise/organisations/{unite.pk}/members/").content.decode()

    assert "Ann Unite" in page
    assert "Bob Other" not in page


@pytest.mark.parametrize("item_count", [1, 3])
def test_members_page_queries_are_fixed(
    client: Client, django_assert_num_queries, clp: Constituency, item_count: int
) -> None:
    unite = organisation_create(name="Unite")
    for _ in range(item_count):
        _claimed(supporter_create(clp=clp), unite)
    client.force_login(role_holder_create(Role.ORGANISER))

    # session, user, organisation, roles (supporter, groups), members
    with django_assert_num_queries(6):
        response = client.get(f"/organise/organisations/{unite.pk}/members/")

    assert response.content.decode().count('<tr id="membership-') == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_my_memberships_page_queries_are_fixed(
    client: Client, django_assert_num_queries, clp: Constituency, item_count: int
) -> None:
    supporter = supporter_create(clp=clp)
    for _ in range(item_count):
        _claimed(supporter, organisation_create())
    organisation_create()
    client.force_login(supporter.user)

    # session, user, supporter, memberships, the menu's role check, organisations to choose
    with django_assert_num_queries(6):
        response = client.get("/me/organisations/")

    assert response.content.decode().count("Withdraw and delete") == item_count


def test_export_holds_memberships_and_erase_deletes_them(client: Client, clp: Constituency) -> None:
    unite = organisation_create(name="Unite")
    supporter = supporter_create(clp=clp)
    membership = _claimed(supporter, unite)
    services.membership_confirm(actor=role_holder_create(Role.ORGANISER), membership=membership)
    other = supporter_create(clp=clp)
    _claimed(other, unite)
    membership.refresh_from_db()
    assert membership.confirmed_at is not None
    confirmed_at = membership.confirmed_at.isoformat()
    client.force_login(supporter.user)

    data = json.loads(client.get("/me/export.json").content)
    client.post("/me/erase/", {"confirm": "on"})

    assert data["organisation_memberships"] == [
        {
            "organisation": "Unite",
            "status": "confirmed",
            "consent_wording": MEMBERSHIP_WORDING,
            "claimed_at": membership.claimed_at.isoformat(),
            "confirmed_at": confirmed_at,
            "ended_at": None,
            "votes_with": False,
        }
    ]
    assert data["group_requests"] == []
    assert list(OrganisationMembership.objects.values_list("supporter_id", flat=True)) == [other.pk]


def test_membership_of_another_organisation_is_404_through_ones_own(
    client: Client, clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    other = organisation_create(name="Other")
    rep = supporter_create(clp=clp)
    representative_create(organisation=other, supporter=rep)
    membership = _claimed(supporter_create(clp=clp), unite)
    client.force_login(rep.user)

    response = client.post(f"/organise/organisations/{other.pk}/members/{membership.pk}/confirm/")

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


# Which membership a member of several organisations votes with in joint ballots.


def _two_memberships(clp: Constituency) -> tuple[Supporter, OrganisationMembership, Any]:
    """A supporter confirmed in Unite and waiting in Momentum: (supporter, unite, momentum)."""
    supporter = supporter_create(clp=clp)
    unite = _claimed(supporter, _organisation("Unite"))
    services.membership_confirm(actor=role_holder_create(Role.ORGANISER), membership=unite)
    momentum = _claimed(supporter, _organisation("Momentum"))
    return supporter, unite, momentum


def _organisation(name: str) -> Organisation:
    return Organisation.objects.filter(name=name).first() or organisation_create(name=name)


def _votes_with(supporter: Supporter) -> list[int]:
    return list(
        OrganisationMembership.objects.filter(supporter=supporter, votes_with=True).values_list(
            "pk", flat=True
        )
    )


def test_membership_vote_with_chooses_changes_and_clears_with_an_audit_row_each(
    clp: Constituency,
) -> None:
    supporter, unite, momentum = _two_memberships(clp)

    services.membership_vote_with(supporter=supporter, membership=unite)
    first = _votes_with(supporter)
    services.membership_vote_with(supporter=supporter, membership=momentum)
    second = _votes_with(supporter)
    services.membership_vote_with(supporter=supporter, membership=None)

    assert (first, second, _votes_with(supporter)) == ([unite.pk], [momentum.pk], [])
    entries = AuditEntry.objects.filter(action="membership.vote_with").order_by("id")
    assert [(e.actor_id, e.object_type, e.object_id, e.summary) for e in entries] == [
        (supporter.pk, "membership", str(unite.pk), "chosen"),
        (supporter.pk, "membership", str(momentum.pk), f"instead of membership {unite.pk}"),
        (supporter.pk, "membership", str(momentum.pk), "cleared"),
    ]
    assert all("Unite" not in e.summary and "Momentum" not in e.summary for e in entries)


def test_membership_vote_with_the_same_choice_again_changes_and_audits_nothing(
    clp: Constituency,
) -> None:
    supporter, unite, _ = _two_memberships(clp)
    services.membership_vote_with(supporter=supporter, membership=unite)

    services.membership_vote_with(supporter=supporter, membership=unite)

    assert _votes_with(supporter) == [unite.pk]
    assert AuditEntry.objects.filter(action="membership.vote_with").count() == 1


def test_membership_vote_with_refuses_another_supporters_membership(clp: Constituency) -> None:
    supporter, _, _ = _two_memberships(clp)
    other, others_unite, _ = _two_memberships(clp)

    with pytest.raises(DomainError) as err:
        services.membership_vote_with(supporter=supporter, membership=others_unite)

    assert (err.value.field, err.value.message) == ("membership", "This is not your membership.")
    assert _votes_with(supporter) == _votes_with(other) == []
    assert not AuditEntry.objects.filter(action="membership.vote_with").exists()


def test_membership_vote_with_refuses_an_ended_membership_and_a_single_one(
    clp: Constituency,
) -> None:
    supporter, unite, momentum = _two_memberships(clp)
    services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=momentum)
    momentum.refresh_from_db()

    with pytest.raises(DomainError, match="This membership has ended"):
        services.membership_vote_with(supporter=supporter, membership=momentum)
    with pytest.raises(DomainError) as err:
        services.membership_vote_with(supporter=supporter, membership=unite)

    assert err.value.message == services.VOTES_WITH_FEW
    assert _votes_with(supporter) == []
    assert not AuditEntry.objects.filter(action="membership.vote_with").exists()


def test_membership_end_and_withdraw_clear_the_choice(client: Client, clp: Constituency) -> None:
    supporter, unite, momentum = _two_memberships(clp)
    services.membership_vote_with(supporter=supporter, membership=momentum)
    services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=momentum)
    after_end = _votes_with(supporter)
    services.membership_vote_with(
        supporter=supporter, membership=_claimed(supporter, organisation_create())
    )
    client.force_login(supporter.user)

    client.post(f"/me/organisations/{_votes_with(supporter)[0]}/withdraw/")

    assert after_end == []
    assert _votes_with(supporter) == []
    assert list(
        OrganisationMembership.objects.filter(supporter=supporter)
        .order_by("pk")
        .values_list("pk", flat=True)
    ) == [unite.pk, momentum.pk]


@pytest.mark.parametrize(
    "mark",
    [
        pytest.param(lambda unite, momentum: [unite, momentum], id="two-marked"),
        pytest.param(lambda unite, momentum: [momentum], id="ended-marked"),
    ],
)
def test_membership_votes_with_constraints_hold_in_the_database(
    clp: Constituency, mark: Any
) -> None:
    supporter, unite, momentum = _two_memberships(clp)
    services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=momentum)
    if len(mark(unite, momentum)) == 2:  # the other one live again, to test uniqueness alone
        OrganisationMembership.objects.filter(pk=momentum.pk).update(
            status=MembershipStatus.PENDING, ended_at=None
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationMembership.objects.filter(pk__in=[m.pk for m in mark(unite, momentum)]).update(
            votes_with=True
        )

    assert _votes_with(supporter) == []


def test_my_memberships_page_chooses_the_one_i_vote_with(client: Client, clp: Constituency) -> None:
    supporter, _, momentum = _two_memberships(clp)
    client.force_login(supporter.user)
    before = client.get("/me/organisations/")

    response = client.post("/me/organisations/vote-with/", {"membership": str(momentum.pk)})
    page = client.get("/me/organisations/").content.decode()

    assert before.context["vote_form"]["membership"].value() == "none"
    assert 'name="membership" value="none"' in before.content.decode()
    assert response.status_code == 302
    assert _votes_with(supporter) == [momentum.pk]
    assert "In joint ballots of several of your organisations, you vote with Momentum." in page
    assert page.count("I vote with this one") == 1
    assert f'value="{momentum.pk}" id="id_membership_1" required checked> Momentum' in page


def test_my_memberships_page_clears_the_choice(client: Client, clp: Constituency) -> None:
    supporter, unite, _ = _two_memberships(clp)
    services.membership_vote_with(supporter=supporter, membership=unite)
    client.force_login(supporter.user)

    response = client.post("/me/organisations/vote-with/", {"membership": "none"}, follow=True)

    assert response.redirect_chain == [("/me/organisations/", 302)]
    assert "Your choice is cleared." in response.content.decode()
    assert _votes_with(supporter) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "Choose one organisation, or no choice.", id="nothing"),
        pytest.param(
            {"membership": "other"},
            "Choose one of your organisations listed here, or no choice.",
            id="not-mine",
        ),
    ],
)
def test_my_memberships_page_shows_the_choice_error_next_to_the_field(
    client: Client, clp: Constituency, data: dict[str, str], message: str
) -> None:
    supporter, _, _ = _two_memberships(clp)
    _, others, _ = _two_memberships(clp)
    if data.get("membership") == "other":
        data = {"membership": str(others.pk)}
    client.force_login(supporter.user)

    response = client.post("/me/organisations/vote-with/", data)

    assert response.status_code == 400
    assert response.context["vote_form"].errors["membership"] == [message]
    assert 'aria-describedby="id_membership_error"' in response.content.decode()
    assert OrganisationMembership.objects.filter(votes_with=True).count() == 0
    assert not AuditEntry.objects.filter(action="membership.vote_with").exists()


def test_my_memberships_page_offers_the_choice_only_with_two_live_memberships(
    client: Client, clp: Constituency
) -> None:
    supporter, _, momentum = _two_memberships(clp)
    client.force_login(supporter.user)
    with_two = client.get("/me/organisations/")
    services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=momentum)

    with_one = client.get("/me/organisations/")
    refused = client.post("/me/organisations/vote-with/", {"membership": str(momentum.pk)})

    assert with_two.context["vote_form"] is not None
    assert with_one.context["vote_form"] is None
    assert "Which one I vote with" not in with_one.content.decode()
    assert refused.status_code == 400
    assert _votes_with(supporter) == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("public", 302, id="public"),
        pytest.param("unverified", 404, id="unverified-supporter"),
        pytest.param("organiser", 404, id="organiser"),
    ],
)
def test_membership_vote_with_page_only_for_the_supporter(
    client: Client, clp: Constituency, who: str, status: int
) -> None:
    _, unite, _ = _two_memberships(clp)
    if who == "unverified":
        client.force_login(supporter_create(clp=clp, verified=False).user)
    elif who == "organiser":
        client.force_login(role_holder_create(Role.ORGANISER))

    response = client.post("/me/organisations/vote-with/", {"membership": str(unite.pk)})
    get = client.get("/me/organisations/vote-with/")

    assert response.status_code == status
    assert get.status_code == (302 if who == "public" else 405)
    assert OrganisationMembership.objects.filter(votes_with=True).count() == 0


@pytest.mark.parametrize("how", ["withdraw", "end"])
def test_a_lone_remaining_choice_is_cleared(clp: Constituency, how: str) -> None:
    # Marked Unite, then the other membership goes: one left, nothing to choose between, and
    # the page no longer shows the choice, so the mark must not linger.
    supporter, unite, momentum = _two_memberships(clp)
    services.membership_vote_with(supporter=supporter, membership=unite)
    if how == "withdraw":
        services.membership_withdraw(supporter=supporter, membership=momentum)
    else:
        services.membership_end(actor=role_holder_create(Role.ORGANISER), membership=momentum)

    assert _votes_with(supporter) == []
    assert OrganisationMembership.objects.filter(pk=unite.pk).exists()
