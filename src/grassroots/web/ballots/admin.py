"""The admin shows ballots read-only, and cast ballots only once their ballot has closed:
every change goes through ``ballots.services``, and nobody, not even a superuser, sees a vote
while voting is open or changes one after."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.web.ballots.models import (
    Ballot,
    BallotElectorateOrganisation,
    BallotOption,
    CastBallot,
    Electorate,
    Scrutineer,
    Status,
    TrialCredential,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[Any, Ballot]):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BallotOptionInline(ReadOnlyInline):
    model = BallotOption
    fields = ("position", "name", "category")


class BallotElectorateOrganisationInline(ReadOnlyInline):
    """A ballot of weighted organisations: each organisation and its share (weight)."""

    model = BallotElectorateOrganisation
    fields = ("organisation", "weight")
    verbose_name = "organisation in the electorate"
    verbose_name_plural = "organisations in the electorate, with their weights"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("organisation")


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("slug", "question", "method", "status", "opens_at", "closes_at")
    list_filter = ("status", "method")
    exclude = ("result",)
    inlines = (BallotOptionInline, BallotElectorateOrganisationInline)

    def get_inlines(self, request: HttpRequest, obj: Ballot | None) -> list[type[Any]]:
        """The organisations only for a ballot of weighted organisations."""
        if obj is not None and obj.electorate == Electorate.ORGANISATIONS:
            return list(self.inlines)
        return [BallotOptionInline]


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


@admin.register(Scrutineer)
class ScrutineerAdmin(ReadOnlyAdmin):
    """Who watches which ballot; named and removed on the ballot's management page."""

    list_display = ("ballot", "person")
    list_filter = ("ballot",)
    list_select_related = ("ballot", "person")
    fields = ("ballot", "person")


@admin.register(TrialCredential)
class TrialCredentialAdmin(ReadOnlyAdmin):
    """A draft's test credentials: which ballot and whether used, never the token's hash.
    They are deleted, with the test ballots, when the ballot opens."""

    list_display = ("pk", "ballot", "used")
    list_filter = ("used", "ballot")
    list_select_related = ("ballot",)
    fields = ("ballot", "used")
