"""The elections app: the reference sections, recording nominations, the tracker's figures and
the rules a CLP's nominations break."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import selectors, services
from grassroots.web.elections.demo import elections_demo_create
from grassroots.web.elections.models import Nomination, PartyElection, Section
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import (
    OPEN,
    candidates_create,
    election_create,
    section_get,
    slate_with,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _clps(count: int) -> list[Constituency]:
    return list(Constituency.objects.with_clp().order_by("gss_code")[:count])


def test_reference_load_creates_nec_sections() -> None:
    election = election_create()

    sections = {s.slug: s for s in Section.objects.filter(election=election)}

    assert list(sections) == ["clp", "youth", "disabled", "bame", "welsh", "scottish"]
    clp = sections["clp"]
    assert (clp.seats, clp.rule, clp.quotas, clp.nomination_threshold) == (
        9,
        "scottish",
        {"F": {"min": 4}},
        5,
    )
    assert {s.seats for s in sections.values() if s.slug != "clp"} == {1}
    assert {s.rule for s in sections.values() if s.slug != "clp"} == {"irv"}


def test_reference_load_twice_is_idempotent() -> None:
    election_create()
    election_create()

    assert PartyElection.objects.count() == 1
    assert Section.objects.count() == 6


def test_nomination_record_stores_and_audits() -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]
    clp = _clps(1)[0]

    nomination = services.nomination_record(
        actor=None, section=section, candidate=ann, clp=clp, nominated_on=DAY
    )

    assert Nomination.objects.get() == nomination
    assert AuditEntry.objects.filter(action="nomination.record").count() == 1


def test_nomination_record_twice_from_one_clp_is_refused() -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]
    clp = _clps(1)[0]
    services.nomination_record(
        actor=None, section=section, candidate=ann, clp=clp, nominated_on=DAY
    )

    with pytest.raises(DomainError) as err:
        services.nomination_record(
            actor=None, section=section, candidate=ann, clp=clp, nominated_on=DAY
        )

    assert err.value.field == "clp"
    assert err.value.message == f"{clp.name} has already nominated Ann Ash."
    assert Nomination.objects.count() == 1


def test_nomination_record_before_nominations_open_is_refused() -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]

    with pytest.raises(DomainError) as err:
        services.nomination_record(
            actor=None,
            section=section,
            candidate=ann,
            clp=_clps(1)[0],
            nominated_on=OPEN - datetime.timedelta(days=1),
        )

    assert err.value.field == "nominated_on"
    assert Nomination.objects.count() == 0


def test_tracker_candidate_reaches_ballot_at_threshold() -> None:
    section = section_get(election_create())
    people = candidates_create(section, [("Ann Ash", "F"), ("Bob Bay", "M")])
    for clp in _clps(5):
        services.nomination_record(
            actor=None, section=section, candidate=people["Ann Ash"], clp=clp, nominated_on=DAY
        )
    for clp in _clps(4):
        services.nomination_record(
            actor=None, section=section, candidate=people["Bob Bay"], clp=clp, nominated_on=DAY
        )

    tracker = selectors.tracker_get(section=section)

    rows = {r.name: (r.nominations, r.on_ballot) for r in tracker.candidates}
    assert rows == {"Ann Ash": (5, True), "Bob Bay": (4, False)}
    assert tracker.clps_nominating == 5
    assert tracker.on_ballot == 1


def test_tracker_slate_shares_count_a_two_slate_candidate_once() -> None:
    election = election_create()
    section = section_get(election)
    people = candidates_create(section, [("Ann Ash", "F"), ("Bob Bay", "M"), ("Cy Cole", "M")])
    slate_with(election, "Red", [people["Ann Ash"], people["Bob Bay"]])
    slate_with(election, "Green", [people["Bob Bay"]])
    clps = _clps(4)
    # Ann: 2 nominations (Red), Bob: 1 (Red + Green), Cy: 1 (no slate); 4 in all.
    for name, clp in [("Ann Ash", clps[0]), ("Ann Ash", clps[1]), ("Bob Bay", clps[2])]:
        services.nomination_record(
            actor=None, section=section, candidate=people[name], clp=clp, nominated_on=DAY
        )
    services.nomination_record(
        actor=None, section=section, candidate=people["Cy Cole"], clp=clps[3], nominated_on=DAY
    )

    tracker = selectors.tracker_get(section=section)

    shares = {s.label: (s.count, s.percent) for s in tracker.slate_shares}
    assert shares == {"Red": (2, 50.0), "Red + Green": (1, 25.0), "No slate": (1, 25.0)}


def test_tracker_flags_clp_nominating_more_than_seats() -> None:
    election = election_create()
    section = section_get(election, "youth")  # one seat
    people = candidates_create(section, [("Ann Ash", "F"), ("Bea Birch", "F")])
    clp = _clps(1)[0]
    for candidate in people.values():
        services.nomination_record(
            actor=None, section=section, candidate=candidate, clp=clp, nominated_on=DAY
        )

    flags = selectors.tracker_get(section=section).flags

    assert [(f.clp, f.reasons) for f in flags] == [
        (clp.name, ["nominates 2 candidates for 1 seat(s)"])
    ]


def test_tracker_flags_clp_nominating_no_woman_where_section_has_minimum() -> None:
    section = section_get(election_create())
    people = candidates_create(section, [("Bob Bay", "M"), ("Cy Cole", "M"), ("Ann Ash", "F")])
    men_only, balanced = _clps(2)
    for name in ("Bob Bay", "Cy Cole"):
        services.nomination_record(
            actor=None, section=section, candidate=people[name], clp=men_only, nominated_on=DAY
        )
    for name in ("Bob Bay", "Ann Ash"):
        services.nomination_record(
            actor=None, section=section, candidate=people[name], clp=balanced, nominated_on=DAY
        )

    flags = selectors.tracker_get(section=section).flags

    assert [(f.clp, f.reasons) for f in flags] == [
        (men_only.name, ["nominates 2 candidates and no woman"])
    ]


def test_tracker_page_shows_flagged_clp(client: Client) -> None:
    section = section_get(election_create())
    people = candidates_create(section, [("Bob Bay", "M"), ("Cy Cole", "M")])
    clp = _clps(1)[0]
    for candidate in people.values():
        services.nomination_record(
            actor=None, section=section, candidate=candidate, clp=clp, nominated_on=DAY
        )

    response = client.get(reverse("elections:nomination_tracker", args=["nec-test", "clp"]))

    expected = (
        f"<strong>{clp.name}</strong>: nominates 2 candidates and no woman (Bob Bay, Cy Cole)"
    )
    assert f"<li>{expected}</li>" in response.content.decode()


def test_tracker_single_man_nominated_is_not_flagged() -> None:
    section = section_get(election_create())
    bob = candidates_create(section, [("Bob Bay", "M")])["Bob Bay"]
    services.nomination_record(
        actor=None, section=section, candidate=bob, clp=_clps(1)[0], nominated_on=DAY
    )

    assert selectors.tracker_get(section=section).flags == []


def test_tracker_page_shows_candidates_and_region_chart(client: Client) -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]
    clp = _clps(1)[0]
    services.nomination_record(
        actor=None, section=section, candidate=ann, clp=clp, nominated_on=DAY
    )

    response = client.get(reverse("elections:nomination_tracker", args=["nec-test", "clp"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann Ash" in html
    assert f"<td>{clp.region}</td><td>1</td>" in html
    assert 'hx-trigger="every 15s"' in html


def test_tracker_htmx_request_gets_only_the_figures(client: Client) -> None:
    election_create()

    response = client.get(
        reverse("elections:nomination_tracker", args=["nec-test", "clp"]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="clps-nominating"' in response.content


def test_tracker_unknown_section_is_404(client: Client) -> None:
    election_create()

    response = client.get(reverse("elections:nomination_tracker", args=["nec-test", "nope"]))

    assert response.status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_tracker_page_queries_are_fixed(
    client: Client, django_assert_num_queries: Callable[..., object], item_count: int
) -> None:
    election = election_create()
    section = section_get(election)
    people = candidates_create(section, [(f"Person {i}", "F") for i in range(item_count)])
    slate_with(election, "Red", list(people.values()))
    for candidate, clp in zip(people.values(), _clps(item_count), strict=True):
        services.nomination_record(
            actor=None, section=section, candidate=candidate, clp=clp, nominated_on=DAY
        )
    url = reverse("elections:nomination_tracker", args=["nec-test", "clp"])

    with django_assert_num_queries(5):  # section, candidates, slates (prefetch), slates, rows
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_party_election_list_queries_are_fixed(
    client: Client, django_assert_num_queries: Callable[..., object], item_count: int
) -> None:
    for number in range(item_count):
        election_create(slug=f"nec-{number}")

    with django_assert_num_queries(2):
        response = client.get(reverse("elections:party_election_list"))

    assert response.status_code == 200
    assert response.content.decode().count("<td>CLP representatives</td>") == item_count


def test_nomination_form_records_for_organiser(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]
    clp = _clps(1)[0]
    client.force_login(make_role_holder(Role.ORGANISER))
    url = reverse("elections:nomination_record", args=["nec-test", "clp"])

    response = client.post(
        url, {"clp": clp.gss_code, "candidate": ann.pk, "nominated_on": DAY.isoformat()}
    )

    assert response.status_code == 302
    assert Nomination.objects.get().clp == clp


def test_nomination_form_unknown_clp_shows_error_next_to_field(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    section = section_get(election_create())
    ann = candidates_create(section, [("Ann Ash", "F")])["Ann Ash"]
    client.force_login(make_role_holder(Role.ORGANISER))
    url = reverse("elections:nomination_record", args=["nec-test", "clp"])

    response = client.post(
        url, {"clp": "Atlantis", "candidate": ann.pk, "nominated_on": DAY.isoformat()}
    )

    assert response.status_code == 400
    assert 'id="id_clp_error"' in response.content.decode()
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(None, 302, id="anonymous"),
        pytest.param(Role.COMMITTEE, 404, id="committee"),
        pytest.param(Role.ORGANISER, 200, id="organiser"),
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
    ],
)
@pytest.mark.parametrize("page", ["nomination_record", "result_import"])
def test_organise_pages_access_by_role(
    client: Client,
    make_role_holder: Callable[[Role], User],
    role: Role | None,
    status: int,
    page: str,
) -> None:
    election_create()
    if role is not None:
        client.force_login(make_role_holder(role))

    response = client.get(reverse(f"elections:{page}", args=["nec-test", "clp"]))

    assert response.status_code == status


def test_demo_creates_nec_demo_once() -> None:
    Constituency.objects.count()  # loaded by migration
    first = elections_demo_create()
    second = elections_demo_create()

    section = Section.objects.get(election__slug="nec-demo", slug="clp")
    assert "20 candidates" in first
    assert second == "elections: nec-demo already there"
    assert (section.seats, section.quotas, section.nomination_threshold) == (
        9,
        {"F": {"min": 4}},
        5,
    )
    assert section.election.slates.count() == 3
    assert Nomination.objects.filter(section=section).count() == 147
    assert len(section.result.data["elected"]) == 9
    women = [
        n for n in section.result.data["elected"] if section.result.data["categories"][n] == "F"
    ]
    assert len(women) >= 4
