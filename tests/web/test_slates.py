"""Slate selection: affiliates nominate, a slate ballot (reduced or full) chooses with the
section's quota scaled, and the published slate takes the engine's order of election."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Electorate, Method
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Candidate, Section, Slate, SlateMembership
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.slates import access, services
from grassroots.web.slates.models import Endorsement, SlateNomination, SlateSelection
from grassroots.web.slates.quotas import quotas_scale
from tests.web.election_factories import election_create, section_get
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)
from tests.web.slate_factories import nominations_submit, slate_ballot_voted

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Ann Ash", "F"),
    ("Bea Birch", "F"),
    ("Cal Cedar", "M"),
    ("Dev Dale", "M"),
    ("Eve Elm", "F"),
    ("Fin Fir", "M"),
]


@pytest.fixture
def section() -> Section:
    return section_get(election_create())  # the CLP section: 9 seats, at least 4 women


@pytest.fixture
def organiser() -> User:
    return role_holder_create(Role.ORGANISER)


# --- nominations: who may nominate -----------------------------------------------------------

PERSONAS = [
    "public",
    "supporter",
    "representative",
    "other_representative",
    "former_representative",
    "organiser",
    "committee",
    "administrator",
]
MAY_NOMINATE = {"representative", "organiser", "administrator"}


def _persona(name: str, organisation, clp: Constituency) -> User | AnonymousUser:
    def represent(org, *, ended: bool = False) -> User:
        supporter = supporter_create(clp=clp)
        rep = representative_create(organisation=org, supporter=supporter)
        if ended:
            rep.ended_on = timezone.localdate()
            rep.save()
        return supporter.user

    makers: dict[str, Callable[[], User | AnonymousUser]] = {
        "public": AnonymousUser,
        "supporter": lambda: supporter_create(clp=clp).user,
        "representative": lambda: represent(organisation),
        "other_representative": lambda: represent(organisation_create()),
        "former_representative": lambda: represent(organisation, ended=True),
        "organiser": lambda: role_holder_create(Role.ORGANISER),
        "committee": lambda: role_holder_create(Role.COMMITTEE),
        "administrator": lambda: role_holder_create(Role.ADMINISTRATOR),
    }
    return makers[name]()


@pytest.mark.parametrize("persona", PERSONAS)
def test_slate_nomination_access_matrix(persona: str, section: Section, clp) -> None:
    organisation = organisation_create()
    user = _persona(persona, organisation, clp)

    allowed = access.organisation_may_nominate(user, organisation)

    assert allowed == (persona in MAY_NOMINATE)
    if isinstance(user, User) and allowed:
        services.slate_nomination_submit(
            actor=user, organisation=organisation, section=section, name="Ann Ash", gender="F"
        )
        assert SlateNomination.objects.count() == 1
    elif isinstance(user, User):
        with pytest.raises(DomainError, match="You may not do this"):
            services.slate_nomination_submit(
                actor=user, organisation=organisation, section=section, name="Ann Ash", gender="F"
            )
        assert SlateNomination.objects.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_slate_nominate_page_by_persona(
    persona: str, section: Section, clp, client: Client
) -> None:
    organisation = organisation_create()
    user = _persona(persona, organisation, clp)
    if isinstance(user, User):
        client.force_login(user)
    url = reverse("slates:nominate", args=(section.election.slug, section.slug))

    response = client.post(
        url, {"organisation": organisation.pk, "name": "Ann Ash", "gender": "F", "clp": ""}
    )

    if persona in MAY_NOMINATE:
        assert response.status_code == 302
        assert list(SlateNomination.objects.values_list("name", "organisation")) == [
            ("Ann Ash", organisation.pk)
        ]
    else:
        # Anonymous: to the login page. Another organisation's representative may nominate,
        # but only for their own: the organisation is not a choice on their form.
        refused = {"public": 302, "other_representative": 400}.get(persona, 404)
        assert response.status_code == refused
        assert SlateNomination.objects.count() == 0


def test_slate_nomination_section_access_same_error_for_missing(clp) -> None:
    organiser = role_holder_create(Role.ORGANISER)
    election_create()

    with pytest.raises(Http404):
        access.section_for_nominator(organiser, "nec-test", "no-such-section")
    with pytest.raises(Http404):
        access.section_for_nominator(supporter_create(clp=clp).user, "nec-test", "clp")


def test_slate_nomination_submit_stores_the_profile_and_audits(section: Section, clp) -> None:
    organisation = organisation_create()
    supporter = supporter_create(clp=clp)
    representative_create(organisation=organisation, supporter=supporter)

    nomination = services.slate_nomination_submit(
        actor=supporter.user,
        organisation=organisation,
        section=section,
        name="  Ann   Ash ",
        gender="F",
        clp=clp,
        statement="Twenty years a steward.",
    )

    stored = SlateNomination.objects.get()
    assert (stored.name, stored.gender, stored.clp, stored.statement, stored.organisation) == (
        "Ann Ash",
        "F",
        clp,
        "Twenty years a steward.",
        organisation,
    )
    assert stored.nominated_on == timezone.localdate()
    entry = AuditEntry.objects.get(action="slate_nomination.submit")
    assert (entry.actor_id, entry.object_id) == (supporter.user.pk, str(nomination.pk))


def test_slate_nomination_submit_refuses_a_repeat_and_a_disaffiliated_organisation(
    section: Section, organiser: User
) -> None:
    organisation = organisation_create()
    nominations_submit(
        actor=organiser, organisation=organisation, section=section, people=[("Ann Ash", "F")]
    )

    with pytest.raises(DomainError) as repeat:
        services.slate_nomination_submit(
            actor=organiser, organisation=organisation, section=section, name="ann ash", gender="F"
        )
    with pytest.raises(DomainError) as gone:
        services.slate_nomination_submit(
            actor=organiser,
            organisation=organisation_create(status="disaffiliated"),
            section=section,
            name="Bea Birch",
            gender="F",
        )

    assert repeat.value.field == "name"
    assert gone.value.message == "Only affiliated organisations nominate."
    assert SlateNomination.objects.count() == 1


def test_nominee_list_merges_organisations_nominating_the_same_person(
    section: Section, organiser: User, client: Client
) -> None:
    first, second = organisation_create(name="Unite Left"), organisation_create(name="Red Nurses")
    nominations_submit(actor=organiser, organisation=first, section=section, people=PEOPLE[:2])
    nominations_submit(
        actor=organiser, organisation=second, section=section, people=[("ANN ASH", "F")]
    )

    response = client.get(
        reverse("slates:nominee_list", args=(section.election.slug, section.slug))
    )

    nominees = response.context["nominees"]
    assert [(n.name, n.organisations) for n in nominees] == [
        ("Ann Ash", ["Unite Left", "Red Nurses"]),
        ("Bea Birch", ["Unite Left"]),
    ]


@pytest.mark.parametrize("item_count", [1, 3])
def test_nominee_list_queries_fixed(
    item_count: int, section: Section, organiser: User, client: Client, django_assert_num_queries
) -> None:
    for _ in range(item_count):
        nominations_submit(
            actor=organiser,
            organisation=organisation_create(),
            section=section,
            people=PEOPLE[:item_count],
        )
    url = reverse("slates:nominee_list", args=(section.election.slug, section.slug))

    # section; nominations with organisations and CLPs; the anonymous user has no roles
    with django_assert_num_queries(2):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["nominees"]) == item_count


# --- the slate ballot -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quotas", "seats", "size", "expected"),
    [
        ({"F": {"min": 4}}, 9, 9, {"F": {"min": 4}}),
        ({"F": {"min": 4}}, 9, 5, {"F": {"min": 3}}),
        ({"F": {"min": 4}}, 9, 2, {"F": {"min": 1}}),
        ({"F": {"min": 4}}, 9, 1, {"F": {"min": 1}}),
        ({"F": {"min": 0}}, 9, 5, {}),
        ({"M": {"max": 5}}, 9, 5, {"M": {"max": 2}}),
        ({"F": {"min": 2, "max": 3}}, 4, 1, {"F": {"min": 1, "max": 1}}),
    ],
)
def test_quotas_scale_rounds_minimum_up_and_maximum_down(
    quotas: dict[str, dict[str, int]], seats: int, size: int, expected: dict[str, object]
) -> None:
    assert quotas_scale(quotas, seats=seats, slate_size=size) == expected


def test_slate_ballot_create_reduced_slate_scales_the_quota(
    section: Section, organiser: User
) -> None:
    nominations_submit(
        actor=organiser, organisation=organisation_create(), section=section, people=PEOPLE
    )

    ballot = services.slate_ballot_create(
        actor=organiser,
        section=section,
        slate_size=5,
        closes_at=timezone.now() + timezone.timedelta(days=7),
        electorate=Electorate.SUPPORTERS,
    )

    assert (ballot.method, ballot.rule, ballot.seats, ballot.quotas, ballot.status) == (
        Method.STV,
        "scottish",
        5,
        {"F": {"min": 3}},
        "draft",
    )
    assert list(ballot.options.values_list("name", "category")) == PEOPLE
    selection = SlateSelection.objects.get()
    assert (selection.ballot, selection.slate_size, selection.section) == (ballot, 5, section)
    assert (
        AuditEntry.objects.filter(action__in=["ballot.create", "slate_ballot.create"]).count() == 2
    )


def test_slate_ballot_create_refuses_a_quota_the_nominees_cannot_meet(
    section: Section, organiser: User
) -> None:
    nominations_submit(
        actor=organiser,
        organisation=organisation_create(),
        section=section,
        people=[("Ann Ash", "F"), ("Cal Cedar", "M"), ("Dev Dale", "M"), ("Fin Fir", "M")],
    )

    with pytest.raises(DomainError) as err:
        services.slate_ballot_create(
            actor=organiser,
            section=section,
            slate_size=3,  # needs ceil(4 * 3 / 9) = 2 women; one was nominated
            closes_at=timezone.now() + timezone.timedelta(days=7),
            electorate=Electorate.SUPPORTERS,
        )

    assert err.value.field == "slate_size"
    assert Ballot.objects.count() == 0
    assert SlateSelection.objects.count() == 0


@pytest.mark.parametrize(
    ("size", "field"), [(10, "slate_size"), (6, "slate_size"), (0, "slate_size")]
)
def test_slate_ballot_create_refuses_a_size_out_of_range(
    size: int, field: str, section: Section, organiser: User
) -> None:
    nominations_submit(
        actor=organiser, organisation=organisation_create(), section=section, people=PEOPLE
    )

    with pytest.raises(DomainError) as err:
        services.slate_ballot_create(
            actor=organiser,
            section=section,
            slate_size=size,
            closes_at=timezone.now() + timezone.timedelta(days=7),
            electorate=Electorate.SUPPORTERS,
        )

    assert err.value.field == field
    assert Ballot.objects.count() == 0


def test_slate_ballot_create_closes_nominations_and_refuses_representatives(
    section: Section, organiser: User, clp
) -> None:
    organisation = organisation_create()
    supporter = supporter_create(clp=clp)
    representative_create(organisation=organisation, supporter=supporter)
    nominations_submit(actor=organiser, organisation=organisation, section=section, people=PEOPLE)
    closes = timezone.now() + timezone.timedelta(days=7)

    with pytest.raises(DomainError, match="You may not do this"):
        services.slate_ballot_create(
            actor=supporter.user,
            section=section,
            slate_size=5,
            closes_at=closes,
            electorate=Electorate.SUPPORTERS,
        )
    services.slate_ballot_create(
        actor=organiser, section=section, slate_size=5, closes_at=closes, electorate="supporters"
    )
    with pytest.raises(DomainError) as late:
        services.slate_nomination_submit(
            actor=supporter.user,
            organisation=organisation,
            section=section,
            name="Gus Gale",
            gender="M",
        )

    assert late.value.message == "Nominations are closed: the slate ballot has been set up."
    assert Ballot.objects.count() == 1


def test_slate_ballot_page_states_the_scaling_rule(
    section: Section, organiser: User, client: Client
) -> None:
    client.force_login(organiser)

    response = client.get(reverse("slates:slate_ballot", args=(section.election.slug, "clp")))

    assert response.status_code == 200
    assert "ceil(min × slate size ÷ seats)" in response.content.decode()
    assert response.context["examples"][4] == (5, {"F": {"min": 3}})


# --- publishing the slate -------------------------------------------------------------------

# Men lead on first preferences; the scaled quota (3 women of 5) must still elect three women.
RANKINGS = [
    ("Cal Cedar", "Dev Dale"),
    ("Cal Cedar", "Dev Dale"),
    ("Cal Cedar", "Fin Fir"),
    ("Dev Dale", "Cal Cedar"),
    ("Dev Dale", "Cal Cedar"),
    ("Fin Fir", "Dev Dale"),
    ("Fin Fir", "Cal Cedar"),
    ("Ann Ash", "Bea Birch"),
    ("Bea Birch", "Ann Ash"),
    ("Eve Elm", "Ann Ash"),
]


def _closed(section: Section, organiser: User, clp) -> tuple[Ballot, list[str]]:
    nominations_submit(
        actor=organiser, organisation=organisation_create(), section=section, people=PEOPLE
    )
    for _ in RANKINGS:
        supporter_create(clp=clp)
    return slate_ballot_voted(actor=organiser, section=section, slate_size=5, rankings=RANKINGS)


def test_slate_publish_refused_before_the_ballot_is_published(
    section: Section, organiser: User, clp, client: Client
) -> None:
    ballot, _ = _closed(section, organiser, clp)

    with pytest.raises(DomainError) as err:
        services.slate_publish(actor=organiser, ballot=ballot)
    response = client.get(reverse("slates:slate_detail", args=(section.election.slug, "clp")))

    assert err.value.message == "The slate is published only after the ballot's result."
    assert Slate.objects.count() == 0
    assert Candidate.objects.count() == 0
    assert SlateSelection.objects.get().published_at is None
    assert response.context["published"] is None
    assert "The slate has not been chosen yet." in response.content.decode()


def test_slate_publish_takes_the_engines_order_of_election(
    section: Section, organiser: User, clp, client: Client
) -> None:
    ballot, _ = _closed(section, organiser, clp)
    result = ballot_services.ballot_publish(actor=organiser, ballot=ballot)

    slate = services.slate_publish(actor=organiser, ballot=ballot)

    selection = SlateSelection.objects.get()
    chosen = [place.candidate.name for place in selection.places.select_related("candidate")]
    assert chosen == result["elected"]
    assert len(chosen) == 5
    assert sum(1 for name in chosen if dict(PEOPLE)[name] == "F") >= 3
    assert (slate.name, selection.slate) == ("Grassroots Alliance", slate)
    assert sorted(
        SlateMembership.objects.filter(slate=slate).values_list("candidate__name", flat=True)
    ) == sorted(chosen)
    assert set(SlateMembership.objects.values_list("source", flat=True)) == {
        reverse("ballots:result", args=(ballot.slug,))
    }
    assert AuditEntry.objects.filter(action="slate.publish").count() == 1
    response = client.get(reverse("slates:slate_detail", args=(section.election.slug, "clp")))
    assert [p.candidate.name for p in response.context["published"].places] == chosen
    assert reverse("ballots:result", args=(ballot.slug,)) in response.content.decode()


def test_slate_publish_reuses_a_candidate_and_refuses_a_second_publish(
    section: Section, organiser: User, clp
) -> None:
    ballot, _ = _closed(section, organiser, clp)
    existing = Candidate.objects.create(section=section, name="Cal Cedar", gender="M")
    ballot_services.ballot_publish(actor=organiser, ballot=ballot)
    services.slate_publish(actor=organiser, ballot=ballot)

    with pytest.raises(DomainError, match="This section's slate is already published"):
        services.slate_publish(actor=organiser, ballot=ballot)

    assert Candidate.objects.filter(name="Cal Cedar").get() == existing
    assert SlateSelection.objects.get().places.count() == 5


@pytest.fixture
def published_slate(section: Section, organiser: User, clp) -> Slate:
    ballot, _ = _closed(section, organiser, clp)
    ballot_services.ballot_publish(actor=organiser, ballot=ballot)
    return services.slate_publish(actor=organiser, ballot=ballot)


@pytest.mark.parametrize("item_count", [1, 3])
def test_slate_detail_queries_fixed(
    item_count: int,
    published_slate: Slate,
    organiser: User,
    client: Client,
    django_assert_num_queries,
) -> None:
    for _ in range(item_count):
        services.endorsement_record(
            actor=organiser,
            organisation=organisation_create(),
            slate=published_slate,
            endorsed_on=timezone.localdate(),
            source="https://example.org/endorse",
        )
    url = reverse("slates:slate_detail", args=("nec-test", "clp"))

    # section; selection with ballot and slate; places with candidates and CLPs; endorsements
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["published"].endorsements) == item_count
    assert Endorsement.objects.count() == item_count


def test_slate_publish_refused_for_a_ballot_that_is_not_a_slate_ballot(
    organiser: User, make_supporter: Callable[..., Supporter], clp
) -> None:
    from tests.web.ballot_factories import ballot_create

    ballot = ballot_create()

    with pytest.raises(DomainError) as err:
        services.slate_publish(actor=organiser, ballot=ballot)

    assert err.value.message == "This ballot is not a slate ballot."


def test_endorsement_record_page_stores_and_lists_it(
    published_slate: Slate, organiser: User, client: Client
) -> None:
    endorser = organisation_create(name="Momentum Nurses")
    client.force_login(organiser)
    url = reverse("slates:endorsement_record", args=("nec-test", "clp"))

    response = client.post(
        url,
        {
            "organisation": endorser.pk,
            "endorsed_on": "2026-05-01",
            "source": "https://example.org/statement",
        },
        follow=True,
    )

    endorsement = Endorsement.objects.get()
    assert (endorsement.organisation, endorsement.slate, str(endorsement.endorsed_on)) == (
        endorser,
        published_slate,
        "2026-05-01",
    )
    assert [e.organisation.name for e in response.context["published"].endorsements] == [
        "Momentum Nurses"
    ]
    again = client.post(url, {"organisation": endorser.pk, "endorsed_on": "2026-05-02"})
    assert again.status_code == 400
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("supporter", 404), ("committee", 404), ("organiser", 200), ("administrator", 200)],
)
def test_slate_ballot_page_for_organisers_only(
    persona: str, status: int, section: Section, clp, client: Client
) -> None:
    user = _persona(persona, organisation_create(), clp)
    assert isinstance(user, User)
    client.force_login(user)

    response = client.get(reverse("slates:slate_ballot", args=(section.election.slug, "clp")))
    endorse = client.post(reverse("slates:endorsement_record", args=("nec-test", "clp")))

    assert response.status_code == status
    assert endorse.status_code == 404  # nobody endorses a slate not yet published


@pytest.mark.parametrize("item_count", [1, 3])
def test_slate_index_queries_fixed(
    item_count: int, client: Client, django_assert_num_queries
) -> None:
    for number in range(item_count):
        election_create(slug=f"nec-{number}")

    # elections; their sections (prefetched); the anonymous user has no roles
    with django_assert_num_queries(2):
        response = client.get(reverse("slates:slate_index"))

    assert response.status_code == 200
    assert len(response.context["elections"]) == item_count
    assert response.context["may_run"] is False


def test_slate_admin_is_read_only(published_slate: Slate, client: Client) -> None:
    admin_user = role_holder_create(Role.ADMINISTRATOR)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    selection = SlateSelection.objects.get()

    listing = client.get(reverse("admin:slates_slatenomination_changelist"))
    add = client.get(reverse("admin:slates_slatenomination_add"))
    delete = client.post(reverse("admin:slates_slateselection_delete", args=(selection.pk,)))

    assert listing.status_code == 200
    assert add.status_code == 403
    assert delete.status_code == 403
    assert SlateSelection.objects.count() == 1
