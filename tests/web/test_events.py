"""The public events pages: upcoming events with filters, an event's page, drafts kept hidden,
the conference fringe schedule, and the demo events."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.events.demo import events_demo_create
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.people.roles import Role
from tests.web.factories import event_create, speaker_create

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_event_list_shows_upcoming_published_events_only(client: Client) -> None:
    event_create(title="Next week")
    event_create(title="Draft meeting", published=False)
    past = timezone.now() - timedelta(days=3)
    event_create(title="Last week", starts_at=past, ends_at=past + timedelta(hours=2))

    response = client.get("/events/")

    assert response.status_code == 200
    assert [e.title for e in response.context["events"]] == ["Next week"]
    assert "Draft meeting" not in response.content.decode()


def test_event_list_filter_by_kind_and_region(client: Client, clp, other_clp) -> None:
    event_create(title="Leeds meeting", constituency=clp)
    event_create(title="Leeds hustings", kind=EventKind.HUSTINGS, constituency=clp)
    event_create(title="Cardiff meeting", constituency=other_clp)

    by_region = client.get("/events/", {"region": "Wales"})
    by_both = client.get("/events/", {"region": clp.region, "kind": "hustings"})

    assert [e.title for e in by_region.context["events"]] == ["Cardiff meeting"]
    assert [e.title for e in by_both.context["events"]] == ["Leeds hustings"]


def test_event_list_unknown_kind_shows_every_kind(client: Client) -> None:
    event_create(title="A meeting")

    response = client.get("/events/", {"kind": "no-such-kind"})

    assert [e.title for e in response.context["events"]] == ["A meeting"]


def test_event_list_htmx_answers_with_rows_only(client: Client) -> None:
    event_create(title="A meeting")

    response = client.get("/events/", {"kind": "local_meeting"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.startswith('<p id="event-count">1 upcoming event</p>')
    assert "<nav" not in html


@pytest.mark.parametrize("item_count", [1, 3])
def test_event_list_query_count(
    client: Client, clp, django_assert_num_queries, item_count: int
) -> None:
    for number in range(item_count):
        event_create(title=f"Meeting {number}", constituency=clp)

    with django_assert_num_queries(2):  # events with their CLPs, regions
        response = client.get("/events/")

    assert len(response.context["events"]) == item_count


def test_event_detail_shows_time_in_london_and_speakers(client: Client) -> None:
    starts = datetime(2031, 7, 1, 17, 30, tzinfo=ZoneInfo("UTC"))  # 18:30 British Summer Time
    speaker = speaker_create(name="Grace Lloyd", topics="Party democracy")
    event = event_create(starts_at=starts, ends_at=starts + timedelta(hours=2), speakers=[speaker])

    response = client.get(f"/events/{event.pk}/")

    html = response.content.decode()
    assert "Tuesday 1 July 2031, 18:30" in html
    assert "Grace Lloyd: Party democracy" in html


def test_event_detail_draft_missing_for_public_and_other_organisers(
    client: Client, make_role_holder
) -> None:
    draft = event_create(published=False, created_by=make_role_holder(Role.ORGANISER))

    public = client.get(f"/events/{draft.pk}/")
    client.force_login(make_role_holder(Role.ORGANISER))
    other_organiser = client.get(f"/events/{draft.pk}/")
    missing = client.get("/events/999999/")

    assert public.status_code == other_organiser.status_code == missing.status_code == 404


def test_event_detail_draft_seen_by_its_organiser_with_publish_button(
    client: Client, make_role_holder
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    draft = event_create(published=False, created_by=organiser)
    client.force_login(organiser)

    response = client.get(f"/events/{draft.pk}/")

    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert 'value="publish"' in response.content.decode()


def _fringe(day: int, hour: int, title: str, **fields: object) -> Event:
    starts = datetime(2031, 9, day, hour, tzinfo=LONDON)
    return event_create(
        title=title,
        kind=EventKind.FRINGE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **fields,
    )


def test_conference_schedule_groups_fringe_meetings_by_day_and_time(client: Client) -> None:
    _fringe(29, 18, "Monday evening")
    _fringe(28, 12, "Sunday lunch")
    _fringe(29, 8, "Monday breakfast")
    # Just after midnight on Monday in London is still Sunday in UTC: it goes on Monday.
    _fringe(29, 0, "Monday midnight")
    event_create(title="Not fringe")
    _fringe(30, 12, "Draft fringe", published=False)

    response = client.get("/events/conference/")

    days = [(d.day.isoformat(), [e.title for e in d.events]) for d in response.context["days"]]
    assert days == [
        ("2031-09-28", ["Sunday lunch"]),
        ("2031-09-29", ["Monday midnight", "Monday breakfast", "Monday evening"]),
    ]


@pytest.mark.parametrize("item_count", [1, 3])
def test_conference_schedule_query_count(
    client: Client, django_assert_num_queries, item_count: int
) -> None:
    for number in range(item_count):
        speakers = [speaker_create(), speaker_create()]
        _fringe(28 + number % 2, 10 + number, f"Fringe {number}", speakers=speakers)

    with django_assert_num_queries(2):  # events with their CLPs, speakers
        response = client.get("/events/conference/")

    assert sum(len(day.events) for day in response.context["days"]) == item_count


def test_events_demo_creates_events_and_speakers_then_changes_nothing() -> None:
    events_demo_create()
    counts = (Event.objects.count(), Speaker.objects.count(), AuditEntry.objects.count())

    events_demo_create()

    assert counts[:2] == (20, 15)
    assert (Event.objects.count(), Speaker.objects.count(), AuditEntry.objects.count()) == counts
    assert Event.objects.filter(kind=EventKind.FRINGE).count() == 8
    assert Event.objects.filter(kind=EventKind.HUSTINGS).count() == 1
    assert (
        Event.objects.exclude(constituency=None).values("constituency__region").distinct().count()
        == 11
    )
