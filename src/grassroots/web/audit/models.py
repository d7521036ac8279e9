"""The audit log. Rows are written only by ``audit.services.audit_record``, inside the service
that makes the change, and are never updated or deleted.

Three guards keep it append-only: ``save`` refuses an existing row, ``delete`` and the queryset's
``update``/``delete`` raise, and a database trigger refuses UPDATE (both databases) and DELETE
(PostgreSQL; see the migrations for why SQLite only guards UPDATE).

One change is allowed, and only one: forgetting a person who erased their account
(``audit.services.audit_person_forget``). It empties the actor id where the person acted and
the object id where the row was about them (a supporter or user), and sets
``person_erased``; the action, object type, summary and time stay. The database trigger
allows exactly that change and refuses any other (migration 0003).

The actor is a plain id, not a foreign key: the log must outlive the people in it, and a
summary never holds personal data.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(Exception):
    """Something tried to change or remove an audit row."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only: rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only: rows cannot be deleted")


class AuditEntry(models.Model):
    """One change: who (actor id, or none for the system), what action, on which object."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    person_erased = models.BooleanField(
        default=False,
        help_text="A person this row named erased their account: their id was removed.",
    )

    objects: ClassVar[models.Manager[AuditEntry]] = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only: rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only: rows cannot be deleted")
