"""Who may compose and send mailings: organisers and administrators. Each function returns
the object or raises ``Http404``, the same for "missing" and "forbidden"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.mailings.models import Mailing
from grassroots.web.mailings.selectors import mailing_get
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
SENDERS = {Role.ORGANISER, Role.ADMINISTRATOR}


def mailing_sender(user: User | AnonymousUser) -> User:
    """The viewer, if they may see, compose and send mailings."""
    if not isinstance(user, User) or not SENDERS & user_roles(user):
        raise Http404(NOT_FOUND)
    return user


def mailing_for_sender(user: User | AnonymousUser, mailing_id: int) -> Mailing:
    mailing_sender(user)
    mailing = mailing_get(mailing_id=mailing_id)
    if mailing is None:
        raise Http404(NOT_FOUND)
    return mailing
