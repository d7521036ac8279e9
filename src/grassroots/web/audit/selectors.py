"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.web.audit.models import AuditEntry


def audit_entry_list(*, limit: int = 200) -> QuerySet[AuditEntry]:
    """The newest entries first."""
    return AuditEntry.objects.order_by("-created_at", "-id")[:limit]
