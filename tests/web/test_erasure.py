"""Erasure works for every supporter, whatever they took part in, and leaves nothing that
names or re-identifies them: each state is erased through ``POST /me/erase/`` (or the
administrator's erase action) and then every table is searched for their name, email and id.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.core import mail
from django.db import DatabaseError, connection, models, transaction
from django.test import Client
from django.utils import timezone

from grassroots.web.alliance.models import MembershipStatus, OrganisationMembership
from grassroots.web.audit.models import AuditEntry
from grassroots.web.audit.services import audit_record
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, CastBallot, Credential, Status, VoterRollEntry
from grassroots.web.ballots.selectors import turnout_get
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people import services as people_services
from grassroots.web.people.models import Message, Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.slates.models import SlateNomination
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.election_factories import election_create, section_get
from tests.web.factories import (
    event_create,
    organisation_create,
    representative_create,
    role_holder_create,
)

pytestmark = pytest.mark.django_db(transaction=False)

NAME = "Zebedee Quillfeather"
EMAIL = "zebedee.quillfeather@example.org"


def _person_id_columns() -> list[tuple[type[models.Model], str]]:
    """Every column that can hold a person's id: foreign keys to accounts and supporters."""
    return [
        (model, field.attname)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model in {User, Supporter}
    ]


def _traces(pk: int) -> list[str]:
    """Where the person is still named: every table's every row, as text, searched for the
    name and email; every column that refers to a person, the audit log's actor and person
    objects, and slate nominations' submitters searched for the id."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                if NAME.lower() in text or EMAIL in text or "quillfeather" in text:
                    found.append(f"{table}: {row}")
    for model, column in _person_id_columns():
        if model._base_manager.filter(**{column: pk}).exists():
            found.append(f"{model._meta.db_table}.{column} = {pk}")
    if AuditEntry.objects.filter(actor_id=pk).exists():
        found.append(f"audit actor {pk}")
    if AuditEntry.objects.filter(object_type__in=("supporter", "user"), object_id=str(pk)):
        found.append(f"audit object {pk}")
    if SlateNomination.objects.filter(submitted_by_id=pk).exists():
        found.append(f"slate nomination submitted by {pk}")
    return found


@pytest.fixture
def person(make_supporter: Callable[..., Supporter], clp: Constituency) -> Supporter:
    """The supporter who erases their data, signed up through the site so the audit log has
    their sign-up, with a consent, a message each way and a group request."""
    client = Client()
    client.post(
        "/join/",
        {
            "name": NAME,
            "email": EMAIL,
            "clp": clp.name,
            "membership": "member",
            "consent_contact": "on",
            "consent_visible": "on",
        },
    )
    supporter = Supporter.objects.select_related("user").get(user__email=EMAIL)
    people_services.supporter_verify(user=supporter.user)
    friend = make_supporter(clp=clp, name="Owen Parry")
    Message.objects.create(sender=friend, recipient=supporter, body="Meeting on Tuesday?")
    Message.objects.create(sender=supporter, recipient=friend, body=f"Yes - {NAME}")
    return supporter


def _erase(client: Client, supporter: Supporter) -> None:
    client.force_login(supporter.user)
    response = client.post("/me/erase/", {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=supporter.pk).exists()


def test_erase_plain_supporter_leaves_no_trace(client: Client, person: Supporter) -> None:
    pk = person.pk
    assert _traces(pk)  # the search finds them before

    _erase(client, person)

    assert _traces(pk) == []
    assert Message.objects.count() == 0
    signup = AuditEntry.objects.get(action="supporter.signup")
    assert (signup.actor_id, signup.object_id, signup.person_erased) == (None, "", True)
    erase = AuditEntry.objects.get(action="person.erase")
    assert (erase.actor_id, erase.object_id, erase.summary) == (None, "", "by the person")


def _vote(ballot: Ballot, token: str) -> None:
    ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann", "Cal"))


def _tokens_by_person(ballot: Ballot) -> dict[str, str]:
    """Each voter's token by their email, read from the emails ``ballot_open`` sent."""
    sent = len(mail.outbox)
    tokens = ballot_open_with_tokens(ballot)
    return {m.to[0]: t for m, t in zip(mail.outbox[sent:], tokens, strict=True)}


def test_erase_on_open_roll_before_voting_voids_the_credential(
    client: Client, person: Supporter
) -> None:
    ballot = ballot_create()
    tokens = _tokens_by_person(ballot)
    before = turnout_get(ballot=ballot)
    pk = person.pk

    _erase(client, person)

    assert _traces(pk) == []
    assert turnout_get(ballot=ballot) == before == (0, 2)
    assert VoterRollEntry.objects.filter(ballot=ballot, person__isnull=True).count() == 1
    response = client.post(
        f"/ballots/{ballot.slug}/vote/{tokens[EMAIL]}/",
        {f"option_{o.pk}": "1" if o.name == "Ann" else "" for o in ballot.options.all()},
    )
    assert response.status_code in {400, 404}
    assert CastBallot.objects.count() == 0
    others = [token for email, token in tokens.items() if email != EMAIL]
    _vote(ballot, others[0])  # the rest of the roll still votes
    assert turnout_get(ballot=ballot) == (1, 2)


def test_erase_on_open_roll_after_voting_keeps_the_ballot(
    client: Client, person: Supporter
) -> None:
    ballot = ballot_create()
    tokens = _tokens_by_person(ballot)
    _vote(ballot, tokens[EMAIL])
    cast = list(CastBallot.objects.values_list("ranking", "receipt"))
    pk = person.pk

    _erase(client, person)

    assert _traces(pk) == []
    assert list(CastBallot.objects.values_list("ranking", "receipt")) == cast
    assert turnout_get(ballot=ballot) == (1, 2)
    assert Credential.objects.filter(ballot=ballot, used=True).count() == 1


@pytest.mark.parametrize("publish", [False, True], ids=["closed", "published"])
def test_erase_on_a_closed_or_published_roll_changes_nothing_of_the_ballot(
    client: Client, person: Supporter, publish: bool
) -> None:
    ballot = ballot_create()
    tokens = _tokens_by_person(ballot)
    _vote(ballot, tokens[EMAIL])
    ballot_services.ballot_close(actor=None, ballot=ballot)
    if publish:
        ballot_services.ballot_publish(actor=None, ballot=ballot)
    ballot.refresh_from_db()
    result, status = ballot.result, ballot.status
    cast = sorted(CastBallot.objects.values_list("ranking", "receipt"))
    pk = person.pk

    _erase(client, person)

    ballot.refresh_from_db()
    assert _traces(pk) == []
    assert (ballot.result, ballot.status) == (result, status)
    assert status == (Status.PUBLISHED if publish else Status.CLOSED)
    assert sorted(CastBallot.objects.values_list("ranking", "receipt")) == cast
    assert turnout_get(ballot=ballot) == (1, 2)


def test_erase_representative_keeps_the_seat_without_the_name(
    client: Client, person: Supporter
) -> None:
    organisation = organisation_create(name="Momentum North")
    representative = representative_create(organisation=organisation, supporter=person)
    pk = person.pk

    _erase(client, person)

    assert _traces(pk) == []
    representative.refresh_from_db()
    assert (representative.name, representative.supporter_id) == ("", None)
    page = client.get("/committee/").content.decode()
    assert NAME not in page
    assert "a representative of Momentum North" in page
    assert client.get("/committee/").context["committee"].filled == 1


def test_erase_nominator_confirmer_and_event_contact(
    client: Client, person: Supporter, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    from grassroots.web.slates import services as slate_services

    organisation = organisation_create(name="Momentum North")
    representative_create(organisation=organisation, supporter=person)
    member = make_supporter(clp=clp)
    membership = OrganisationMembership.objects.create(
        organisation=organisation, supporter=member, consent_wording="I agree."
    )
    from grassroots.web.alliance import services as alliance_services

    alliance_services.membership_confirm(actor=person.user, membership=membership)
    section = section_get(election_create())
    nomination = slate_services.slate_nomination_submit(
        actor=person.user, organisation=organisation, section=section, name="Ann Ash", gender="F"
    )
    event = event_create(contact=person, created_by=person.user)
    asked = event_create(title="Asked", contact_email=EMAIL)
    other = organisation_create(name="Red Pepper")
    alliance_services.representative_record(
        actor=role_holder_create(Role.ORGANISER),
        organisation=other,
        name=NAME,
        email=EMAIL,
        started_on=timezone.localdate(),
        method="agm",  # type: ignore[arg-type]
    )
    pk = person.pk

    _erase(client, person)

    assert _traces(pk) == []
    nomination.refresh_from_db()
    membership.refresh_from_db()
    event.refresh_from_db()
    assert nomination.submitted_by_id is None
    assert (membership.status, membership.confirmed_by_id) == (MembershipStatus.CONFIRMED, None)
    assert (event.contact_id, event.created_by_id) == (None, None)
    asked.refresh_from_db()
    assert asked.contact_email == ""
    assert "a representative of Red Pepper" in client.get("/committee/").content.decode()
    assert AuditEntry.objects.get(action="slate_nomination.submit").person_erased


def test_admin_erase_action_erases_a_supporter_on_a_roll(person: Supporter) -> None:
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)
    admin = User.objects.create_superuser(email="root@example.org")
    client = Client()
    client.force_login(admin)
    pk = person.pk

    response = client.post(
        "/admin/people/supporter/", {"action": "erase", "_selected_action": [str(pk)]}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert _traces(pk) == []
    erase = AuditEntry.objects.get(action="person.erase")
    assert erase.actor_id == admin.pk
    assert turnout_get(ballot=ballot) == (0, 2)


def test_erase_account_without_supporter_record(client: Client) -> None:
    organiser = role_holder_create(Role.ORGANISER)
    organiser.name = NAME
    organiser.save()
    with transaction.atomic():
        audit_record(actor_id=organiser.pk, action="event.create", object_type="event")
    client.force_login(organiser)

    assert client.get("/me/erase/").status_code == 200
    response = client.post("/me/erase/", {"confirm": "on"})

    assert response.status_code == 302
    assert _traces(organiser.pk) == []


# --- the audit log allows forgetting a person, and nothing else ------------------------------


def _update(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        pytest.param(
            "UPDATE audit_auditentry SET action = %s WHERE id = %s",
            ["tampered"],
            id="action changed",
        ),
        pytest.param(
            "UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [], id="actor unmarked"
        ),
        pytest.param(
            "UPDATE audit_auditentry SET actor_id = 99, person_erased = %s WHERE id = %s",
            [True],
            id="actor replaced",
        ),
        pytest.param(
            "UPDATE audit_auditentry SET summary = '', person_erased = %s WHERE id = %s",
            [True],
            id="summary emptied",
        ),
    ],
)
def test_audit_trigger_refuses_any_update_but_forgetting(sql: str, params: list[object]) -> None:
    with transaction.atomic():
        entry = audit_record(actor_id=7, action="event.create", object_type="event", summary="x")

    with pytest.raises(DatabaseError):
        _update(sql, [*params, entry.pk])

    entry.refresh_from_db()
    assert (entry.actor_id, entry.action, entry.summary) == (7, "event.create", "x")


def test_audit_trigger_allows_forgetting() -> None:
    with transaction.atomic():
        entry = audit_record(actor_id=7, action="role.grant", object_type="user", object_id=7)

    _update(
        "UPDATE audit_auditentry SET actor_id = NULL, object_id = '', person_erased = %s "
        "WHERE id = %s",
        [True, entry.pk],
    )

    entry.refresh_from_db()
    assert (entry.actor_id, entry.object_id, entry.action) == (None, "", "role.grant")
    assert entry.created_at <= timezone.now()
