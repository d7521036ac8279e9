"""The alliance: organisations, the rules, representatives and the organising committee."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from grassroots.web.alliance.models import AllianceRules, Organisation, Representative
from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.roles import Role, user_roles
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


def _organisation_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Fairshare Health Network",
        "kind": "national",
        "status": "affiliated",
        "affiliated_on": "2025-03-01",
        "disaffiliated_on": "",
        "clps": "",
        "contact_name": "Rosa Clarke",
        "contact_email": "rosa@example.org",
        "website": "https://fairshare.example.org",
    }
    data.update(overrides)
    return data


def _organiser_client(client: Client) -> Client:
    client.force_login(role_holder_create(Role.ORGANISER))
    return client


def test_organisation_add_by_organiser_stores_and_audits(client: Client) -> None:
    _organiser_client(client)

    response = client.post("/organise/organisations/new/", _organisation_data())

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind, organisation.status) == (
        "Fairshare Health Network",
        "national",
        "affiliated",
    )
    assert organisation.contact_email == "rosa@example.org"
    assert AuditEntry.objects.get().action == "organisation.create"
    assert "Rosa" not in AuditEntry.objects.get().summary


def test_organisation_add_local_group_covers_clps(client: Client, clp, other_clp) -> None:
    _organiser_client(client)
    data = _organisation_data(
        name="Leeds Grassroots", kind="local", clps=f"{clp.name}\n{other_clp.name}\n"
    )

    response = client.post("/organise/organisations/new/", data)

    assert response.status_code == 302
    covered = set(Organisation.objects.get().constituencies.values_list("name", flat=True))
    assert covered == {clp.name, other_clp.name}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "This field is required."),
        ({"kind": "local"}, "clps", "A local group covers at least one CLP."),
        (
            {"clps": "Leeds Central and Headingley"},
            "clps",
            "Only local groups cover CLPs; leave this empty.",
        ),
        ({"kind": "local", "clps": "Atlantis"}, "clps", "Not a CLP: Atlantis."),
        ({"affiliated_on": ""}, "affiliated_on", "Give the date it affiliated."),
        ({"status": "disaffiliated"}, "disaffiliated_on", "Give the date it disaffiliated."),
        (
            {"status": "disaffiliated", "disaffiliated_on": "2024-01-01"},
            "disaffiliated_on",
            "It cannot disaffiliate before it affiliated.",
        ),
        ({"contact_email": "not-an-email"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_organisation_add_bad_input_shows_message_next_to_field_and_stores_nothing(
    client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    _organiser_client(client)

    response = client.post("/organise/organisations/new/", _organisation_data(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_organisation_add_same_name_any_case_refused(client: Client) -> None:
    organisation_create(name="Fairshare Health Network")
    _organiser_client(client)

    response = client.post(
        "/organise/organisations/new/", _organisation_data(name="FAIRSHARE health network")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "An organisation with this name is already recorded."
    ]
    assert Organisation.objects.count() == 1


def test_organisation_edit_disaffiliates_and_audits_fields_changed(client: Client) -> None:
    organisation = organisation_create(name="Fairshare Health Network")
    _organiser_client(client)
    data = _organisation_data(
        status="disaffiliated",
        affiliated_on=str(organisation.affiliated_on),
        disaffiliated_on=str(timezone.localdate()),
    )

    response = client.post(f"/organise/organisations/{organisation.pk}/", data)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "disaffiliated"
    entry = AuditEntry.objects.get()
    assert entry.action == "organisation.update"
    assert entry.summary.startswith("changed: status, disaffiliated_on")


def test_organisation_list_public_never_shows_contacts(client: Client, clp) -> None:
    organisation_create(
        name="Leeds Grassroots",
        kind="local",
        clps=[clp],
        contact_name="Secret Contact",
        contact_email="secret@example.org",
    )

    response = client.get("/organisations/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Leeds Grassroots" in html
    assert clp.name in html
    assert "Secret Contact" not in html
    assert "secret@example.org" not in html


def test_organisation_manage_list_shows_contacts_to_committee(client: Client) -> None:
    organisation_create(contact_name="Rosa Clarke", contact_email="rosa@example.org")
    client.force_login(role_holder_create(Role.COMMITTEE))

    response = client.get("/organise/organisations/")

    assert response.status_code == 200
    assert "rosa@example.org" in response.content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_organisation_list_query_count(
    client: Client, clp, other_clp, django_assert_num_queries, item_count: int
) -> None:
    for _ in range(item_count):
        organisation_create(kind="local", clps=[clp, other_clp])

    with django_assert_num_queries(2):  # organisations, their CLPs
        response = client.get("/organisations/")

    assert len(response.context["organisations"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_organisation_manage_list_query_count(
    client: Client, clp, django_assert_num_queries, item_count: int
) -> None:
    for _ in range(item_count):
        organisation_create(kind="local", clps=[clp])
    client.force_login(role_holder_create(Role.ORGANISER))

    # session, user, supporter?, groups, organisations, their CLPs
    with django_assert_num_queries(6):
        response = client.get("/organise/organisations/")

    assert len(response.context["organisations"]) == item_count


def _representative_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Kwame Mensah",
        "email": "",
        "started_on": str(timezone.localdate() - timedelta(days=10)),
        "method": "agm",
        "method_note": "AGM of 1 March",
    }
    data.update(overrides)
    return data


def test_representative_record_with_email_asks_before_linking_or_naming(
    client: Client, clp, django_capture_on_commit_callbacks
) -> None:
    organisation = organisation_create(name="Red Pepper")
    supporter = supporter_create(clp=clp, name="Kwame Mensah", email="kwame@example.org")
    _organiser_client(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organise/organisations/{organisation.pk}/representatives/",
            _representative_data(name="Kwame M.", email="KWAME@example.org"),
        )

    assert response.status_code == 302
    representative = Representative.objects.get()
    assert (representative.name, representative.supporter) == ("Kwame M.", None)
    assert representative.email == "kwame@example.org"
    assert Role.AFFILIATE_REPRESENTATIVE not in user_roles(supporter.user)
    client.get("/organise/")  # shows, and so clears, the "recorded" message
    committee = client.get("/committee/").content.decode()
    assert "Kwame" not in committee
    assert "a representative of Red Pepper" in committee
    [asked] = mail.outbox
    assert asked.to == ["kwame@example.org"]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["representative.record"]


def test_representative_record_non_supporter_by_name(client: Client) -> None:
    organisation = organisation_create()
    _organiser_client(client)

    response = client.post(
        f"/organise/organisations/{organisation.pk}/representatives/", _representative_data()
    )

    assert response.status_code == 302
    assert Representative.objects.get().supporter is None
    assert AuditEntry.objects.get().action == "representative.record"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the representative's name."),
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        (
            {"started_on": "2999-01-01"},
            "started_on",
            "Record a representative once they have started.",
        ),
        (
            {"method": "coin"},
            "method",
            "Select a valid choice. coin is not one of the available choices.",
        ),
    ],
)
def test_representative_record_bad_input_shows_message_and_stores_nothing(
    client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    organisation = organisation_create()
    _organiser_client(client)

    response = client.post(
        f"/organise/organisations/{organisation.pk}/representatives/",
        _representative_data(**overrides),
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Representative.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_representative_record_when_seats_full_refused(client: Client, clp) -> None:
    group = organisation_create(kind="local", clps=[clp])
    representative_create(organisation=group)
    _organiser_client(client)

    response = client.post(
        f"/organise/organisations/{group.pk}/representatives/", _representative_data()
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "All 1 of this organisation's seats are filled: end a representative first."
    ]
    assert Representative.objects.count() == 1


def test_representative_record_refused_stores_and_sends_nothing(
    clp, django_capture_on_commit_callbacks
) -> None:
    from grassroots.web.alliance.services import representative_record
    from grassroots.web.errors import DomainError

    organisation = organisation_create(status="disaffiliated")
    supporter = supporter_create(clp=clp)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="A disaffiliated organisation has no representatives"),
    ):
        representative_record(
            actor=role_holder_create(Role.ORGANISER),
            organisation=organisation,
            name="Someone",
            email=supporter.user.email,
            started_on=timezone.localdate(),
            method="agm",  # type: ignore[arg-type]
        )

    assert Role.AFFILIATE_REPRESENTATIVE not in user_roles(supporter.user)
    assert Representative.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


def test_representative_end_by_own_representative_frees_the_seat(client: Client, clp) -> None:
    group = organisation_create(kind="local", clps=[clp])
    rep_supporter = supporter_create(clp=clp)
    representative = representative_create(organisation=group, supporter=rep_supporter)
    client.force_login(rep_supporter.user)

    response = client.post(
        f"/organise/organisations/{group.pk}/representatives/{representative.pk}/end/",
        {"ended_on": str(timezone.localdate())},
    )

    assert response.status_code == 302
    representative.refresh_from_db()
    assert representative.ended_on == timezone.localdate()
    assert Representative.objects.current().count() == 0
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["representative.end", "role.revoke"]
    assert Role.AFFILIATE_REPRESENTATIVE not in user_roles(rep_supporter.user)
    # Their term ended, so they may no longer manage the organisation's representatives.
    assert client.get(f"/organise/organisations/{group.pk}/representatives/").status_code == 404


def test_representative_end_keeps_role_while_another_representation_is_current(clp) -> None:
    from grassroots.web.alliance.services import representative_end

    supporter = supporter_create(clp=clp)
    first = representative_create(organisation=organisation_create(), supporter=supporter)
    representative_create(organisation=organisation_create(name="Second"), supporter=supporter)

    representative_end(
        actor=role_holder_create(Role.ORGANISER),
        representative=first,
        ended_on=timezone.localdate(),
    )

    assert Role.AFFILIATE_REPRESENTATIVE in user_roles(supporter.user)
    assert AuditEntry.objects.get().action == "representative.end"


def test_representative_end_in_the_future_keeps_role_until_then(clp) -> None:
    from grassroots.web.alliance.services import representative_end

    supporter = supporter_create(clp=clp)
    representative = representative_create(organisation=organisation_create(), supporter=supporter)

    representative_end(
        actor=role_holder_create(Role.ORGANISER),
        representative=representative,
        ended_on=timezone.localdate() + timedelta(days=7),
    )

    assert Role.AFFILIATE_REPRESENTATIVE in user_roles(supporter.user)
    assert AuditEntry.objects.get().action == "representative.end"


def test_representative_end_before_start_refused(client: Client) -> None:
    organisation = organisation_create()
    representative = representative_create(organisation=organisation)
    _organiser_client(client)

    response = client.post(
        f"/organise/organisations/{organisation.pk}/representatives/{representative.pk}/end/",
        {"ended_on": str(representative.started_on)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["ended_on"] == ["The end must come after the start."]
    representative.refresh_from_db()
    assert representative.ended_on is None


@pytest.mark.parametrize("item_count", [1, 3])
def test_representative_list_query_count(
    client: Client, django_assert_num_queries, item_count: int
) -> None:
    organisation = organisation_create()
    for _ in range(item_count):
        representative_create(organisation=organisation)
    _organiser_client(client)

    # session, user, organisation, supporter?, groups, representatives
    with django_assert_num_queries(6):
        response = client.get(f"/organise/organisations/{organisation.pk}/representatives/")

    assert len(response.context["representatives"]) == item_count


def test_committee_derives_seats_members_and_vacancies(client: Client, clp) -> None:
    national = organisation_create(name="Fairshare Health Network")
    local = organisation_create(name="Leeds Grassroots", kind="local", clps=[clp])
    organisation_create(name="Pending Group", kind="local", status="pending", clps=[clp])
    organisation_create(name="Gone Org", status="disaffiliated")
    representative_create(organisation=national, name="Kwame Mensah")
    representative_create(organisation=national, name="Rosa Clarke")
    ended = representative_create(organisation=local, name="Past Person")
    ended.ended_on = timezone.localdate()
    ended.save()

    response = client.get("/committee/")

    committee = response.context["committee"]
    rows = {row.organisation.name: row for row in committee.organisations}
    assert sorted(rows) == ["Fairshare Health Network", "Leeds Grassroots"]
    assert [m.name for m in rows["Fairshare Health Network"].members] == [
        "Kwame Mensah",
        "Rosa Clarke",
    ]
    assert (rows["Fairshare Health Network"].seats, rows["Fairshare Health Network"].vacancies) == (
        3,
        1,
    )
    assert (rows["Leeds Grassroots"].seats, rows["Leeds Grassroots"].vacancies) == (1, 1)
    assert (committee.seats, committee.filled, committee.vacancies) == (4, 2, 2)
    assert "Past Person" not in response.content.decode()


def test_committee_follows_the_rules(client: Client) -> None:
    organisation_create()
    AllianceRules.objects.filter(pk=1).update(national_seats=5)

    response = client.get("/committee/")

    assert response.context["committee"].seats == 5


@pytest.mark.parametrize("item_count", [1, 3])
def test_committee_query_count(client: Client, django_assert_num_queries, item_count: int) -> None:
    for _ in range(item_count):
        organisation = organisation_create()
        representative_create(organisation=organisation)
        representative_create(organisation=organisation)

    with django_assert_num_queries(3):  # rules, organisations, current representatives
        response = client.get("/committee/")

    assert len(response.context["committee"].organisations) == item_count
    assert response.context["committee"].filled == 2 * item_count


def test_rules_edit_by_administrator_updates_and_audits(client: Client) -> None:
    client.force_login(role_holder_create(Role.ADMINISTRATOR))

    response = client.post("/organise/rules/", {"national_seats": "4", "local_seats": "2"})

    assert response.status_code == 302
    rules = AllianceRules.objects.get()
    assert (rules.national_seats, rules.local_seats) == (4, 2)
    assert AuditEntry.objects.get().action == "rules.update"


def test_rules_edit_zero_seats_refused(client: Client) -> None:
    client.force_login(role_holder_create(Role.ADMINISTRATOR))

    response = client.post("/organise/rules/", {"national_seats": "0", "local_seats": "1"})

    assert response.status_code == 400
    assert response.context["form"].errors["national_seats"] == [
        "Ensure this value is greater than or equal to 1."
    ]
    assert AllianceRules.objects.get().national_seats == 3


def test_dashboard_counts_affiliated_organisations_and_groups(client: Client, clp) -> None:
    organisation_create()
    organisation_create(status="pending")
    organisation_create(kind="local", clps=[clp])
    organisation_create(kind="local", clps=[clp], status="disaffiliated")

    figures = client.get("/").context["figures"]

    assert (figures.affiliates, figures.local_groups) == (1, 1)
