"""One person, one vote under concurrency, and nothing that links a stored ballot to its voter."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, models

from grassroots.web.ballots import services
from grassroots.web.ballots.models import CastBallot, Credential
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load
from grassroots.web.errors import DomainError
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import supporter_create

SUBMISSIONS = 50


@pytest.fixture
def committed_clp(transactional_db: None) -> Constituency:
    """A CLP in a transactional test: another module's transactional test may have emptied
    the migration-loaded constituencies, so load them again (idempotent)."""
    constituency_load()
    return Constituency.objects.get(name="Leeds Central and Headingley")


@pytest.mark.django_db(transaction=True)
def test_ballot_cast_fifty_simultaneous_submissions_store_one_ballot(
    committed_clp: Constituency,
) -> None:
    supporter_create(clp=committed_clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    ranking = option_ids(ballot, "Ann", "Cal")
    start = threading.Barrier(SUBMISSIONS)
    receipts: list[str] = []
    refusals: list[str] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            receipts.append(services.ballot_cast(credential_token=token, ranking=ranking).code)
        except DomainError as error:
            refusals.append(error.message)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=submit) for _ in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(receipts) == 1
    assert refusals == [services.USED_CREDENTIAL] * (SUBMISSIONS - 1)
    assert list(CastBallot.objects.values_list("receipt", flat=True)) == receipts
    assert Credential.objects.get().used is True


def test_cast_ballot_fields_hold_no_link_to_the_voter() -> None:
    fields = {field.name: field for field in CastBallot._meta.get_fields()}

    assert sorted(fields) == ["ballot", "id", "ranking", "receipt", "weight"]
    relations = [f.related_model.__name__ for f in fields.values() if f.is_relation]
    assert relations == ["Ballot"]
    assert not any(isinstance(f, models.DateField | models.TimeField) for f in fields.values())
    assert isinstance(fields["id"], models.UUIDField)  # random: no order of casting
    assert CastBallot._meta.ordering == []


@pytest.mark.django_db
def test_cast_ballot_table_holds_no_link_to_the_voter() -> None:
    table = CastBallot._meta.db_table
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        constraints = connection.introspection.get_constraints(cursor, table)
        # Nothing else in the database points at a cast ballot either.
        pointing_in = [
            (other, name)
            for other in connection.introspection.table_names(cursor)
            for name, c in connection.introspection.get_constraints(cursor, other).items()
            if c["foreign_key"] and c["foreign_key"][0] == table
        ]

    assert columns == {"id", "ballot_id", "ranking", "weight", "receipt"}
    foreign = sorted(c["foreign_key"][0] for c in constraints.values() if c["foreign_key"])
    assert foreign == ["ballots_ballot"]
    assert pointing_in == []


@pytest.mark.django_db(transaction=True)
def test_ballot_close_leaves_no_order_or_transaction_id_linking_ballots_to_credentials(
    committed_clp: Constituency,
) -> None:
    for _ in range(6):
        supporter_create(clp=committed_clp)
    ballot = ballot_create()
    tokens = ballot_open_with_tokens(ballot)
    cast = [
        services.ballot_cast(credential_token=t, ranking=option_ids(ballot, n)).code
        for t, n in zip(tokens, ["Ann", "Bea", "Cal", "Dev", "Eve", "Ann"], strict=True)
    ]
    before = {row.receipt: row.pk for row in CastBallot.objects.all()}

    services.ballot_close(actor=None, ballot=ballot)

    after = {row.receipt: row.pk for row in CastBallot.objects.all()}
    assert sorted(after) == sorted(cast)
    assert not set(before.values()) & set(after.values())  # new keys
    if connection.vendor == "postgresql":
        # Every row was rewritten by the closing transaction: one xmin for them all, so
        # nothing pairs a credential's transaction with a ballot's.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT xmin::text) FROM ("
                "SELECT xmin FROM ballots_castballot WHERE ballot_id = %s UNION ALL "
                "SELECT xmin FROM ballots_credential WHERE ballot_id = %s AND used) AS rows",
                [ballot.pk, ballot.pk],
            )
            assert cursor.fetchone() == (1,)
