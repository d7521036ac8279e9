from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from grassroots.web.mail.models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin[Email]):
    """The outbox, read-only: what is queued, sent or failed, with each failure's error.

    The body is not shown: until it is sent it may hold a login link."""

    list_display = ("subject", "to", "status", "attempts", "last_error", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject", "key")
    ordering = ("-created_at",)
    fields = (
        "key",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "lease_until",
        "sent_at",
        "message_id",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Email | None = None) -> bool:
        return False
