"""Who may see and change events and speakers: one function per object and role.

Each returns the object or raises ``Http404``: the same error for "missing" and "forbidden", so
a URL never reveals that a draft exists.

* Committee members and administrators manage every event and the speakers directory.
* Local group organisers create events and manage the ones they created; they also keep the
  speakers directory.
* Everyone sees published events and the speakers who consented to be listed; a draft is seen
  only by those who may edit it, and a speaker's contact only by organisers.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from grassroots.web.events.models import Event, Speaker
from grassroots.web.events.selectors import event_get, event_list_editable
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role, user_roles

NO_EVENT = "No such event."
NO_SPEAKER = "No such speaker."
NO_PAGE = "No such page."

EVERY_EVENT = {Role.COMMITTEE, Role.ADMINISTRATOR}
ORGANISERS = {Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR}


def _may_edit(roles: set[Role], user: User | AnonymousUser, event: Event) -> bool:
    if roles & EVERY_EVENT:
        return True
    return Role.ORGANISER in roles and event.created_by_id == user.pk


def event_for_viewer(user: User | AnonymousUser, event_id: int) -> Event:
    """An event to show: published, or a draft the viewer may edit."""
    event = event_get(event_id=event_id)
    if event is None or not (event.published or _may_edit(user_roles(user), user, event)):
        raise Http404(NO_EVENT)
    return event


def event_for_organiser(user: User | AnonymousUser, event_id: int) -> Event:
    """An event to edit, publish or unpublish: any for the committee and administrators, their
    own for a local group organiser."""
    event = event_get(event_id=event_id)
    if event is None or not _may_edit(user_roles(user), user, event):
        raise Http404(NO_EVENT)
    return event


def event_create_for_organiser(user: User | AnonymousUser) -> User:
    """The viewer, if they may create events (organisers, the committee, administrators)."""
    if not isinstance(user, User) or not ORGANISERS & user_roles(user):
        raise Http404(NO_PAGE)
    return user


def event_list_for_organiser(user: User | AnonymousUser) -> QuerySet[Event]:
    """The events the viewer may manage, drafts included."""
    roles = user_roles(user)
    if not isinstance(user, User) or not ORGANISERS & roles:
        raise Http404(NO_PAGE)
    return event_list_editable(created_by_id=None if roles & EVERY_EVENT else user.pk)


def speaker_for_organiser(user: User | AnonymousUser, speaker_id: int) -> Speaker:
    """A speaker's entry to edit, contact included: organisers, the committee, administrators."""
    if not ORGANISERS & user_roles(user):
        raise Http404(NO_SPEAKER)
    try:
        return Speaker.objects.select_related("constituency").get(pk=speaker_id)
    except Speaker.DoesNotExist:
        raise Http404(NO_SPEAKER) from None


def speaker_contacts_visible(user: User | AnonymousUser) -> bool:
    """Whether the viewer sees speakers' contacts and unlisted speakers (organisers do)."""
    return bool(ORGANISERS & user_roles(user))


def rsvp_supporter(user: User | AnonymousUser) -> Supporter | None:
    """The viewer's supporter record if they may reply to events (a confirmed address)."""
    if not isinstance(user, User):
        return None
    return Supporter.objects.filter(user=user, email_verified_at__isnull=False).first()
