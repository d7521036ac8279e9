"""Replies to events: places up to the cap, the waiting list and its promotion by email, each
event's own iCal file, and the announcement to supporters nearby when an event is published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.events import rsvps
from grassroots.web.events.models import Event, Rsvp
from grassroots.web.events.services import event_publish, event_update
from grassroots.web.mail.models import Email
from grassroots.web.people.models import ConsentKind, Topic, Unsubscription
from grassroots.web.people.roles import Role
from tests.web.factories import event_create, role_holder_create, supporter_create

pytestmark = pytest.mark.django_db


def _reply(supporter: Any, event: Event, action: str = "going") -> Any:
    client = Client()
    client.force_login(supporter.user)
    return client.post(f"/events/{event.pk}/rsvp/", {"action": action}, follow=True)


def _statuses(event: Event) -> dict[str, str]:
    return {r.supporter.user.name: r.status for r in event.rsvps.select_related("supporter__user")}


def test_replies_fill_the_places_then_join_the_waiting_list(clp: Constituency) -> None:
    event = event_create(capacity=2)
    ann, bea, cal = (supporter_create(clp=clp, name=name) for name in ("Ann", "Bea", "Cal"))

    for supporter in (ann, bea, cal):
        response = _reply(supporter, event)
        assert response.status_code == 200

    assert _statuses(event) == {"Ann": "going", "Bea": "going", "Cal": "waiting"}
    assert "you are on the waiting list" in response.content.decode()
    assert rsvps.rsvp_counts(event=event) == {"going": 2, "waiting": 1}


def test_a_freed_place_goes_to_the_first_waiting_who_is_emailed(
    clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    event = event_create(capacity=1, title="Small room")
    ann, bea, cal = (supporter_create(clp=clp, name=name) for name in ("Ann", "Bea", "Cal"))
    for supporter in (ann, bea, cal):
        rsvps.rsvp_make(supporter=supporter, event=event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _reply(ann, event, "cancel")

    assert _statuses(event) == {"Bea": "going", "Cal": "waiting"}
    [message] = mail.outbox
    assert message.to == [bea.user.email]
    assert message.subject == "You have a place at Small room"
    assert f"http://testserver/events/{event.pk}/" in message.body
    assert AuditEntry.objects.filter(action="event.waiting_promote").count() == 1


def test_leaving_the_waiting_list_promotes_nobody(clp: Constituency) -> None:
    event = event_create(capacity=1)
    ann, bea = supporter_create(clp=clp, name="Ann"), supporter_create(clp=clp, name="Bea")
    rsvps.rsvp_make(supporter=ann, event=event)
    rsvps.rsvp_make(supporter=bea, event=event)

    rsvps.rsvp_cancel(supporter=bea, event=event)

    assert _statuses(event) == {"Ann": "going"}
    assert Email.objects.count() == 0


def test_raising_the_cap_moves_the_waiting_up_in_order(clp: Constituency) -> None:
    organiser = role_holder_create(Role.COMMITTEE)
    event = event_create(capacity=1)
    people = [supporter_create(clp=clp, name=name) for name in ("Ann", "Bea", "Cal", "Dee")]
    for supporter in people:
        rsvps.rsvp_make(supporter=supporter, event=event)

    event_update(
        actor=organiser,
        event=event,
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue=event.venue,
        organiser_name=event.organiser_name,
        capacity=3,
    )

    assert _statuses(event) == {"Ann": "going", "Bea": "going", "Cal": "going", "Dee": "waiting"}
    assert sorted(Email.objects.values_list("to", flat=True)) == sorted(
        [people[1].user.email, people[2].user.email]
    )


def test_an_event_without_a_cap_takes_everyone(clp: Constituency) -> None:
    event = event_create()
    for name in ("Ann", "Bea", "Cal"):
        rsvps.rsvp_make(supporter=supporter_create(clp=clp, name=name), event=event)

    assert rsvps.rsvp_counts(event=event) == {"going": 3, "waiting": 0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"published": False}, "This event is not taking replies."),
        ({"ends_in": -1}, "This event is not taking replies."),
    ],
)
def test_drafts_and_past_events_take_no_replies(
    clp: Constituency, change: dict[str, Any], message: str
) -> None:
    now = timezone.now()
    ends_in = change.pop("ends_in", 2)
    event = event_create(
        starts_at=now + timedelta(hours=ends_in - 3),
        ends_at=now + timedelta(hours=ends_in),
        **change,
    )

    with pytest.raises(DomainError) as refused:
        rsvps.rsvp_make(supporter=supporter_create(clp=clp), event=event)

    assert refused.value.message == message
    assert Rsvp.objects.count() == 0


def test_a_second_reply_is_refused(clp: Constituency) -> None:
    event = event_create()
    ann = supporter_create(clp=clp)
    rsvps.rsvp_make(supporter=ann, event=event)

    with pytest.raises(DomainError) as refused:
        rsvps.rsvp_make(supporter=ann, event=event)

    assert refused.value.message == "You have already replied to this event."


def test_an_unconfirmed_supporter_cannot_reply(clp: Constituency) -> None:
    event = event_create()
    person = supporter_create(clp=clp, verified=False)
    client = Client()
    client.force_login(person.user)

    response = client.post(f"/events/{event.pk}/rsvp/", {"action": "going"})

    assert response.status_code == 404
    assert Rsvp.objects.count() == 0


def test_the_event_page_shows_counts_never_names(client: Client, clp: Constituency) -> None:
    event = event_create(capacity=1)
    rsvps.rsvp_make(supporter=supporter_create(clp=clp, name="Ann Attendee"), event=event)
    rsvps.rsvp_make(supporter=supporter_create(clp=clp, name="Wes Waiting"), event=event)

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert "1 going of 1 places, 1 on the waiting list." in page
    assert "Ann Attendee" not in page
    assert "Wes Waiting" not in page


def test_each_event_has_its_own_ical_file_that_parses_back(client: Client) -> None:
    event = event_create(title="Open Meeting")
    event_create(title="Another Meeting")

    response = client.get(f"/events/{event.pk}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    [item] = list(calendar.walk("VEVENT"))
    assert str(item["SUMMARY"]) == "Open Meeting"
    assert str(item["UID"]) == f"{event.uid}@grassroots.events"
    assert item.decoded("DTSTART") == event.starts_at.replace(microsecond=0)


def test_a_draft_has_no_ical_file(client: Client) -> None:
    draft = event_create(published=False)

    assert client.get(f"/events/{draft.pk}.ics").status_code == 404


def test_publishing_tells_consenting_supporters_in_the_region_once(
    clp: Constituency, other_clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    organiser = role_holder_create(Role.COMMITTEE)
    same_region = Constituency.objects.filter(region=clp.region).exclude(pk=clp.pk).first()
    assert same_region is not None
    near = supporter_create(clp=clp, name="Near")
    region = supporter_create(clp=same_region, name="Region")
    far = supporter_create(clp=other_clp, name="Far")
    no_consent = supporter_create(clp=clp, consents=[ConsentKind.VISIBLE_IN_CLP])
    unsubscribed = supporter_create(clp=clp)
    Unsubscription.objects.create(user=unsubscribed.user, topic=Topic.EVENTS)
    unconfirmed = supporter_create(clp=clp, verified=False)
    event = event_create(title="Leeds meeting", published=False, constituency=clp)

    with django_capture_on_commit_callbacks(execute=True):
        event_publish(actor=organiser, event=event, site_url="https://alliance.example/")

    told = sorted(Email.objects.filter(kind=Topic.EVENTS).values_list("to", flat=True))
    assert told == sorted([near.user.email, region.user.email])
    for person in (far, no_consent, unsubscribed, unconfirmed):
        assert not Email.objects.filter(to=person.user.email).exists()
    message = next(m for m in mail.outbox if m.to == [near.user.email])
    assert message.subject == "New event near you: Leeds meeting"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    from grassroots.web.events.services import event_unpublish

    event_unpublish(actor=organiser, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        event_publish(actor=organiser, event=Event.objects.get(pk=event.pk))

    assert Email.objects.filter(kind=Topic.EVENTS).count() == 2


def test_an_event_without_a_clp_is_announced_to_nobody(
    clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    supporter_create(clp=clp)
    event = event_create(published=False)

    with django_capture_on_commit_callbacks(execute=True):
        event_publish(actor=role_holder_create(Role.COMMITTEE), event=event)

    assert Email.objects.count() == 0
    assert Event.objects.get(pk=event.pk).announced_at is None


def test_replies_are_in_the_data_export_and_go_with_erasure(clp: Constituency) -> None:
    from grassroots.web.people.selectors import person_export
    from grassroots.web.people.services import person_erase

    event = event_create(title="Open Meeting", capacity=1)
    ann = supporter_create(clp=clp)
    rsvps.rsvp_make(supporter=ann, event=event)

    exported = person_export(person=ann.user)["event_replies"]

    assert [(row["event"], row["reply"]) for row in exported] == [("Open Meeting", "Going")]
    person_erase(person=ann.user)
    assert Rsvp.objects.count() == 0
