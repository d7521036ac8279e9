"""The audit log is append-only, and a change and its audit row commit or fail together."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from grassroots.web.audit.models import AppendOnlyError, AuditEntry
from grassroots.web.audit.services import audit_record
from grassroots.web.people import services
from grassroots.web.people.models import Membership, Supporter, User
from grassroots.web.people.roles import Role, user_roles

pytestmark = pytest.mark.django_db


def _entry() -> AuditEntry:
    return audit_record(actor_id=None, action="test.record", object_type="test", summary="x")


def test_audit_entry_save_of_existing_row_refused() -> None:
    entry = _entry()
    entry.summary = "changed"

    with pytest.raises(AppendOnlyError):
        entry.save()


def test_audit_entry_delete_refused() -> None:
    entry = _entry()

    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(summary="changed")
    assert AuditEntry.objects.get().summary == "x"


def test_audit_database_trigger_refuses_raw_update() -> None:
    _entry()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET summary = 'changed'")

    assert AuditEntry.objects.get().summary == "x"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite guards DELETE in the model only"
)
def test_audit_database_trigger_refuses_raw_delete_on_postgresql() -> None:
    _entry()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 1


def test_audit_failed_service_leaves_neither_change_nor_audit_row(clp) -> None:
    # A consent kind with no wording fails after the account and supporter rows were written.
    with pytest.raises(KeyError):
        services.supporter_signup(
            name="Nia Evans",
            email="nia@example.org",
            constituency=clp,
            membership=Membership.MEMBER,
            consents={"no_such_consent"},  # type: ignore[arg-type]
            site_url="http://testserver/",
        )

    assert User.objects.count() == 0
    assert Supporter.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_role_revoke_removes_the_group_and_audits() -> None:
    user = User.objects.create_user(email="a@example.org")
    with transaction.atomic():
        services.role_grant(actor=None, user=user, role=Role.COMMITTEE)

    with transaction.atomic():
        revoked = services.role_revoke(actor=user, user=user, role=Role.COMMITTEE)

    assert revoked
    assert Role.COMMITTEE not in user_roles(user)
    entry = AuditEntry.objects.get(action="role.revoke")
    assert (entry.actor_id, entry.object_id, entry.summary) == (
        user.pk,
        str(user.pk),
        "committee member",
    )


def test_role_revoke_of_a_role_not_held_writes_nothing() -> None:
    user = User.objects.create_user(email="a@example.org")

    with transaction.atomic():
        revoked = services.role_revoke(actor=None, user=user, role=Role.ORGANISER)

    assert not revoked
    assert AuditEntry.objects.count() == 0


def _revoke_then_fail(user: User) -> None:
    with transaction.atomic():
        services.role_revoke(actor=None, user=user, role=Role.COMMITTEE)
        raise RuntimeError("the enclosing change fails")


def test_role_revoke_rolls_back_with_the_enclosing_change() -> None:
    user = User.objects.create_user(email="a@example.org")
    with transaction.atomic():
        services.role_grant(actor=None, user=user, role=Role.COMMITTEE)

    with pytest.raises(RuntimeError):
        _revoke_then_fail(user)

    assert Role.COMMITTEE in user_roles(user)
    assert not AuditEntry.objects.filter(action="role.revoke").exists()


def _grant_then_fail() -> None:
    with transaction.atomic():
        user = User.objects.create_user(email="a@example.org")
        services.role_grant(actor=None, user=user, role=Role.COMMITTEE)
        raise RuntimeError("the enclosing change fails")


def test_audit_rows_roll_back_with_the_enclosing_change(clp) -> None:
    with pytest.raises(RuntimeError):
        _grant_then_fail()

    assert AuditEntry.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        _entry()

    assert AuditEntry.objects.count() == 0
