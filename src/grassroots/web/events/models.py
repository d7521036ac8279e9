"""Events (meetings, fringe meetings, hustings) and the speakers directory.

An event is a draft until it is published; drafts are seen only by those who may edit them
(``events.access``). Events and speakers change only through ``events.services``
(``event_create``, ``event_update``, ``event_publish``, ``event_unpublish``,
``speaker_create``, ``speaker_update``), which also write the audit log; supporters' replies
(RSVPs) only through ``events.rsvps``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter


class EventKind(models.TextChoices):
    LOCAL_MEETING = "local_meeting", "Local meeting"
    FRINGE = "fringe", "Conference fringe meeting"
    HUSTINGS = "hustings", "Hustings"
    OTHER = "other", "Other"


class Speaker(models.Model):
    """Someone who speaks at events. Listed publicly only with their consent; the contact
    details are shown to organisers only."""

    name = models.CharField(max_length=150)
    bio = models.TextField(blank=True)
    topics = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    constituency = models.ForeignKey(
        Constituency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name="CLP",
    )
    region = models.CharField(max_length=40, blank=True)
    contact = models.CharField(max_length=300, blank=True)
    listed = models.BooleanField("consents to be listed", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "pk")
        indexes = (models.Index(fields=("listed", "name")),)

    def __str__(self) -> str:
        return self.name

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class Event(models.Model):
    """A meeting at a time and place, organised by a group, with an optional supporter as
    contact and an optional CLP.

    The group is always named in ``organiser_name``; when it is an affiliated organisation,
    ``organisation`` links it too (and ``organiser_name`` is set from the organisation's name
    when the event is saved). ``organiser_slug``, from the name, names the group's iCal feed,
    so a linked group and the same name typed in share one feed.

    The contact is named on the public page, which says they support the alliance, so only
    with their agreement: the organiser gives an address (``contact_email``), its owner is
    emailed a link, and ``contact`` is set only when a supporter with that address agrees
    (``event_contact_agree``). Until then the page names no contact.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField("venue name", max_length=200)
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField("online link", blank=True)
    organiser_name = models.CharField("organising group", max_length=200)
    organiser_slug = models.SlugField(max_length=200, db_index=True)
    organisation = models.ForeignKey(
        "alliance.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="The organising group, when it is an affiliated organisation.",
    )
    contact = models.ForeignKey(
        Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    contact_email = models.EmailField(
        blank=True, help_text="The address asked to agree to be the contact, until it answers."
    )
    constituency = models.ForeignKey(
        Constituency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="CLP",
    )
    description = models.TextField(blank=True)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="events")
    published = models.BooleanField(default=False)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many people may come; empty for no limit. Past it, replies join a "
        "waiting list.",
    )
    # When supporters nearby who asked to hear of events were told of it (``events.rsvps``):
    # an event is announced once, the first time it is published.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events_created",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("starts_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"
            ),
        )
        indexes = (models.Index(fields=("published", "ends_at")),)

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.venue, self.address) if part)


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITING = "waiting", "On the waiting list"


class Rsvp(models.Model):
    """A supporter's reply to an event: going, or waiting for a place when the event is full.

    Made and withdrawn through ``events.rsvps.rsvp_make`` and ``rsvp_cancel``; a freed place
    goes to the first on the waiting list (by ``created_at``), who is emailed. Withdrawing
    deletes the row, and erasing the supporter deletes theirs (cascade).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=8, choices=RsvpStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("event", "created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("event", "supporter"), name="events_rsvp_once"),
        )
        indexes = (models.Index(fields=("event", "status", "created_at")),)

    def __str__(self) -> str:
        return f"rsvp {self.pk}"
