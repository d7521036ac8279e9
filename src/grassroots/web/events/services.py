"""Writing events and speakers. Each service takes keyword-only arguments and the actor, and
runs in one transaction that also writes the audit row. The caller checks access
(``events.access``). Audit summaries hold no personal data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.events.rsvps import announce_mark, waiting_promote
from grassroots.web.events.selectors import contact_agree_url
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import Supporter, User, normalise_email

ENDS_BEFORE_START = "The event must end after it starts."


def _check_event(*, title: str, starts_at: datetime, ends_at: datetime, organiser: str) -> None:
    if not title.strip():
        raise DomainError("Give the event a title.", field="title")
    if not organiser.strip() or not slugify(organiser):
        raise DomainError("Name the organising group.", field="organiser_name")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError("Give times with a time zone.", field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(ENDS_BEFORE_START, field="ends_at")


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and capacity < 1:
        raise DomainError(
            "Give at least 1 place, or leave it empty for no limit.", field="capacity"
        )


def _organiser(
    *, organiser_name: str, organisation: Organisation | None, current: Organisation | None = None
) -> str:
    """The organising group's name: the organisation's when one is linked, which must be
    affiliated (or already linked to this event); else the name typed in."""
    if organisation is None:
        return organiser_name
    if organisation.status != AffiliationStatus.AFFILIATED and organisation != current:
        raise DomainError("Choose an affiliated organisation.", field="organisation")
    return organisation.name


def _audit(*, actor: User, action: str, event: Event, summary: str = "") -> None:
    audit_record(
        actor_id=actor.pk, action=action, object_type="event", object_id=event.pk, summary=summary
    )


@transaction.atomic(durable=True)
def event_create(
    *,
    actor: User,
    title: str,
    kind: EventKind,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    address: str = "",
    online_url: str = "",
    organiser_name: str = "",
    organisation: Organisation | None = None,
    contact_email: str = "",
    constituency: Constituency | None = None,
    description: str = "",
    speakers: Iterable[Speaker] = (),
    capacity: int | None = None,
    site_url: str = "",
) -> Event:
    """Create an event as a draft (``event_publish`` shows it), created by ``actor``. The
    organising group is ``organisation`` (affiliated) when given, else ``organiser_name``.
    A ``contact_email`` is asked to agree to be the contact (``_contact_ask``)."""
    organiser_name = _organiser(organiser_name=organiser_name, organisation=organisation)
    _check_event(title=title, starts_at=starts_at, ends_at=ends_at, organiser=organiser_name)
    _check_capacity(capacity)
    event = Event.objects.create(
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        address=address.strip(),
        online_url=online_url.strip(),
        organiser_name=organiser_name.strip(),
        organiser_slug=slugify(organiser_name),
        organisation=organisation,
        contact_email=normalise_email(contact_email),
        constituency=constituency,
        description=description.strip(),
        capacity=capacity,
        created_by=actor,
    )
    event.speakers.set(list(speakers))
    if event.contact_email:
        _contact_ask(event=event, site_url=site_url)
    _audit(actor=actor, action="event.create", event=event, summary=kind)
    return event


EVENT_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_url",
    "organiser_name",
    "organisation",
    "contact",
    "contact_email",
    "constituency",
    "description",
    "capacity",
)


@transaction.atomic(durable=True)
def event_update(
    *,
    actor: User,
    event: Event,
    title: str,
    kind: EventKind,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    address: str = "",
    online_url: str = "",
    organiser_name: str = "",
    organisation: Organisation | None = None,
    contact_email: str = "",
    constituency: Constituency | None = None,
    description: str = "",
    speakers: Iterable[Speaker] = (),
    capacity: int | None = None,
    site_url: str = "",
) -> Event:
    """Change an event's details and speakers; the audit row names the fields that changed.
    A capacity raised gives the new places to the first on the waiting list.
    An organisation already linked stays allowed if it has since disaffiliated. The contact
    who agreed stays while their address is given; a new address is asked (``_contact_ask``)
    and the contact is empty until its owner agrees."""
    organiser_name = _organiser(
        organiser_name=organiser_name, organisation=organisation, current=event.organisation
    )
    _check_event(title=title, starts_at=starts_at, ends_at=ends_at, organiser=organiser_name)
    _check_capacity(capacity)
    contact, asked = _contact_next(event=event, email=normalise_email(contact_email))
    ask = bool(asked) and asked != event.contact_email
    new = {
        "title": title.strip(),
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": venue.strip(),
        "address": address.strip(),
        "online_url": online_url.strip(),
        "organiser_name": organiser_name.strip(),
        "organisation": organisation,
        "contact": contact,
        "contact_email": asked,
        "constituency": constituency,
        "description": description.strip(),
        "capacity": capacity,
    }
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = [name for name in EVENT_FIELDS if getattr(event, name) != new[name]]
    speakers = list(speakers)
    if {s.pk for s in speakers} != set(event.speakers.values_list("pk", flat=True)):
        changed.append("speakers")
    for name, value in new.items():
        setattr(event, name, value)
    event.organiser_slug = slugify(event.organiser_name)
    event.updated_at = timezone.now()
    event.save()
    event.speakers.set(speakers)
    if ask:
        _contact_ask(event=event, site_url=site_url)
    if "capacity" in changed:
        waiting_promote(event=event, site_url=site_url)
    _audit(actor=actor, action="event.update", event=event, summary=", ".join(changed))
    return event


def _contact_next(*, event: Event, email: str) -> tuple[Supporter | None, str]:
    """The contact and the address still to ask, once the form gives ``email``: the contact
    who agreed stays while their own address is given; any other address is asked, and
    nobody is named until its owner agrees; no address, no contact."""
    if email and event.contact is not None and event.contact.user.email == email:
        return event.contact, ""
    return None, email


def _contact_ask(*, event: Event, site_url: str) -> None:
    """Email the address asked to be the contact, whoever owns it: the organiser is never
    told whether it belongs to a supporter."""
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    link = contact_agree_url(event=event, email=event.contact_email, site_url=site_url)
    body = (
        f'Hello,\n\nThe organisers of "{event.title}" ({event.organiser_name}) would like '
        f"to name you as the event's contact on {alliance}'s public events pages. Your name "
        "would be shown there; your email address never is.\n\n"
        f"If you agree, follow this link (you need an account as a supporter with this "
        f"address):\n\n{link}\n\nIf you do not, ignore this email: nothing is shown.\n"
    )
    send_later(
        subject=f"May we name you as the contact for {event.title}?",
        body=body,
        to=event.contact_email,
    )


@transaction.atomic(durable=True)
def event_contact_agree(*, event: Event, email: str) -> Event:
    """The owner of ``email`` (proved by the emailed link or by being logged in with it)
    agrees to be the event's contact: the supporter with that address becomes the contact,
    named on the public page; audit. Refused when the event now asks another address, or
    when no supporter has this one."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    email = normalise_email(email)
    if not event.contact_email or event.contact_email != email:
        raise DomainError("This request has been withdrawn or already answered.")
    supporter = Supporter.objects.select_related("user").filter(user__email=email).first()
    if supporter is None:
        raise DomainError(
            "Only a supporter can be named as an event's contact: join with this address "
            "first, then follow the link again."
        )
    event.contact = supporter
    event.contact_email = ""
    event.updated_at = timezone.now()
    event.save(update_fields=["contact", "contact_email", "updated_at"])
    audit_record(
        actor_id=supporter.pk, action="event.contact_agree", object_type="event", object_id=event.pk
    )
    return event


@transaction.atomic(durable=True)
def event_publish(*, actor: User, event: Event, site_url: str = "") -> Event:
    """Show a draft on the events pages and in the iCal feeds; the first time, with a CLP,
    tell supporters in its region who asked to hear of events (``rsvps.announce_mark``)."""
    if event.published:
        raise DomainError("This event is already published.")
    event.published = True
    event.updated_at = timezone.now()
    event.save(update_fields=["published", "updated_at"])
    announced = announce_mark(event=event, site_url=site_url)
    _audit(
        actor=actor, action="event.publish", event=event, summary="announced" if announced else ""
    )
    return event


@transaction.atomic(durable=True)
def event_unpublish(*, actor: User, event: Event) -> Event:
    """Take an event back to draft: it leaves the public pages and the feeds."""
    if not event.published:
        raise DomainError("This event is not published.")
    event.published = False
    event.updated_at = timezone.now()
    event.save(update_fields=["published", "updated_at"])
    _audit(actor=actor, action="event.unpublish", event=event)
    return event


def _check_speaker(*, name: str) -> None:
    if not name.strip():
        raise DomainError("Enter the speaker's name.", field="name")


@transaction.atomic(durable=True)
def speaker_create(
    *,
    actor: User,
    name: str,
    bio: str = "",
    topics: str = "",
    constituency: Constituency | None = None,
    region: str = "",
    contact: str = "",
    listed: bool = False,
) -> Speaker:
    """Add a speaker to the directory; listed publicly only if they consented."""
    _check_speaker(name=name)
    speaker = Speaker.objects.create(
        name=name.strip(),
        bio=bio.strip(),
        topics=topics.strip(),
        constituency=constituency,
        region=constituency.region if constituency else region.strip(),
        contact=contact.strip(),
        listed=listed,
    )
    audit_record(
        actor_id=actor.pk,
        action="speaker.create",
        object_type="speaker",
        object_id=speaker.pk,
        summary="listed" if listed else "not listed",
    )
    return speaker


@transaction.atomic(durable=True)
def speaker_update(
    *,
    actor: User,
    speaker: Speaker,
    name: str,
    bio: str = "",
    topics: str = "",
    constituency: Constituency | None = None,
    region: str = "",
    contact: str = "",
    listed: bool = False,
) -> Speaker:
    """Change a speaker's entry, including their consent to be listed."""
    _check_speaker(name=name)
    speaker.name = name.strip()
    speaker.bio = bio.strip()
    speaker.topics = topics.strip()
    speaker.constituency = constituency
    speaker.region = constituency.region if constituency else region.strip()
    speaker.contact = contact.strip()
    speaker.listed = listed
    speaker.save()
    audit_record(
        actor_id=actor.pk,
        action="speaker.update",
        object_type="speaker",
        object_id=speaker.pk,
        summary="listed" if listed else "not listed",
    )
    return speaker
