"""Adding and changing a candidate, a slate or a section are checked by one function each:
the same input is refused with the same message on both paths, and stored the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections import setup as election_setup
from grassroots.web.elections.models import Candidate, PartyElection, Section, Slate
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import candidates_create, election_create, section_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def election() -> PartyElection:
    """The reference election, with Ann Ash standing in its CLP section and a Red slate."""
    election = election_create()
    candidates_create(section_get(election), [("Ann Ash", "F")])
    services.slate_create(actor=None, election=election, name="Red", colour="#aa0000")
    return election


def _refusal(action: Callable[[], object]) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as err:
        action()
    return err.value.field, err.value.message


def _northern_ireland() -> Constituency:
    return Constituency.objects.filter(gss_code__startswith="N").order_by("gss_code")[0]


# Candidates --------------------------------------------------------------------------------

CANDIDATE_REFUSALS = [
    pytest.param({"name": "  "}, ("name", "Enter the candidate's name."), id="no name"),
    pytest.param(
        {"name": "ann ASH"},
        ("name", "This candidate is already standing in the section."),
        id="same name in another case",
    ),
    pytest.param({"gender": "W"}, ("gender", "Choose one of the listed genders."), id="gender"),
    pytest.param(
        {"clp": "northern ireland"},
        ("clp", "There are no CLPs in Northern Ireland."),
        id="northern ireland",
    ),
]


@pytest.mark.parametrize(("given", "refusal"), CANDIDATE_REFUSALS)
def test_candidate_add_and_change_refuse_alike(
    election: PartyElection, given: dict[str, Any], refusal: tuple[str, str]
) -> None:
    section = section_get(election)
    bob = candidates_create(section, [("Bob Bay", "M")])["Bob Bay"]
    values: dict[str, Any] = {"name": "Cy Cole", "gender": "M", "clp": None} | given
    if values["clp"] == "northern ireland":
        values["clp"] = _northern_ireland()

    added = _refusal(lambda: services.candidate_create(actor=None, section=section, **values))
    changed = _refusal(lambda: election_setup.candidate_update(actor=None, candidate=bob, **values))

    assert added == changed == refusal
    assert sorted(Candidate.objects.values_list("name", flat=True)) == ["Ann Ash", "Bob Bay"]
    bob.refresh_from_db()
    assert (bob.name, bob.gender, bob.clp) == ("Bob Bay", "M", None)


def test_candidate_add_and_change_store_the_name_stripped(election: PartyElection) -> None:
    section = section_get(election)

    added = services.candidate_create(actor=None, section=section, name="  Cy Cole ", gender="M")
    election_setup.candidate_update(
        actor=None, candidate=added, name=" Cy Cole-Hart  ", gender="M", clp=None
    )

    added.refresh_from_db()
    assert added.name == "Cy Cole-Hart"


# Slates ------------------------------------------------------------------------------------

SLATE_REFUSALS = [
    pytest.param({"name": ""}, ("name", "Enter the slate's name."), id="no name"),
    pytest.param(
        {"name": " red "},
        ("name", "A slate with this name is already recorded."),
        id="same name in another case",
    ),
    pytest.param(
        {"colour": "red"},
        ("colour", "Give a colour as # and six hex digits, e.g. #c0392b."),
        id="colour by name",
    ),
    pytest.param(
        {"colour": "#12345"},
        ("colour", "Give a colour as # and six hex digits, e.g. #c0392b."),
        id="five digits",
    ),
]


@pytest.mark.parametrize(("given", "refusal"), SLATE_REFUSALS)
def test_slate_add_and_change_refuse_alike(
    election: PartyElection, given: dict[str, Any], refusal: tuple[str, str]
) -> None:
    blue = services.slate_create(actor=None, election=election, name="Blue", colour="#0000aa")
    values: dict[str, Any] = {"name": "Green", "organisation": "", "colour": "#00aa00"} | given

    added = _refusal(lambda: services.slate_create(actor=None, election=election, **values))
    changed = _refusal(lambda: election_setup.slate_update(actor=None, slate=blue, **values))

    assert added == changed == refusal
    assert sorted(Slate.objects.values_list("name", "colour")) == [
        ("Blue", "#0000aa"),
        ("Red", "#aa0000"),
    ]


def test_slate_colour_is_stored_in_lower_case_when_added_and_when_changed(
    client: Client, make_role_holder: Callable[[Role], User], election: PartyElection
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))

    client.post(
        reverse("elections:slate_manage", args=["nec-test"]),
        {"name": "Green", "organisation": " Green Left ", "colour": "#2E8B57"},
    )
    green = Slate.objects.get(name="Green")
    added = (green.organisation, green.colour)
    response = client.post(
        reverse("elections:slate_edit", args=["nec-test", green.pk]),
        {"name": "Green", "organisation": "Green Left", "colour": "#C0392B"},
    )

    assert response.status_code == 302
    green.refresh_from_db()
    assert added == ("Green Left", "#2e8b57")
    assert green.colour == "#c0392b"


def test_slate_colour_in_another_case_is_no_change(election: PartyElection) -> None:
    red = Slate.objects.get(name="Red")

    changed = election_setup.slate_update(
        actor=None, slate=red, name="Red", organisation="", colour="#AA0000"
    )

    assert changed == []


# Sections ----------------------------------------------------------------------------------

SECTION_REFUSALS = [
    pytest.param({"name": " "}, ("name", "Enter the section's name."), id="no name"),
    pytest.param({"rule": "borda"}, ("rule", "Choose one of the listed rules."), id="rule"),
    pytest.param({"seats": 0}, ("seats", "A section has at least one seat."), id="no seats"),
    pytest.param(
        {"nomination_threshold": -1},
        ("nomination_threshold", "The nomination threshold cannot be negative."),
        id="negative threshold",
    ),
    pytest.param(
        {"quotas": {"W": {"min": 1}}},
        (None, "Quotas are by gender: 'W' is not one."),
        id="quota not by gender",
    ),
    pytest.param(
        {"quotas": {"F": {"min": 3}}},
        (
            "seats",
            "At least 3 women cannot be elected to 2 seat(s): lower the minimum or add seats.",
        ),
        id="minimum above the seats",
    ),
    pytest.param(
        {"rule": "irv"},
        ("rule", "Instant runoff elects one: set one seat or choose an STV rule."),
        id="irv with two seats",
    ),
]


@pytest.mark.parametrize(("given", "refusal"), SECTION_REFUSALS)
def test_section_add_and_change_refuse_alike(
    election: PartyElection, given: dict[str, Any], refusal: tuple[str | None, str]
) -> None:
    section = section_get(election)
    before = Section.objects.values().get(pk=section.pk)
    values: dict[str, Any] = {
        "name": "Women's",
        "seats": 2,
        "rule": "scottish",
        "quotas": {},
        "nomination_threshold": 5,
    } | given

    added = _refusal(
        lambda: election_setup.section_create(
            actor=None, election=election, slug="womens", **values
        )
    )
    changed = _refusal(lambda: election_setup.section_update(actor=None, section=section, **values))

    assert added == changed == refusal
    assert not Section.objects.filter(slug="womens").exists()
    assert Section.objects.values().get(pk=section.pk) == before


def test_section_add_and_change_store_quotas_alike(election: PartyElection) -> None:
    quotas = {"F": {"min": 1, "max": None}, "M": {"min": 0}}

    added = election_setup.section_create(
        actor=None,
        election=election,
        slug="womens",
        name=" Women's ",
        seats=2,
        rule="meek",
        quotas=quotas,
        nomination_threshold=3,
    )
    clp = section_get(election)
    election_setup.section_update(
        actor=None,
        section=clp,
        name=" CLP ",
        seats=clp.seats,
        rule=clp.rule,
        quotas=quotas,
        nomination_threshold=clp.nomination_threshold,
    )

    added.refresh_from_db()
    clp.refresh_from_db()
    assert (added.name, added.quotas) == ("Women's", {"F": {"min": 1}})
    assert (clp.name, clp.quotas) == ("CLP", {"F": {"min": 1}})
