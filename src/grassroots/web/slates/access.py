"""Who may nominate for which organisation, and who runs a section's slate ballot: one
function per object and role.

A page's function returns the object or raises ``Http404``: the same error for "missing" and
"forbidden". ``organisation_may_nominate`` is the rule itself, which the service checks again.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.alliance.models import AffiliationStatus, Organisation, Representative
from grassroots.web.ballots.models import Ballot
from grassroots.web.elections.access import section_for_organiser
from grassroots.web.elections.models import Section
from grassroots.web.elections.selectors import section_get
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles
from grassroots.web.slates.models import SlateSelection

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}

__all__ = ["section_for_organiser"]


def organisation_may_nominate(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Nominating for an organisation: organisers, administrators, and the organisation's own
    current representatives (an ended term gives no rights)."""
    if not isinstance(user, User):
        return False
    roles = user_roles(user)
    if ORGANISERS & roles:
        return True
    return (
        Role.AFFILIATE_REPRESENTATIVE in roles
        and Representative.objects.current()
        .filter(organisation=organisation, supporter__user=user)
        .exists()
    )


def organisations_for_nominator(user: User | AnonymousUser) -> list[Organisation]:
    """The affiliated organisations the user may nominate for (all of them for organisers and
    administrators, their own for representatives)."""
    if not isinstance(user, User):
        return []
    affiliated = Organisation.objects.filter(status=AffiliationStatus.AFFILIATED)
    if not ORGANISERS & user_roles(user):
        affiliated = affiliated.filter(
            representatives__in=Representative.objects.current().filter(supporter__user=user)
        ).distinct()
    return list(affiliated.order_by("name"))


def section_for_nominator(
    user: User | AnonymousUser, election_slug: str, section_slug: str
) -> tuple[Section, list[Organisation]]:
    """A section to nominate for, with the organisations the user may nominate for."""
    organisations = organisations_for_nominator(user)
    if not organisations:
        raise Http404(NOT_FOUND)
    return section_get(election_slug=election_slug, section_slug=section_slug), organisations


def slate_ballot_for_organiser(
    user: User | AnonymousUser, election_slug: str, section_slug: str, ballot_slug: str
) -> tuple[Section, Ballot]:
    """A section's slate ballot, to publish the slate it chose: organisers and administrators.
    A ballot of another section, or not a slate ballot, is missing here."""
    section = section_for_organiser(user, election_slug, section_slug)
    selection = (
        SlateSelection.objects.select_related("ballot")
        .filter(section=section, ballot__slug=ballot_slug)
        .first()
    )
    if selection is None:
        raise Http404(NOT_FOUND)
    return section, selection.ballot
