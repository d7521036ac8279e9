"""The demo's slate selection for nec-demo's CLP section: nominated, balloted, published,
and left alone the second time."""

from __future__ import annotations

import pytest

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import Status
from grassroots.web.demo import demo_create
from grassroots.web.slates.models import SlateNomination, SlateSelection

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_clp_slate_chosen_by_its_ballot_then_changes_nothing() -> None:
    demo_create()
    audit = AuditEntry.objects.count()

    lines = demo_create()

    selection = SlateSelection.objects.select_related("ballot", "section__election").get()
    places = list(selection.places.order_by("position").select_related("candidate"))
    assert (selection.section.election.slug, selection.section.slug) == ("nec-demo", "clp")
    assert selection.ballot.status == Status.PUBLISHED
    assert selection.published_at is not None
    assert [place.candidate.name for place in places] == selection.ballot.result["elected"]
    assert len(places) == 5
    assert sum(place.candidate.gender == "F" for place in places) >= 3
    assert SlateNomination.objects.values("organisation").distinct().count() == 3
    assert AuditEntry.objects.count() == audit
    assert "slates: nec-demo's CLP slate ballot exists; nothing to add" in lines
