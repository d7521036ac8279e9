"""Who may see and change what in the people app: one function per object and role.

Each returns the object or raises ``Http404``: the same error for "missing" and "forbidden",
so a URL never reveals whether someone exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from grassroots.web.people.models import (
    ConsentKind,
    Message,
    MessageBlock,
    MessageReport,
    Supporter,
    User,
)
from grassroots.web.people.roles import Role, user_roles
from grassroots.web.people.selectors import contact_list, supporter_has_consent

NOT_FOUND = "No such supporter."


def acting_user(request: HttpRequest) -> User:
    """The logged-in user a view acts for. The view's access function has already refused
    anyone else; this only narrows the type, and answers 404 like the access functions."""
    if not isinstance(request.user, User):
        raise Http404("No such page.")
    return request.user


def person_for_self(user: User | AnonymousUser) -> User:
    """The viewer's own account, supporter or not (to see, export and erase their data)."""
    if not isinstance(user, User):
        raise Http404("No such page.")
    return user


def supporter_of_person(user: User) -> Supporter | None:
    """The account's supporter record, if it has one."""
    return Supporter.objects.select_related("user", "constituency").filter(user=user).first()


def supporter_for_self(user: User | AnonymousUser) -> Supporter:
    """The viewer's own supporter record (to see, export, erase, change consents)."""
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    try:
        return Supporter.objects.select_related("user", "constituency").get(user=user)
    except Supporter.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def supporter_for_administrator(user: User | AnonymousUser, supporter_id: int) -> Supporter:
    """Any supporter's full record, for an administrator answering a data request."""
    if Role.ADMINISTRATOR not in user_roles(user):
        raise Http404(NOT_FOUND)
    try:
        return Supporter.objects.select_related("user", "constituency").get(pk=supporter_id)
    except Supporter.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def contacts_for_supporter(user: User | AnonymousUser) -> Supporter:
    """The viewer, if they may see same-CLP contacts: a verified supporter who consents to be
    visible (seeing others is given in exchange for being seen)."""
    supporter = supporter_for_self(user)
    if not supporter.is_verified or not supporter_has_consent(
        supporter=supporter, kind=ConsentKind.VISIBLE_IN_CLP
    ):
        raise Http404(NOT_FOUND)
    return supporter


def contact_for_supporter(user: User | AnonymousUser, supporter_id: int) -> Supporter:
    """Another supporter the viewer may message: both verified, same CLP, both consenting."""
    viewer = contacts_for_supporter(user)
    contact = contact_list(supporter=viewer).filter(pk=supporter_id).first()
    if contact is None:
        raise Http404(NOT_FOUND)
    return contact


def clp_counts_for_organiser(user: User | AnonymousUser) -> None:
    """Counts of supporters by CLP: organisers, the committee and administrators."""
    allowed = {Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR}
    if not allowed & user_roles(user):
        raise Http404("No such page.")


def roles_for_administrator(user: User | AnonymousUser) -> User:
    """The roles page (grant and take away roles): administrators only; the acting user."""
    if not isinstance(user, User) or Role.ADMINISTRATOR not in user_roles(user):
        raise Http404("No such page.")
    return user


MODERATOR_ROLES = frozenset({Role.COMMITTEE, Role.ADMINISTRATOR})


def message_for_recipient(user: User | AnonymousUser, message_id: int) -> Message:
    """A message the viewer received (to block its sender or report it)."""
    supporter = supporter_for_self(user)
    message = (
        Message.objects.select_related("sender__user")
        .filter(pk=message_id, recipient=supporter)
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    return message


def block_for_supporter(user: User | AnonymousUser, supporter_id: int) -> MessageBlock:
    """One of the viewer's own blocks (to lift it)."""
    supporter = supporter_for_self(user)
    block = (
        MessageBlock.objects.select_related("blocker", "blocked__user")
        .filter(blocker=supporter, blocked_id=supporter_id)
        .first()
    )
    if block is None:
        raise Http404(NOT_FOUND)
    return block


def reports_for_moderator(user: User | AnonymousUser) -> User:
    """The queue of reported messages: the committee and administrators only, since it shows
    private messages between supporters."""
    if not isinstance(user, User) or not MODERATOR_ROLES & user_roles(user):
        raise Http404("No such page.")
    return user


def report_for_moderator(user: User | AnonymousUser, report_id: int) -> tuple[User, MessageReport]:
    """One reported message, for the committee and administrators to close."""
    moderator = reports_for_moderator(user)
    report = MessageReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report.")
    return moderator, report
