"""Writing the audit log. Every write service of every app calls ``audit_record`` inside its
own transaction, so the change and its audit row commit or fail together."""

from __future__ import annotations

from django.db import connection, models

from grassroots.web.audit.models import AuditEntry


def audit_record(
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object = "",
    summary: str = "",
) -> AuditEntry:
    """Append one row to the audit log; refuse to run outside a transaction.

    ``summary`` must never hold personal data (names, emails, message text): the log is kept
    after a supporter erases their data.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:300],
    )


# Rows whose object is a person: their object id is the person's user id.
PERSON_OBJECT_TYPES = ("supporter", "user")


def audit_person_forget(*, person_id: int) -> int:
    """Remove an erased person's id from the log, keeping every fact; returns the rows changed.

    Where they acted, the actor id is emptied; where a row was about them (a supporter or
    user), its object id is. Either way ``person_erased`` marks the row, so an empty actor
    still reads "a person since erased", not "the system". The action, object type, summary
    and time stay: the log still says what happened and when, but no longer to whom. This is
    the one update the log allows, and the database triggers allow nothing wider
    (``audit`` migration 0003). Runs inside the erasure's transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_person_forget must run inside the erasure's transaction")
    # models.QuerySet.update, not AuditEntry.objects.update, which refuses every update.
    as_actor = AuditEntry.objects.filter(actor_id=person_id)
    about = AuditEntry.objects.filter(object_type__in=PERSON_OBJECT_TYPES, object_id=str(person_id))
    changed = models.QuerySet.update(as_actor, actor_id=None, person_erased=True)
    changed += models.QuerySet.update(about, object_id="", person_erased=True)
    return changed
