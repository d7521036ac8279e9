"""The events side of erasing a person (``people.services.person_erase``): an event that
names them as contact, or asks them to be, keeps no trace of them (the contact link itself
empties by ``SET_NULL``, as does the link to who created it)."""

from __future__ import annotations

from grassroots.web.events.models import Event
from grassroots.web.people.models import User


def person_erase_from_events(person: User) -> None:
    Event.objects.filter(contact_email=person.email).update(contact_email="")
    Event.objects.filter(contact__user=person).update(contact=None)
