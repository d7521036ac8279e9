"""The alliance side of erasing a person (``people.services.person_erase``).

Their memberships and group requests go with their supporter record (cascade), and links to
them as the one who confirmed, ended or handled something become empty (``SET_NULL``). A
representative record of theirs stays as the seat's history (the organisation had a
representative from that date, chosen that way) but names nobody: the name is emptied and
the link to them removed, so ``/committee/`` shows "a representative of" the organisation.
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.web.alliance.models import Representative
from grassroots.web.people.models import User


def person_erase_from_alliance(person: User) -> None:
    """Keep ``person``'s representative terms, linked to them or asked of their address, as
    nameless seat history."""
    mine = Q(supporter_id=person.pk) | Q(email=person.email, email__gt="")
    Representative.objects.filter(mine).update(name="", supporter=None, email="", named_at=None)
