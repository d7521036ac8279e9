"""Who can see and change what in the alliance app: every persona against every action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from grassroots.web.alliance import access
from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import GroupRequest, OrganisationMembership
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "public",
    "supporter",
    "unverified_supporter",
    "representative",  # current representative of the organisation in question
    "other_representative",  # current representative of another organisation
    "former_representative",  # of the organisation in question, term ended
    "member",  # a supporter whose membership of the organisation is in question
    "organiser",
    "committee",
    "administrator",
]

EVERYONE = set(PERSONAS)
ORGANISERS = {"organiser", "administrator"}

CAN = {
    "see_organisation_list": EVERYONE,  # the public page, no access check
    "see_organisation_contacts": {"organiser", "committee", "administrator"},
    "add_organisation": ORGANISERS,
    "edit_organisation": ORGANISERS,
    "manage_representatives": ORGANISERS | {"representative"},
    "end_representative": ORGANISERS | {"representative"},
    "change_rules": {"administrator"},
    "request_group": {
        "supporter",
        "representative",
        "other_representative",
        "former_representative",
        "member",
    },
    "see_group_requests": ORGANISERS,
    "put_in_touch": ORGANISERS,
    # Memberships: a verified supporter claims; only its supporter withdraws one; the
    # organisation's current representatives and organisers see and decide, not the committee.
    "claim_membership": {
        "supporter",
        "representative",
        "other_representative",
        "former_representative",
        "member",
    },
    "withdraw_membership": {"member"},
    "see_members": ORGANISERS | {"representative"},
    "decide_membership": ORGANISERS | {"representative"},
}


def _world(persona: str, clp, other_clp) -> tuple[User | AnonymousUser, dict[str, int]]:
    organisation = organisation_create()
    member = representative_create(organisation=organisation)
    asker = supporter_create(clp=other_clp)
    request = GroupRequest.objects.create(supporter=asker, constituency=other_clp)
    claimant = supporter_create(clp=clp)
    membership = OrganisationMembership.objects.create(
        organisation=organisation, supporter=claimant, consent_wording=MEMBERSHIP_WORDING
    )
    ids = {
        "organisation": organisation.pk,
        "representative": member.pk,
        "request": request.pk,
        "membership": membership.pk,
    }

    def represent(org, *, ended: bool = False) -> User:
        supporter = supporter_create(clp=clp)
        rep = representative_create(organisation=org, supporter=supporter)
        if ended:
            rep.ended_on = timezone.localdate()
            rep.save()
        return supporter.user

    makers = {
        "public": AnonymousUser,
        "supporter": lambda: supporter_create(clp=clp).user,
        "unverified_supporter": lambda: supporter_create(clp=clp, verified=False).user,
        "representative": lambda: represent(organisation),
        "other_representative": lambda: represent(organisation_create()),
        "former_representative": lambda: represent(organisation, ended=True),
        "organiser": lambda: role_holder_create(Role.ORGANISER),
        "committee": lambda: role_holder_create(Role.COMMITTEE),
        "administrator": lambda: role_holder_create(Role.ADMINISTRATOR),
        "member": lambda: claimant.user,
    }
    return makers[persona](), ids


def _attempt(action: str, user: User | AnonymousUser, ids: dict[str, int]) -> None:
    attempts = {
        "see_organisation_list": lambda: None,
        "see_organisation_contacts": lambda: access.organisation_contacts_for_committee(user),
        "add_organisation": lambda: access.organisation_add_for_organiser(user),
        "edit_organisation": lambda: access.organisation_for_organiser(user, ids["organisation"]),
        "manage_representatives": lambda: access.organisation_for_representative(
            user, ids["organisation"]
        ),
        "end_representative": lambda: access.representative_for_representative(
            user, ids["organisation"], ids["representative"]
        ),
        "change_rules": lambda: access.alliance_rules_for_administrator(user),
        "request_group": lambda: access.group_request_add_for_supporter(user),
        "see_group_requests": lambda: access.group_requests_for_organiser(user),
        "put_in_touch": lambda: access.group_request_for_organiser(user, ids["request"]),
        "claim_membership": lambda: access.membership_add_for_supporter(user),
        "withdraw_membership": lambda: access.membership_for_self(user, ids["membership"]),
        "see_members": lambda: access.organisation_members_for_representative(
            user, ids["organisation"]
        ),
        "decide_membership": lambda: access.membership_for_representative(
            user, ids["organisation"], ids["membership"]
        ),
    }
    attempts[action]()


@pytest.mark.parametrize("action", sorted(CAN))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix_alliance(persona: str, action: str, clp, other_clp) -> None:
    user, ids = _world(persona, clp, other_clp)

    if persona in CAN[action]:
        _attempt(action, user, ids)
    else:
        with pytest.raises(Http404):
            _attempt(action, user, ids)


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("edit_organisation", "organisation"),
        ("manage_representatives", "organisation"),
        ("end_representative", "representative"),
        ("put_in_touch", "request"),
        ("see_members", "organisation"),
        ("decide_membership", "membership"),
    ],
)
def test_access_alliance_missing_and_forbidden_give_the_same_error(
    action: str, key: str, clp, other_clp
) -> None:
    stranger, ids = _world("supporter", clp, other_clp)
    organiser, _ = _world("organiser", clp, other_clp)

    with pytest.raises(Http404) as forbidden:
        _attempt(action, stranger, ids)
    with pytest.raises(Http404) as missing:
        _attempt(action, organiser, ids | {key: 999_999})

    assert str(forbidden.value) == str(missing.value)


@pytest.mark.parametrize(
    "case",
    [
        ("public", "/organisations/", 200),
        ("public", "/committee/", 200),
        ("public", "/organise/organisations/", 302),
        ("public", "/groups/request/", 302),
        ("supporter", "/organise/organisations/", 404),
        ("supporter", "/groups/request/", 200),
        ("supporter", "/organise/group-requests/", 404),
        ("supporter", "/organise/rules/", 404),
        ("committee", "/organise/organisations/", 200),
        ("committee", "/organise/organisations/new/", 404),
        ("organiser", "/organise/organisations/new/", 200),
        ("organiser", "/organise/group-requests/", 200),
        ("organiser", "/organise/rules/", 404),
        ("administrator", "/organise/rules/", 200),
        ("public", "/me/organisations/", 302),
        ("supporter", "/me/organisations/", 200),
        ("unverified_supporter", "/me/organisations/", 404),
        ("organiser", "/me/organisations/", 404),
    ],
)
def test_alliance_pages_by_role(client, case: tuple[str, str, int], clp, other_clp) -> None:
    persona, path, status = case
    user, _ = _world(persona, clp, other_clp)
    if isinstance(user, User):
        client.force_login(user)

    response = client.get(path)

    assert response.status_code == status
