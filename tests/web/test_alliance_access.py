"""Who can see and change what in the alliance app: every persona against every action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.utils import timezone

from grassroots.web.alliance import access
from grassroots.web.alliance.consents import MEMBERSHIP_WORDING
from grassroots.web.alliance.models import (
    AllianceRules,
    GroupRequest,
    Organisation,
    OrganisationMembership,
    Representative,
)
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


def _organisation_list_page(user: User | AnonymousUser) -> list[int]:
    """The public list of organisations as ``user`` sees it (the page has no access check)."""
    client = Client()
    if isinstance(user, User):
        client.force_login(user)
    response = client.get("/organisations/")
    if response.status_code == 404:
        raise Http404(response.content.decode())
    return sorted(o.pk for o in response.context["organisations"])


def _attempt(action: str, user: User | AnonymousUser, ids: dict[str, int]) -> object:
    attempts = {
        "see_organisation_list": lambda: _organisation_list_page(user),
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
    return attempts[action]()


def _granted(action: str, user: User | AnonymousUser, ids: dict[str, int]) -> object:
    """What an allowed attempt must return: the object asked for, the acting supporter, or
    nothing (a page with no object)."""
    if action == "see_organisation_list":
        return sorted(Organisation.objects.values_list("pk", flat=True))
    if action == "change_rules":
        return AllianceRules.objects.get(pk=1)
    if action in {"request_group", "claim_membership"}:
        assert isinstance(user, User)
        return user.supporter
    model, key = {
        "edit_organisation": (Organisation, "organisation"),
        "manage_representatives": (Organisation, "organisation"),
        "see_members": (Organisation, "organisation"),
        "end_representative": (Representative, "representative"),
        "put_in_touch": (GroupRequest, "request"),
        "withdraw_membership": (OrganisationMembership, "membership"),
        "decide_membership": (OrganisationMembership, "membership"),
    }.get(action, (None, ""))
    return None if model is None else model.objects.get(pk=ids[key])


@pytest.mark.parametrize("action", sorted(CAN))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix_alliance(persona: str, action: str, clp, other_clp) -> None:
    user, ids = _world(persona, clp, other_clp)

    if persona in CAN[action]:
        assert _attempt(action, user, ids) == _granted(action, user, ids)
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
