"""Who may see and change what in the alliance app: one function per object and role.

Each returns the object (or None for a page) or raises ``Http404``: the same error for
"missing" and "forbidden".
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.alliance.models import (
    AllianceRules,
    GroupRequest,
    GroupRequestStatus,
    Organisation,
    OrganisationMembership,
    Representative,
)
from grassroots.web.alliance.selectors import (
    LIVE_MEMBERSHIP,
    alliance_rules_get,
    representative_is_current,
)
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}
# The contact person of an organisation: organisers, the committee and administrators.
CONTACT_VIEWERS = {Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR}


def _require(user: User | AnonymousUser, allowed: set[Role]) -> None:
    if not allowed & user_roles(user):
        raise Http404(NOT_FOUND)


def organisation_contacts_for_committee(user: User | AnonymousUser) -> None:
    """The organisations with their contact people: organisers, committee, administrators."""
    _require(user, CONTACT_VIEWERS)


def organisation_add_for_organiser(user: User | AnonymousUser) -> None:
    """Adding an organisation: organisers and administrators."""
    _require(user, ORGANISERS)


def organisation_for_organiser(user: User | AnonymousUser, organisation_id: int) -> Organisation:
    """An organisation to edit: organisers and administrators."""
    _require(user, ORGANISERS)
    try:
        return Organisation.objects.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def organisation_for_representative(
    user: User | AnonymousUser, organisation_id: int
) -> Organisation:
    """An organisation whose representatives the user may record and end: organisers,
    administrators, and the organisation's own current representatives."""
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if ORGANISERS & user_roles(user):
        return organisation
    if Role.AFFILIATE_REPRESENTATIVE in user_roles(user) and representative_is_current(
        user=user, organisation_id=organisation.pk
    ):
        return organisation
    raise Http404(NOT_FOUND)


def representative_for_representative(
    user: User | AnonymousUser, organisation_id: int, representative_id: int
) -> Representative:
    """A representative to end: whoever may manage their organisation's representatives."""
    organisation = organisation_for_representative(user, organisation_id)
    try:
        return organisation.representatives.get(pk=representative_id)
    except Representative.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def alliance_rules_for_administrator(user: User | AnonymousUser) -> AllianceRules:
    """The alliance's rules, to change: administrators only."""
    _require(user, {Role.ADMINISTRATOR})
    return alliance_rules_get()


def _verified_supporter(user: User | AnonymousUser) -> Supporter:
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    try:
        supporter = Supporter.objects.select_related("user", "constituency").get(user=user)
    except Supporter.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if not supporter.is_verified:
        raise Http404(NOT_FOUND)
    return supporter


def group_request_add_for_supporter(user: User | AnonymousUser) -> Supporter:
    """Asking for a local group: a supporter with a confirmed email, for their own CLP."""
    return _verified_supporter(user)


def membership_add_for_supporter(user: User | AnonymousUser) -> Supporter:
    """Their own memberships, to see and claim: a supporter with a confirmed email."""
    return _verified_supporter(user)


def membership_for_self(user: User | AnonymousUser, membership_id: int) -> OrganisationMembership:
    """One of the supporter's own memberships (any status), to withdraw: only its supporter."""
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    try:
        return OrganisationMembership.objects.select_related("organisation").get(
            pk=membership_id, supporter_id=user.pk
        )
    except OrganisationMembership.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def organisation_members_for_representative(
    user: User | AnonymousUser, organisation_id: int
) -> Organisation:
    """An organisation's pending and confirmed members: its own current representatives,
    organisers and administrators (the committee does not see them)."""
    return organisation_for_representative(user, organisation_id)


def membership_for_representative(
    user: User | AnonymousUser, organisation_id: int, membership_id: int
) -> OrganisationMembership:
    """A pending or confirmed membership to confirm or end: whoever may see the organisation's
    members. An ended one is gone for them."""
    organisation = organisation_members_for_representative(user, organisation_id)
    try:
        return organisation.memberships.select_related("supporter__user").get(
            pk=membership_id, status__in=LIVE_MEMBERSHIP
        )
    except OrganisationMembership.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def group_requests_for_organiser(user: User | AnonymousUser) -> None:
    """The list of open requests: organisers and administrators."""
    _require(user, ORGANISERS)


def group_request_for_organiser(user: User | AnonymousUser, request_id: int) -> GroupRequest:
    """An open request to mark put in touch: organisers and administrators."""
    _require(user, ORGANISERS)
    try:
        return GroupRequest.objects.select_related("constituency").get(
            pk=request_id, status=GroupRequestStatus.OPEN
        )
    except GroupRequest.DoesNotExist:
        raise Http404(NOT_FOUND) from None
