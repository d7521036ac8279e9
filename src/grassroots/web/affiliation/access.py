"""Who may see and decide applications: organisers and administrators. The form to apply is
public; the contact's link to name representatives is its own proof."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.affiliation.models import Application
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}


def application_organiser(user: User | AnonymousUser) -> User:
    if not isinstance(user, User) or not ORGANISERS & user_roles(user):
        raise Http404(NOT_FOUND)
    return user


def application_for_organiser(user: User | AnonymousUser, application_id: int) -> Application:
    application_organiser(user)
    application = (
        Application.objects.select_related("ballot", "organisation")
        .prefetch_related("constituencies")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404(NOT_FOUND)
    return application
