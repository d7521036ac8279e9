"""Writing the audit log. Every write service of every app calls ``audit_record`` inside its
own transaction, so the change and its audit row commit or fail together."""

from __future__ import annotations

from django.db import connection

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
