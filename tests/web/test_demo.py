"""`grassroots demo`'s data: believable and idempotent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.text import slugify

from grassroots.web.alliance.models import Organisation
from grassroots.web.audit.models import AuditEntry
from grassroots.web.demo import demo_create
from grassroots.web.events.models import Event
from grassroots.web.people.models import Consent, Supporter, User

pytestmark = pytest.mark.django_db


def test_demo_creates_supporters_across_clps_then_changes_nothing() -> None:
    demo_create()
    counts = (User.objects.count(), Consent.objects.count(), AuditEntry.objects.count())

    demo_create()

    assert Supporter.objects.count() == 1700
    assert Supporter.objects.values("constituency").distinct().count() == 460
    assert not Supporter.objects.filter(constituency__nation="Northern Ireland").exists()
    assert (User.objects.count(), Consent.objects.count(), AuditEntry.objects.count()) == counts


def _feed_uids(client: Client, slug: str) -> set[str]:
    feed = client.get(f"/events/group/{slug}.ics").content.decode()
    # UID:<uuid>@grassroots.events
    return {line[4:].split("@")[0] for line in feed.splitlines() if line.startswith("UID:")}


def test_demo_organisations_with_events_show_them(client: Client) -> None:
    demo_create()

    organisations = list(Organisation.objects.filter(events__isnull=False).distinct())

    assert {o.kind for o in organisations} == {"national", "local"}
    assert all(o.status == "affiliated" for o in organisations)
    for organisation in organisations:
        events = list(organisation.events.filter(published=True))
        assert {e.organiser_name for e in events} == {organisation.name}
        assert _feed_uids(client, slugify(organisation.name)) == {str(e.uid) for e in events}
        for event in events:
            page = client.get(f"/events/{event.pk}/").content.decode()
            assert f'href="/organisations/{organisation.slug}/" id="event-organisation"' in page


def test_demo_links_earlier_unlinked_demo_events_once() -> None:
    demo_create()
    linked = list(Event.objects.filter(organisation__isnull=False).order_by("pk"))
    # As the demo made them before it linked them to organisations.
    Event.objects.filter(pk__in=[e.pk for e in linked]).update(
        organisation=None, organiser_name="Grassroots Alliance", organiser_slug="x"
    )

    first = demo_create()
    entries = AuditEntry.objects.count()
    second = demo_create()

    relinked = list(Event.objects.filter(organisation__isnull=False).order_by("pk"))
    assert [(e.pk, e.organisation_id, e.organiser_name) for e in relinked] == [
        (e.pk, e.organisation_id, e.organiser_name) for e in linked
    ]
    assert {e.organiser_slug for e in relinked} == {slugify(e.organiser_name) for e in linked}
    assert f"{len(linked)} earlier demo events linked to organisations" in "\n".join(first)
    assert "0 earlier demo events linked to organisations" in "\n".join(second)
    assert AuditEntry.objects.count() == entries
