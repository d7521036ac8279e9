"""Small factories that build supporters and role holders straight in the database, as the
services would leave them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.constituencies.models import Constituency
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import Consent, ConsentKind, Membership, Supporter, User
from grassroots.web.people.roles import Role

VISIBLE = ConsentKind.VISIBLE_IN_CLP
CONTACT = ConsentKind.CONTACT


_counter = iter(range(1, 1_000_000))


def supporter_create(
    *,
    clp: Constituency,
    name: str | None = None,
    email: str | None = None,
    verified: bool = True,
    consents: Iterable[ConsentKind] = (CONTACT, VISIBLE),
) -> Supporter:
    """A supporter as sign-up and verification would leave them."""
    number = next(_counter)
    user = User.objects.create_user(
        email=email or f"person{number}@example.org", name=name or f"Person {number}"
    )
    supporter = Supporter.objects.create(
        user=user,
        constituency=clp,
        membership=Membership.MEMBER,
        email_verified_at=timezone.now() if verified else None,
    )
    for kind in consents:
        Consent.objects.create(supporter=supporter, kind=kind, wording=WORDING[kind])
    return supporter


def role_holder_create(role: Role) -> User:
    """An account holding one group role (or a superuser for administrator)."""
    number = next(_counter)
    user = User.objects.create_user(email=f"{role.name.lower()}{number}@example.org", name=role)
    user.groups.add(Group.objects.get(name=role.value))
    return user


def signup_data(**overrides: Any) -> dict[str, Any]:
    """A valid sign-up form submission."""
    data = {
        "name": "Nia Evans",
        "email": "nia@example.org",
        "clp": "Leeds Central and Headingley",
        "membership": "member",
        "consent_contact": "on",
        "consent_visible": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def event_create(**overrides: Any) -> Event:
    """A published event next week, as ``events.services`` would leave it."""
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=7)
    fields: dict[str, Any] = {
        "title": "Supporters' meeting",
        "kind": EventKind.LOCAL_MEETING,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "venue": "Community Centre",
        "address": "1 Example Street, Leeds",
        "organiser_name": "Leeds Grassroots",
        "published": True,
    }
    fields.update(overrides)
    fields.setdefault("organiser_slug", slugify(fields["organiser_name"]))
    speakers = fields.pop("speakers", ())
    event = Event.objects.create(**fields)
    event.speakers.set(speakers)
    return event


def speaker_create(**overrides: Any) -> Speaker:
    fields: dict[str, Any] = {"name": f"Speaker {next(_counter)}", "listed": True}
    fields.update(overrides)
    return Speaker.objects.create(**fields)


def organisation_create(
    *,
    name: str | None = None,
    kind: str = "national",
    status: str = "affiliated",
    clps: Iterable[Constituency] = (),
    contact_name: str = "",
    contact_email: str = "",
) -> Any:
    """An alliance organisation (national unless ``kind="local"``), affiliated by default."""
    from grassroots.web.alliance.models import Organisation

    number = next(_counter)
    organisation = Organisation.objects.create(
        name=name or f"Organisation {number}",
        kind=kind,
        status=status,
        affiliated_on=timezone.localdate() if status == "affiliated" else None,
        disaffiliated_on=timezone.localdate() if status == "disaffiliated" else None,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    organisation.constituencies.set(clps)
    return organisation


def representative_create(
    *,
    organisation: Any,
    name: str | None = None,
    supporter: Supporter | None = None,
    agreed: bool = True,
) -> Any:
    """A current representative, holding the affiliate representative role if a supporter,
    who agreed to be named publicly unless ``agreed`` is False."""
    from datetime import timedelta

    from grassroots.web.alliance.models import Representative

    if supporter is not None:
        supporter.user.groups.add(Group.objects.get(name=Role.AFFILIATE_REPRESENTATIVE.value))
    return Representative.objects.create(
        organisation=organisation,
        supporter=supporter,
        name=name or (supporter.user.name if supporter else f"Representative {next(_counter)}"),
        started_on=timezone.localdate() - timedelta(days=30),
        method="agm",
        named_at=timezone.now() if agreed and supporter is not None else None,
    )
