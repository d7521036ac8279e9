"""The admin shows ballots read-only, and cast ballots only once their ballot has closed:
every change goes through ``ballots.services``, and nobody, not even a superuser, sees a vote
while voting is open or changes one after."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.web.ballots.models import Ballot, BallotOption, CastBallot, Status


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BallotOptionInline(admin.TabularInline[BallotOption, Ballot]):
    model = BallotOption
    extra = 0
    fields = ("position", "name", "category")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("slug", "question", "method", "status", "opens_at", "closes_at")
    list_filter = ("status", "method")
    exclude = ("result",)
    inlines = (BallotOptionInline,)


@admin.register(CastBallot)
class CastBallotAdmin(ReadOnlyAdmin):
    """Cast ballots of closed and published ballots only, read-only."""

    list_display = ("receipt", "ballot", "ranking", "weight")
    list_select_related = ("ballot",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CastBallot]:
        return (
            super()
            .get_queryset(request)
            .filter(ballot__status__in=(Status.CLOSED, Status.PUBLISHED))
        )
