"""The iCal feeds: every published event, one group's and one CLP's, read back with
icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.test import Client

from grassroots.web.events.models import Event
from grassroots.web.events.services import event_update
from grassroots.web.people.roles import Role
from tests.web.factories import event_create

pytestmark = pytest.mark.django_db


def _events(response) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_feed_all_holds_each_field_in_utc(client: Client, clp) -> None:
    starts = datetime(2031, 7, 1, 17, 30, tzinfo=UTC)
    event = event_create(
        title="Leeds supporters' meeting",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Community Centre",
        address="1 Example Street, Leeds",
        description="All welcome.",
        constituency=clp,
    )

    response = client.get("/events.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [item] = _events(response)
    assert str(item["UID"]) == f"{event.uid}@grassroots.events"
    assert item.decoded("DTSTART") == starts
    assert item.decoded("DTEND") == starts + timedelta(hours=2)
    assert item.decoded("DTSTART").utcoffset() == timedelta(0)
    assert item.decoded("DTSTAMP") == event.updated_at.astimezone(UTC).replace(microsecond=0)
    assert str(item["SUMMARY"]) == "Leeds supporters' meeting"
    assert str(item["LOCATION"]) == "Community Centre, 1 Example Street, Leeds"
    assert str(item["URL"]) == f"http://testserver/events/{event.pk}/"
    assert str(item["DESCRIPTION"]) == "All welcome.\n\nOrganised by Leeds Grassroots."
    assert b"DTSTART:20310701T173000Z" in response.content


def test_feed_all_leaves_out_drafts_and_old_events(client: Client) -> None:
    event_create(title="Published")
    event_create(title="Draft", published=False)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    event_create(title="Long ago", starts_at=long_ago, ends_at=long_ago + timedelta(hours=1))

    response = client.get("/events.ics")

    assert [str(item["SUMMARY"]) for item in _events(response)] == ["Published"]


def test_feed_uid_stays_the_same_when_the_event_changes(client: Client, make_role_holder) -> None:
    event = event_create(title="Before")
    before = str(_events(client.get("/events.ics"))[0]["UID"])
    fields = {
        name: getattr(event, name)
        for name in ("kind", "starts_at", "ends_at", "venue", "address", "organiser_name")
    }
    event_update(actor=make_role_holder(Role.COMMITTEE), event=event, title="After", **fields)

    [item] = _events(client.get("/events.ics"))

    assert str(item["SUMMARY"]) == "After"
    assert str(item["UID"]) == before


def test_feed_group_holds_only_that_groups_events(client: Client) -> None:
    event_create(title="Leeds meeting", organiser_name="Leeds Grassroots")
    event_create(title="Cardiff meeting", organiser_name="Cardiff Grassroots")

    response = client.get("/events/group/leeds-grassroots.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Leeds Grassroots events"
    assert [str(item["SUMMARY"]) for item in _events(response)] == ["Leeds meeting"]


def test_feed_clp_holds_only_that_clps_events(client: Client, clp, other_clp) -> None:
    event_create(title="Leeds meeting", constituency=clp)
    event_create(title="Cardiff meeting", constituency=other_clp)

    response = client.get(f"/events/clp/{other_clp.gss_code.lower()}.ics")

    assert [str(item["SUMMARY"]) for item in _events(response)] == ["Cardiff meeting"]


def test_feed_clp_unknown_missing(client: Client) -> None:
    response = client.get("/events/clp/E99999999.ics")

    assert response.status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_feed_all_query_count(
    client: Client, clp, django_assert_num_queries, item_count: int
) -> None:
    for number in range(item_count):
        event_create(title=f"Meeting {number}", constituency=clp)

    with django_assert_num_queries(1):  # events with their CLPs
        response = client.get("/events.ics")

    assert len(_events(response)) == item_count
    assert Event.objects.count() == item_count
