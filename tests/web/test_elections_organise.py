"""Organisers set up party elections in the site: elections, sections with their quotas,
candidates, slates and who is on them; and the changes refused because they would break
recorded nominations, slates or results."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services as ballot_services
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections import setup as election_setup
from grassroots.web.elections.models import (
    Candidate,
    PartyElection,
    Section,
    Slate,
    SlateMembership,
)
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.slates import services as slate_services
from grassroots.web.slates.models import Endorsement, SlatePlace, SlateSelection
from tests.web.election_factories import (
    OPEN,
    candidates_create,
    election_create,
    section_get,
    slate_with,
)
from tests.web.factories import organisation_create, supporter_create
from tests.web.slate_factories import nominations_submit, slate_ballot_voted

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _clp() -> Constituency:
    return Constituency.objects.with_clp().order_by("gss_code")[0]


def _nominate(section: Section, candidate: Candidate) -> None:
    services.nomination_record(
        actor=None, section=section, candidate=candidate, clp=_clp(), nominated_on=DAY
    )


def _result_store(section: Section, names: list[str]) -> None:
    sheet = {
        "candidates": names,
        "elected": names[:1],
        "stages": [{"votes": dict.fromkeys(names, 1)}],
    }
    services.result_sheet_import(
        actor=None, section=section, filename="sheet.json", data=json.dumps(sheet).encode()
    )


def _error(response: Any, field: str) -> str:
    """The text of the errors shown next to ``field`` (empty when there are none)."""
    form = next(
        f
        for name in ("form", "member_form")
        if (f := response.context.get(name)) is not None and field in f.fields
    )
    return " ".join(form.errors.get(field, []))


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def organiser(client: Client, make_role_holder: Callable[[Role], User]) -> User:
    user = make_role_holder(Role.ORGANISER)
    client.force_login(user)
    return user


@pytest.fixture
def setup() -> dict[str, Any]:
    """The reference election with two candidates in its CLP section, one on a slate."""
    election = election_create()
    section = section_get(election)
    people = candidates_create(section, [("Ann Ash", "F"), ("Bob Bay", "M")])
    slate = slate_with(election, "Red", [people["Ann Ash"]])
    return {
        "election": election,
        "section": section,
        "ann": people["Ann Ash"],
        "bob": people["Bob Bay"],
        "slate": slate,
        "membership": SlateMembership.objects.get(slate=slate),
    }


# The access matrix: every new page, every persona.

GET_PAGES = {
    "election_manage_list": lambda s: [],
    "party_election_create": lambda s: [],
    "election_organise": lambda s: ["nec-test"],
    "party_election_edit": lambda s: ["nec-test"],
    "section_create": lambda s: ["nec-test"],
    "section_edit": lambda s: ["nec-test", "clp"],
    "candidate_manage": lambda s: ["nec-test", "clp"],
    "candidate_edit": lambda s: ["nec-test", "clp", s["bob"].pk],
    "slate_manage": lambda s: ["nec-test"],
    "slate_edit": lambda s: ["nec-test", s["slate"].pk],
    "slate_member_edit": lambda s: ["nec-test", s["slate"].pk, s["membership"].pk],
}
POST_ONLY_PAGES = {
    "section_delete": lambda s: ["nec-test", "youth"],
    "candidate_delete": lambda s: ["nec-test", "clp", s["bob"].pk],
    "slate_member_add": lambda s: ["nec-test", s["slate"].pk],
    "slate_member_remove": lambda s: ["nec-test", s["slate"].pk, s["membership"].pk],
    "slate_delete": lambda s: ["nec-test", s["slate"].pk],
    "party_election_delete": lambda s: ["nec-test"],
}

PERSONAS = [
    pytest.param(None, 302, id="anonymous"),
    pytest.param(Role.SUPPORTER, 404, id="supporter"),
    pytest.param(Role.COMMITTEE, 404, id="committee"),
    pytest.param(Role.ORGANISER, 200, id="organiser"),
    pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
]


def _log_in(
    client: Client,
    role: Role | None,
    make_role_holder: Callable[[Role], User],
    make_supporter: Callable[..., Supporter],
) -> None:
    if role == Role.SUPPORTER:
        client.force_login(make_supporter(clp=_clp()).user)
    elif role is not None:
        client.force_login(make_role_holder(role))


@pytest.mark.parametrize(("role", "status"), PERSONAS)
@pytest.mark.parametrize("page", sorted(GET_PAGES))
def test_setup_page_access_by_role(
    client: Client,
    *,
    make_role_holder: Callable[[Role], User],
    make_supporter: Callable[..., Supporter],
    setup: dict[str, Any],
    role: Role | None,
    status: int,
    page: str,
) -> None:
    _log_in(client, role, make_role_holder, make_supporter)

    response = client.get(reverse(f"elections:{page}", args=GET_PAGES[page](setup)))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("people:login"))


@pytest.mark.parametrize(("role", "status"), PERSONAS)
@pytest.mark.parametrize("page", sorted(POST_ONLY_PAGES))
def test_setup_action_access_by_role(
    client: Client,
    *,
    make_role_holder: Callable[[Role], User],
    make_supporter: Callable[..., Supporter],
    setup: dict[str, Any],
    role: Role | None,
    status: int,
    page: str,
) -> None:
    _log_in(client, role, make_role_holder, make_supporter)
    before = AuditEntry.objects.count()
    data = {"candidate": setup["bob"].pk} if page == "slate_member_add" else {}

    response = client.post(reverse(f"elections:{page}", args=POST_ONLY_PAGES[page](setup)), data)

    if status == 200:  # allowed: the action is done and the page redirects
        assert response.status_code == 302
        assert AuditEntry.objects.count() == before + 1
    else:
        assert response.status_code == status
        assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("page", "args"),
    [
        pytest.param("election_organise", lambda s: ["nope"], id="election"),
        pytest.param("section_edit", lambda s: ["nec-test", "nope"], id="section"),
        pytest.param(
            "candidate_edit", lambda s: ["nec-test", "youth", s["bob"].pk], id="other-section"
        ),
        pytest.param("slate_edit", lambda s: ["nec-test", 999_999], id="slate"),
    ],
)
def test_setup_page_of_missing_object_is_404(
    client: Client, organiser: User, setup: dict[str, Any], page: str, args: Any
) -> None:
    response = client.get(reverse(f"elections:{page}", args=args(setup)))

    assert response.status_code == 404


def test_slate_of_another_election_is_404(client: Client, organiser: User) -> None:
    election_create("nec-other")
    other = services.slate_create(
        actor=None, election=PartyElection.objects.get(slug="nec-other"), name="Blue"
    )
    election_create()

    response = client.get(reverse("elections:slate_edit", args=["nec-test", other.pk]))

    assert response.status_code == 404


def test_delete_by_get_is_refused(client: Client, organiser: User, setup: dict[str, Any]) -> None:
    response = client.get(reverse("elections:section_delete", args=["nec-test", "youth"]))

    assert response.status_code == 405
    assert Section.objects.filter(slug="youth").exists()


# Elections.

ELECTION_DATA = {
    "slug": "nec-2026",
    "name": "NEC elections 2026",
    "party": "Labour Party",
    "nominations_open": "2026-05-01",
    "nominations_close": "2026-06-30",
    "ballot_open": "2026-07-15",
    "ballot_close": "2026-08-15",
    "count_on": "2026-08-20",
}


def test_election_create_stores_and_audits(client: Client, organiser: User) -> None:
    response = client.post(reverse("elections:party_election_create"), ELECTION_DATA)

    election = PartyElection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:election_organise", args=["nec-2026"])
    assert (election.name, election.nominations_open, election.count_on) == (
        "NEC elections 2026",
        datetime.date(2026, 5, 1),
        datetime.date(2026, 8, 20),
    )
    entry = AuditEntry.objects.get(action="party_election.create")
    assert (entry.actor_id, entry.object_id) == (organiser.pk, str(election.pk))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"slug": "nec-test"},
            "slug",
            "An election with this address already exists.",
            id="taken",
        ),
        pytest.param(
            {"slug": "new"}, "slug", "That address is used by the site: choose another.", id="new"
        ),
        pytest.param(
            {"nominations_close": "2026-04-01"},
            "nominations_close",
            "Nominations must close after they open.",
            id="close-before-open",
        ),
        pytest.param(
            {"count_on": "2026-08-01"},
            "count_on",
            "The count must come after the ballot closes.",
            id="count-before-close",
        ),
    ],
)
def test_election_create_refused_next_to_the_field(
    client: Client, organiser: User, changes: dict[str, str], field: str, message: str
) -> None:
    election_create()

    response = client.post(reverse("elections:party_election_create"), ELECTION_DATA | changes)

    assert response.status_code == 400
    assert _error(response, field) == message
    assert f'id="id_{field}_error"' in response.content.decode()
    assert PartyElection.objects.count() == 1


def test_election_edit_changes_and_audits_the_fields(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    data = ELECTION_DATA | {"nominations_open": OPEN.isoformat(), "name": "NEC 2026 (renamed)"}
    del data["slug"]

    response = client.post(reverse("elections:party_election_edit", args=["nec-test"]), data)

    election = PartyElection.objects.get(slug="nec-test")
    assert response.status_code == 302
    assert (election.name, election.nominations_close) == (
        "NEC 2026 (renamed)",
        datetime.date(2026, 6, 30),
    )
    entry = AuditEntry.objects.get(action="party_election.update")
    assert entry.summary == "name, ballot_open, ballot_close, count_on"


def test_election_edit_cannot_shut_out_recorded_nominations(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    _nominate(setup["section"], setup["ann"])  # on 2 March
    data = ELECTION_DATA | {"nominations_open": "2026-04-01"}
    del data["slug"]

    response = client.post(reverse("elections:party_election_edit", args=["nec-test"]), data)

    assert response.status_code == 400
    assert _error(response, "nominations_open") == (
        "1 nomination(s) are recorded before this date: nominations would open after them."
    )
    assert PartyElection.objects.get().nominations_open == OPEN


# Sections.

SECTION_DATA = {
    "slug": "trade-union",
    "name": "Trade union section",
    "seats": "5",
    "rule": "scottish",
    "nomination_threshold": "3",
    "min_F": "2",
}


def test_section_create_stores_quotas_in_the_engine_shape_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    response = client.post(
        reverse("elections:section_create", args=["nec-test"]), SECTION_DATA | {"max_M": "3"}
    )

    section = Section.objects.get(slug="trade-union")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "elections:candidate_manage", args=["nec-test", "trade-union"]
    )
    assert (section.seats, section.rule, section.quotas, section.nomination_threshold) == (
        5,
        "scottish",
        {"F": {"min": 2}, "M": {"max": 3}},
        3,
    )
    assert section.quota_text == "at least 2 women, at most 3 men"
    assert section.position == 6  # after the six reference sections
    entry = AuditEntry.objects.get(action="section.create")
    assert (entry.actor_id, entry.object_id) == (organiser.pk, str(section.pk))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"min_F": "6"},
            "seats",
            "At least 6 women cannot be elected to 5 seat(s): lower the minimum or add seats.",
            id="minimum-above-seats",
        ),
        pytest.param(
            {"min_F": "3", "min_M": "3"},
            "seats",
            "The minimums add up to 6, more than the 5 seat(s).",
            id="minimums-above-seats",
        ),
        pytest.param(
            {"max_F": "1"},
            "max_F",
            "The most women (1) is below the least (2).",
            id="maximum-below-minimum",
        ),
        pytest.param(
            {"rule": "irv"},
            "rule",
            "Instant runoff elects one: set one seat or choose an STV rule.",
            id="irv-many-seats",
        ),
        pytest.param(
            {"slug": "clp"},
            "slug",
            "The election already has a section with this address.",
            id="slug-taken",
        ),
        pytest.param(
            {"slug": "slates"},
            "slug",
            "That address is used by the site: choose another.",
            id="slug-reserved",
        ),
        pytest.param(
            {"min_F": "-1"},
            "min_F",
            "Ensure this value is greater than or equal to 0.",
            id="negative",
        ),
    ],
)
def test_section_create_refused_next_to_the_field(
    client: Client,
    *,
    organiser: User,
    setup: dict[str, Any],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client.post(
        reverse("elections:section_create", args=["nec-test"]), SECTION_DATA | changes
    )

    assert response.status_code == 400
    assert _error(response, field) == message
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Section.objects.count() == 6
    assert not AuditEntry.objects.filter(action="section.create").exists()


def _section_edit_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "CLP representatives",
        "seats": "9",
        "rule": "scottish",
        "nomination_threshold": "5",
        "min_F": "4",
    }
    return data | changes


def test_section_edit_saves_and_audits_the_fields(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    url = reverse("elections:section_edit", args=["nec-test", "clp"])

    response = client.post(url, _section_edit_data(nomination_threshold="6", min_F="5"))

    section = Section.objects.get(pk=setup["section"].pk)
    assert response.status_code == 302
    assert (section.nomination_threshold, section.quotas) == (6, {"F": {"min": 5}})
    assert AuditEntry.objects.get(action="section.update").summary == (
        "quotas, nomination_threshold"
    )


def test_section_edit_shows_the_quota_in_its_boxes(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    response = client.get(reverse("elections:section_edit", args=["nec-test", "clp"]))

    assert response.context["form"]["min_F"].value() == 4
    assert 'name="min_F" value="4"' in response.content.decode()


def test_section_edit_cannot_reduce_seats_below_a_quota_minimum(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    url = reverse("elections:section_edit", args=["nec-test", "clp"])

    response = client.post(url, _section_edit_data(seats="3"))

    assert response.status_code == 400
    assert _error(response, "seats") == (
        "At least 4 women cannot be elected to 3 seat(s): lower the minimum or add seats."
    )
    assert Section.objects.get(pk=setup["section"].pk).seats == 9


def test_section_edit_keeps_seats_rule_and_quotas_once_a_result_is_stored(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    _result_store(setup["section"], ["Ann Ash", "Bob Bay"])
    url = reverse("elections:section_edit", args=["nec-test", "clp"])

    response = client.post(url, _section_edit_data(seats="10"))
    renamed = client.post(url, _section_edit_data(name="CLP section"))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The section has a result counted with its seats, rule and quotas: they cannot change now."
    ]
    assert renamed.status_code == 302
    section = Section.objects.get(pk=setup["section"].pk)
    assert (section.seats, section.name) == (9, "CLP section")


def test_section_delete_deletes_its_candidates_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    youth = section_get(setup["election"], "youth")
    candidates_create(youth, [("Cy Cole", "M")])

    response = client.post(reverse("elections:section_delete", args=["nec-test", "youth"]))

    assert response.status_code == 302
    assert not Section.objects.filter(pk=youth.pk).exists()
    assert not Candidate.objects.filter(name="Cy Cole").exists()
    entry = AuditEntry.objects.get(action="section.delete")
    assert (entry.object_id, entry.summary) == (
        str(youth.pk),
        f"election {setup['election'].pk}, 1 candidates",
    )


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        pytest.param(
            lambda s: _nominate(s["section"], s["ann"]),
            "The section has 1 nomination(s): it cannot be deleted.",
            id="nominations",
        ),
        pytest.param(
            lambda s: _result_store(s["section"], ["Ann Ash", "Bob Bay"]),
            "The section has a result: it cannot be deleted.",
            id="result",
        ),
        pytest.param(
            lambda s: nominations_submit(
                actor=User.objects.get(is_superuser=True),
                organisation=organisation_create(),
                section=s["section"],
                people=[("Di Dean", "F")],
            ),
            "The section has nominations by affiliates: it cannot be deleted.",
            id="slate-nominations",
        ),
    ],
)
def test_section_delete_refused_while_data_depends_on_it(
    client: Client, organiser: User, setup: dict[str, Any], arrange: Any, message: str
) -> None:
    User.objects.create_superuser(email="root@example.org", name="Root")
    arrange(setup)

    response = client.post(
        reverse("elections:section_delete", args=["nec-test", "clp"]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "elections:section_edit", args=["nec-test", "clp"]
    )
    assert _messages(response) == [message]
    assert Section.objects.filter(pk=setup["section"].pk).exists()
    assert Candidate.objects.filter(section=setup["section"]).count() == 2
    assert not AuditEntry.objects.filter(action="section.delete").exists()


# Candidates.


def test_candidate_add_with_clp_by_gss_code(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    clp = _clp()
    url = reverse("elections:candidate_manage", args=["nec-test", "clp"])

    response = client.post(url, {"name": "Cy Cole", "gender": "X", "clp": clp.gss_code})

    candidate = Candidate.objects.get(name="Cy Cole")
    assert response.status_code == 302
    assert (candidate.section, candidate.gender, candidate.clp) == (setup["section"], "X", clp)
    entry = AuditEntry.objects.filter(action="candidate.create").latest("id")
    assert (entry.actor_id, entry.object_id) == (organiser.pk, str(candidate.pk))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {"name": "Cy Cole", "clp": "Atlantis"},
            "clp",
            "Not a CLP: give its name or GSS code.",
            id="unknown-clp",
        ),
        pytest.param(
            {"name": "ann ash"},
            "name",
            "This candidate is already standing in the section.",
            id="same-name",
        ),
        pytest.param(
            {"name": "Cy Cole", "gender": "Q"},
            "gender",
            "Select a valid choice. Q is not one of the available choices.",
            id="gender",
        ),
    ],
)
def test_candidate_add_refused_next_to_the_field(
    client: Client,
    *,
    organiser: User,
    setup: dict[str, Any],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    url = reverse("elections:candidate_manage", args=["nec-test", "clp"])

    response = client.post(url, data)

    assert response.status_code == 400
    assert _error(response, field) == message
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Candidate.objects.filter(section=setup["section"]).count() == 2


def test_candidate_edit_saves_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    clp = _clp()
    url = reverse("elections:candidate_edit", args=["nec-test", "clp", setup["bob"].pk])

    response = client.post(url, {"name": "Bob Baywood", "gender": "M", "clp": clp.name})

    bob = Candidate.objects.get(pk=setup["bob"].pk)
    assert response.status_code == 302
    assert (bob.name, bob.clp) == ("Bob Baywood", clp)
    assert AuditEntry.objects.get(action="candidate.update").summary == "name, clp"


def test_candidate_named_in_the_result_keeps_their_name(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    _result_store(setup["section"], ["Ann Ash", "Bob Bay"])
    url = reverse("elections:candidate_edit", args=["nec-test", "clp", setup["bob"].pk])

    response = client.post(url, {"name": "Bob Baywood", "gender": "M"})

    assert response.status_code == 400
    assert _error(response, "name") == (
        "The section's result names this candidate: their name cannot change."
    )
    assert Candidate.objects.get(pk=setup["bob"].pk).name == "Bob Bay"


def test_candidate_delete_takes_them_off_slates_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    ann = setup["ann"]
    url = reverse("elections:candidate_delete", args=["nec-test", "clp", ann.pk])

    response = client.post(url)

    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=ann.pk).exists()
    assert not SlateMembership.objects.exists()
    entry = AuditEntry.objects.get(action="candidate.delete")
    assert (entry.actor_id, entry.object_id) == (organiser.pk, str(ann.pk))


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        pytest.param(
            lambda s: _nominate(s["section"], s["ann"]),
            "Ann Ash has 1 nomination(s): they cannot be removed.",
            id="nominations",
        ),
        pytest.param(
            lambda s: _result_store(s["section"], ["Ann Ash", "Bob Bay"]),
            "The section's result names Ann Ash: they cannot be removed.",
            id="result",
        ),
    ],
)
def test_candidate_delete_refused_while_data_depends_on_them(
    client: Client, organiser: User, setup: dict[str, Any], arrange: Any, message: str
) -> None:
    arrange(setup)
    url = reverse("elections:candidate_delete", args=["nec-test", "clp", setup["ann"].pk])

    response = client.post(url, follow=True)

    assert _messages(response) == [message]
    assert Candidate.objects.filter(pk=setup["ann"].pk).exists()
    assert not AuditEntry.objects.filter(action="candidate.delete").exists()


# Slates.


def test_slate_record_stores_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    url = reverse("elections:slate_manage", args=["nec-test"])

    response = client.post(
        url, {"name": "Green", "organisation": "Green Left", "colour": "#2E8B57"}
    )

    slate = Slate.objects.get(name="Green")
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:slate_edit", args=["nec-test", slate.pk])
    assert (slate.organisation, slate.colour, slate.position) == ("Green Left", "#2e8b57", 1)
    entry = AuditEntry.objects.filter(action="slate.create").latest("id")
    assert (entry.actor_id, entry.object_id) == (organiser.pk, str(slate.pk))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {"name": "red", "colour": "#aa0000"},
            "name",
            "A slate with this name is already recorded.",
            id="same-name",
        ),
        pytest.param(
            {"name": "Green", "colour": "green"},
            "colour",
            "Give a colour as # and six hex digits, e.g. #c0392b.",
            id="colour",
        ),
    ],
)
def test_slate_record_refused_next_to_the_field(
    client: Client,
    *,
    organiser: User,
    setup: dict[str, Any],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client.post(reverse("elections:slate_manage", args=["nec-test"]), data)

    assert response.status_code == 400
    assert _error(response, field) == message
    assert Slate.objects.count() == 1


def test_slate_edit_saves_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate = setup["slate"]
    url = reverse("elections:slate_edit", args=["nec-test", slate.pk])

    response = client.post(url, {"name": "Red", "organisation": "Red Left", "colour": "#CC0000"})

    slate.refresh_from_db()
    assert response.status_code == 302
    assert (slate.organisation, slate.colour) == ("Red Left", "#cc0000")
    assert AuditEntry.objects.get(action="slate.update").summary == "organisation, colour"


def test_slate_edit_refuses_another_slates_name(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    green = services.slate_create(actor=None, election=setup["election"], name="Green")
    url = reverse("elections:slate_edit", args=["nec-test", green.pk])

    response = client.post(url, {"name": "RED", "colour": "#00aa00"})

    assert response.status_code == 400
    assert _error(response, "name") == "A slate with this name is already recorded."
    assert Slate.objects.get(pk=green.pk).name == "Green"


def test_slate_member_add_records_source_and_date(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate, bob = setup["slate"], setup["bob"]
    url = reverse("elections:slate_member_add", args=["nec-test", slate.pk])

    response = client.post(
        url, {"candidate": bob.pk, "source": "https://example.org/red", "endorsed_on": "2026-02-01"}
    )

    membership = SlateMembership.objects.get(slate=slate, candidate=bob)
    assert response.status_code == 302
    assert (membership.source, membership.endorsed_on) == (
        "https://example.org/red",
        datetime.date(2026, 2, 1),
    )
    entry = AuditEntry.objects.filter(action="slate.member_add").latest("id")
    assert (entry.actor_id, entry.summary) == (organiser.pk, f"candidate {bob.pk}")


def test_slate_member_add_offers_only_candidates_not_on_the_slate(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate, ann = setup["slate"], setup["ann"]
    url = reverse("elections:slate_member_add", args=["nec-test", slate.pk])

    response = client.post(url, {"candidate": ann.pk})

    assert response.status_code == 400
    assert _error(response, "candidate") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert 'id="id_candidate_error"' in response.content.decode()
    assert list(response.context["member_form"].fields["candidate"].queryset) == [setup["bob"]]
    assert SlateMembership.objects.count() == 1


def test_slate_member_add_refuses_a_candidate_of_another_election(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    other = section_get(election_create("nec-other"))
    stranger = candidates_create(other, [("Zed Zee", "M")])["Zed Zee"]
    url = reverse("elections:slate_member_add", args=["nec-test", setup["slate"].pk])

    response = client.post(url, {"candidate": stranger.pk})

    assert response.status_code == 400
    assert _error(response, "candidate") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not SlateMembership.objects.filter(candidate=stranger).exists()


def test_slate_member_remove_takes_the_candidate_off_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    membership = setup["membership"]
    url = reverse(
        "elections:slate_member_remove", args=["nec-test", setup["slate"].pk, membership.pk]
    )

    response = client.post(url, follow=True)

    assert _messages(response) == ["Took Ann Ash off Red."]
    assert not SlateMembership.objects.exists()
    assert Candidate.objects.filter(pk=setup["ann"].pk).exists()
    entry = AuditEntry.objects.get(action="slate.member_remove")
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        organiser.pk,
        str(setup["slate"].pk),
        f"candidate {setup['ann'].pk}",
    )


def test_slate_member_remove_of_another_slate_is_404(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    green = services.slate_create(actor=None, election=setup["election"], name="Green")
    url = reverse(
        "elections:slate_member_remove", args=["nec-test", green.pk, setup["membership"].pk]
    )

    response = client.post(url)

    assert response.status_code == 404
    assert SlateMembership.objects.count() == 1


# Services refuse on their own too (the forms check first).


def test_section_create_service_refuses_an_unknown_quota_category() -> None:
    election = election_create()

    with pytest.raises(services.DomainError) as err:
        election_setup.section_create(
            actor=None,
            election=election,
            slug="x",
            name="X",
            seats=3,
            rule="scottish",
            quotas={"Q": {"min": 1}},
            nomination_threshold=1,
        )

    assert err.value.message == "Quotas are by gender: 'Q' is not one."
    assert not Section.objects.filter(slug="x").exists()


# Links.


def test_organise_index_links_the_election_setup_for_organisers_only(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    link = f'<a href="{reverse("elections:election_manage_list")}">Party elections</a>'
    client.force_login(make_role_holder(Role.ORGANISER))
    organiser_page = client.get("/organise/").content.decode()
    client.force_login(make_role_holder(Role.COMMITTEE))
    committee_page = client.get("/organise/").content.decode()

    assert link in organiser_page
    assert link not in committee_page


def test_election_list_links_setup_for_organisers_only(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    election_create()
    link = f'href="{reverse("elections:election_organise", args=["nec-test"])}"'
    anonymous_page = client.get(reverse("elections:party_election_list")).content.decode()
    client.force_login(make_role_holder(Role.ORGANISER))
    organiser_page = client.get(reverse("elections:party_election_list")).content.decode()

    assert link in organiser_page
    assert link not in anonymous_page


def test_election_setup_page_links_each_sections_pages(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    response = client.get(reverse("elections:election_organise", args=["nec-test"]))

    html = response.content.decode()
    for page in ("section_edit", "candidate_manage", "nomination_record", "result_import"):
        assert f'href="{reverse(f"elections:{page}", args=["nec-test", "clp"])}"' in html
    assert f'href="{reverse("elections:slate_edit", args=["nec-test", setup["slate"].pk])}"' in html
    assert "<td>at least 4 women</td>" in html


# Query counts: each list page costs the same for 1 and 3 items.
# session, user, supporter?, groups: 4 for every logged-in organiser page.


@pytest.mark.parametrize("item_count", [1, 3])
def test_election_manage_list_queries_are_fixed(
    client: Client,
    organiser: User,
    django_assert_num_queries: Callable[..., Any],
    item_count: int,
) -> None:
    for number in range(item_count):
        election_create(slug=f"nec-{number}")

    with django_assert_num_queries(6):  # 4 + elections, sections
        response = client.get(reverse("elections:election_manage_list"))

    assert len(response.context["elections"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_election_setup_page_queries_are_fixed(
    client: Client,
    organiser: User,
    django_assert_num_queries: Callable[..., Any],
    item_count: int,
) -> None:
    election = election_create()
    for number in range(item_count):
        slate_with(election, f"Slate {number}", [])

    with django_assert_num_queries(7):  # 4 + election, sections, slates
        response = client.get(reverse("elections:election_organise", args=["nec-test"]))

    assert len(response.context["slates"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_candidate_manage_queries_are_fixed(
    client: Client,
    organiser: User,
    django_assert_num_queries: Callable[..., Any],
    item_count: int,
) -> None:
    election = election_create()
    section = section_get(election)
    people = candidates_create(section, [(f"Person {i}", "F") for i in range(item_count)])
    slate_with(election, "Red", list(people.values()))

    with django_assert_num_queries(7):  # 4 + section, candidates, their slates
        response = client.get(reverse("elections:candidate_manage", args=["nec-test", "clp"]))

    assert len(response.context["candidates"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_slate_manage_queries_are_fixed(
    client: Client,
    organiser: User,
    django_assert_num_queries: Callable[..., Any],
    item_count: int,
) -> None:
    election = election_create()
    for number in range(item_count):
        slate_with(election, f"Slate {number}", [])

    with django_assert_num_queries(6):  # 4 + election, slates
        response = client.get(reverse("elections:slate_manage", args=["nec-test"]))

    assert len(response.context["slates"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_slate_edit_queries_are_fixed(
    client: Client,
    organiser: User,
    django_assert_num_queries: Callable[..., Any],
    item_count: int,
) -> None:
    election = election_create()
    people = candidates_create(
        section_get(election), [(f"Person {i}", "F") for i in range(item_count + 1)]
    )
    slate = slate_with(election, "Red", list(people.values())[:item_count])

    with django_assert_num_queries(7):  # 4 + slate, members, candidates to offer
        response = client.get(reverse("elections:slate_edit", args=["nec-test", slate.pk]))

    assert len(response.context["memberships"]) == item_count


# Refusals the delete collector finds: rows the slates app holds.

NOMINEES = [("Cy Cole", "M"), ("Di Dean", "F"), ("Ed Elm", "M")]
RANKINGS = [("Cy Cole", "Di Dean"), ("Cy Cole", "Ed Elm"), ("Di Dean", "Cy Cole")]


def _slate_ballot_closed(section: Section, actor: User) -> Any:
    """A slate ballot for two of three nominees, voted and closed (not yet published)."""
    nominations_submit(
        actor=actor, organisation=organisation_create(), section=section, people=NOMINEES
    )
    for _ in RANKINGS:
        supporter_create(clp=_clp())
    ballot, _ = slate_ballot_voted(actor=actor, section=section, slate_size=2, rankings=RANKINGS)
    return ballot


def _published_slate(section: Section, actor: User) -> Slate:
    """The alliance's slate published from a slate ballot: its winners hold slate places."""
    ballot = _slate_ballot_closed(section, actor)
    ballot_services.ballot_publish(actor=actor, ballot=ballot)
    return slate_services.slate_publish(actor=actor, ballot=ballot)


def test_candidate_on_a_published_slate_cannot_be_deleted(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    _published_slate(setup["section"], organiser)
    place = SlatePlace.objects.select_related("candidate").order_by("position").first()
    assert place is not None
    url = reverse("elections:candidate_delete", args=["nec-test", "clp", place.candidate.pk])

    response = client.post(url, follow=True)

    assert response.redirect_chain[0][0] == reverse(
        "elections:candidate_edit", args=["nec-test", "clp", place.candidate.pk]
    )
    assert _messages(response) == [
        f"{place.candidate.name} has places on a published slate: they cannot be removed."
    ]
    assert Candidate.objects.filter(pk=place.candidate.pk).exists()
    assert SlatePlace.objects.count() == 2
    assert SlateMembership.objects.filter(candidate=place.candidate).count() == 1
    assert not AuditEntry.objects.filter(action="candidate.delete").exists()


def test_section_with_a_slate_ballot_cannot_be_deleted(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    _slate_ballot_closed(setup["section"], organiser)

    response = client.post(
        reverse("elections:section_delete", args=["nec-test", "clp"]), follow=True
    )

    assert _messages(response) == [
        "The section has nominations by affiliates, slate ballots: it cannot be deleted."
    ]
    assert Section.objects.filter(pk=setup["section"].pk).exists()
    assert Candidate.objects.filter(section=setup["section"]).count() == 2
    assert SlateSelection.objects.filter(section=setup["section"]).count() == 1
    assert not AuditEntry.objects.filter(action="section.delete").exists()


# Deleting a slate.


def test_slate_delete_takes_its_candidates_off_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate = setup["slate"]

    response = client.post(
        reverse("elections:slate_delete", args=["nec-test", slate.pk]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse("elections:slate_manage", args=["nec-test"])
    assert _messages(response) == ["Deleted the slate Red."]
    assert not Slate.objects.filter(pk=slate.pk).exists()
    assert not SlateMembership.objects.exists()
    assert Candidate.objects.filter(pk=setup["ann"].pk).exists()
    entry = AuditEntry.objects.get(action="slate.delete")
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        organiser.pk,
        str(slate.pk),
        f"election {setup['election'].pk}, 1 candidates",
    )


def _endorse(slate: Slate) -> None:
    slate_services.endorsement_record(
        actor=User.objects.get(is_superuser=True),
        organisation=organisation_create(),
        slate=slate,
        endorsed_on=DAY,
        source="https://example.org/endorse",
    )


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        pytest.param(
            lambda s: _result_store(s["section"], ["Ann Ash", "Bob Bay"]),
            "A stored result names 1 of the slate's candidate(s) and is analysed by slate: "
            "the slate cannot be deleted.",
            id="result",
        ),
        pytest.param(
            lambda s: _endorse(s["slate"]),
            "The slate has endorsements: it cannot be deleted.",
            id="endorsements",
        ),
    ],
)
def test_slate_delete_refused_while_data_depends_on_it(
    client: Client, organiser: User, setup: dict[str, Any], arrange: Any, message: str
) -> None:
    User.objects.create_superuser(email="root@example.org", name="Root")
    arrange(setup)
    slate = setup["slate"]

    response = client.post(
        reverse("elections:slate_delete", args=["nec-test", slate.pk]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "elections:slate_edit", args=["nec-test", slate.pk]
    )
    assert _messages(response) == [message]
    assert Slate.objects.filter(pk=slate.pk).exists()
    assert SlateMembership.objects.filter(slate=slate).count() == 1
    assert Endorsement.objects.count() == (1 if "endorsements" in message else 0)
    assert not AuditEntry.objects.filter(action="slate.delete").exists()


def test_slate_delete_refused_for_a_published_slate(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate = _published_slate(setup["section"], organiser)

    response = client.post(
        reverse("elections:slate_delete", args=["nec-test", slate.pk]), follow=True
    )

    assert _messages(response) == ["The slate has slate ballots: it cannot be deleted."]
    assert SlateMembership.objects.filter(slate=slate).count() == 2
    assert SlateSelection.objects.get().slate == slate
    assert not AuditEntry.objects.filter(action="slate.delete").exists()


def test_slate_delete_ignores_a_result_of_candidates_not_on_it(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    # Bob is not on Red: a result naming only him does not hold the slate.
    _result_store(setup["section"], ["Bob Bay"])

    response = client.post(reverse("elections:slate_delete", args=["nec-test", setup["slate"].pk]))

    assert response.status_code == 302
    assert not Slate.objects.exists()


def test_slate_edit_page_offers_the_delete(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    slate = setup["slate"]

    response = client.get(reverse("elections:slate_edit", args=["nec-test", slate.pk]))

    html = response.content.decode()
    assert f'action="{reverse("elections:slate_delete", args=["nec-test", slate.pk])}"' in html
    edit = reverse(
        "elections:slate_member_edit", args=["nec-test", slate.pk, setup["membership"].pk]
    )
    assert f'href="{edit}"' in html


# Deleting an election.


def test_election_delete_deletes_sections_candidates_and_slates_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    election = setup["election"]

    response = client.post(
        reverse("elections:party_election_delete", args=["nec-test"]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse("elections:election_manage_list")
    assert _messages(response) == ["Deleted the election NEC elections (test)."]
    assert not PartyElection.objects.exists()
    assert (Section.objects.count(), Candidate.objects.count(), Slate.objects.count()) == (0, 0, 0)
    assert not SlateMembership.objects.exists()
    entry = AuditEntry.objects.get(action="party_election.delete")
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        organiser.pk,
        str(election.pk),
        "6 sections, 2 candidates, 1 slates",
    )


def test_election_delete_leaves_other_elections_alone(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    other = election_create("nec-other")
    candidates_create(section_get(other), [("Ann Ash", "F")])

    client.post(reverse("elections:party_election_delete", args=["nec-test"]))

    assert list(PartyElection.objects.values_list("slug", flat=True)) == ["nec-other"]
    assert Candidate.objects.get().section.election == other


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        pytest.param(
            lambda s: _nominate(s["section"], s["ann"]),
            "Sections with nominations or a result: CLP representatives. "
            "The election cannot be deleted.",
            id="nominations",
        ),
        pytest.param(
            lambda s: (
                _result_store(s["section"], ["Ann Ash", "Bob Bay"]),
                _nominate(section_get(s["election"], "youth"), _youth(s)),
            ),
            "Sections with nominations or a result: CLP representatives, Youth representative. "
            "The election cannot be deleted.",
            id="result-and-nominations",
        ),
        pytest.param(
            lambda s: nominations_submit(
                actor=User.objects.get(is_superuser=True),
                organisation=organisation_create(),
                section=section_get(s["election"], "youth"),
                people=[("Di Dean", "F")],
            ),
            "The election has nominations by affiliates: it cannot be deleted.",
            id="slate-nominations",
        ),
        pytest.param(
            lambda s: _endorse(s["slate"]),
            "The election has endorsements: it cannot be deleted.",
            id="endorsements",
        ),
    ],
)
def test_election_delete_refused_while_data_depends_on_it(
    client: Client, organiser: User, setup: dict[str, Any], arrange: Any, message: str
) -> None:
    User.objects.create_superuser(email="root@example.org", name="Root")
    arrange(setup)

    response = client.post(
        reverse("elections:party_election_delete", args=["nec-test"]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "elections:party_election_edit", args=["nec-test"]
    )
    assert _messages(response) == [message]
    assert PartyElection.objects.filter(pk=setup["election"].pk).exists()
    assert Section.objects.filter(election=setup["election"]).count() == 6
    assert Slate.objects.filter(pk=setup["slate"].pk).exists()
    assert not AuditEntry.objects.filter(action="party_election.delete").exists()


def _youth(s: dict[str, Any]) -> Candidate:
    return services.candidate_create(
        actor=None, section=section_get(s["election"], "youth"), name="Yo Young"
    )


def test_election_edit_page_offers_the_delete(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    response = client.get(reverse("elections:party_election_edit", args=["nec-test"]))

    action = reverse("elections:party_election_delete", args=["nec-test"])
    assert f'action="{action}"' in response.content.decode()


# Correcting a slate membership's source and date.


def test_slate_member_edit_saves_source_and_date_and_audits(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    membership = setup["membership"]
    url = reverse(
        "elections:slate_member_edit", args=["nec-test", setup["slate"].pk, membership.pk]
    )

    page = client.get(url)
    response = client.post(
        url, {"source": " https://example.org/red ", "endorsed_on": "2026-03-01"}, follow=True
    )

    assert page.context["form"].initial == {"source": "test", "endorsed_on": None}
    assert response.redirect_chain[0][0] == reverse(
        "elections:slate_edit", args=["nec-test", setup["slate"].pk]
    )
    assert _messages(response) == ["Saved Ann Ash's endorsement."]
    membership.refresh_from_db()
    assert (membership.source, membership.endorsed_on) == (
        "https://example.org/red",
        datetime.date(2026, 3, 1),
    )
    assert (membership.slate, membership.candidate) == (setup["slate"], setup["ann"])
    entry = AuditEntry.objects.get(action="slate.member_update")
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        organiser.pk,
        str(setup["slate"].pk),
        f"candidate {setup['ann'].pk}: source, endorsed_on",
    )


def test_slate_member_edit_without_a_change_writes_no_audit(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    url = reverse(
        "elections:slate_member_edit",
        args=["nec-test", setup["slate"].pk, setup["membership"].pk],
    )

    response = client.post(url, {"source": "test", "endorsed_on": ""})

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="slate.member_update").exists()


def test_slate_member_edit_refuses_a_bad_date_next_to_the_field(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    membership = setup["membership"]
    url = reverse(
        "elections:slate_member_edit", args=["nec-test", setup["slate"].pk, membership.pk]
    )

    response = client.post(url, {"source": "elsewhere", "endorsed_on": "1 March"})

    assert response.status_code == 400
    assert _error(response, "endorsed_on") == "Enter a valid date."
    assert 'id="id_endorsed_on_error"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.source == "test"
    assert not AuditEntry.objects.filter(action="slate.member_update").exists()


def test_slate_member_edit_of_another_slate_is_404(
    client: Client, organiser: User, setup: dict[str, Any]
) -> None:
    green = services.slate_create(actor=None, election=setup["election"], name="Green")
    url = reverse(
        "elections:slate_member_edit", args=["nec-test", green.pk, setup["membership"].pk]
    )

    response = client.post(url, {"source": "elsewhere"})

    assert response.status_code == 404
    assert SlateMembership.objects.get().source == "test"


def test_slate_membership_update_refuses_a_membership_already_removed(
    setup: dict[str, Any],
) -> None:
    membership = setup["membership"]
    election_setup.slate_membership_remove(actor=None, membership=membership)

    with pytest.raises(services.DomainError) as err:
        election_setup.slate_membership_update(
            actor=None, membership=membership, source="x", endorsed_on=None
        )

    assert err.value.message == "The candidate is no longer on this slate."
    assert not AuditEntry.objects.filter(action="slate.member_update").exists()


@pytest.mark.parametrize(
    ("page", "args"),
    [
        pytest.param("slate_delete", lambda s: ["nec-test", s["slate"].pk], id="slate"),
        pytest.param("party_election_delete", lambda s: ["nec-test"], id="election"),
    ],
)
def test_new_deletes_by_get_are_refused(
    client: Client, organiser: User, setup: dict[str, Any], page: str, args: Any
) -> None:
    response = client.get(reverse(f"elections:{page}", args=args(setup)))

    assert response.status_code == 405
    assert Slate.objects.filter(pk=setup["slate"].pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".delete").exists()
