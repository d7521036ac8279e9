"""Who may change what in the elections app: one function per object and role.

Everyone may read the trackers, results and history. Recording nominations and importing
results is for organisers and administrators. Each function returns the object or raises
``Http404``: the same error for "missing" and "forbidden".
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.elections.models import Section
from grassroots.web.elections.selectors import section_get
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}


def section_for_organiser(
    user: User | AnonymousUser, election_slug: str, section_slug: str
) -> Section:
    """A section whose nominations and results the user may record: organisers and
    administrators."""
    if not ORGANISERS & user_roles(user):
        raise Http404(NOT_FOUND)
    return section_get(election_slug=election_slug, section_slug=section_slug)
