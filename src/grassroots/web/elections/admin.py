"""Admin for party elections: where an administrator sets up elections, sections, candidates
and slates (there are no public forms for these yet). Changes here are audited too (the
admin's change view runs in a transaction, so the audit row commits with the change)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from grassroots.web.audit.admin_audited import AuditedAdmin
from grassroots.web.elections.models import (
    Candidate,
    ForecastRun,
    Nomination,
    PartyElection,
    Section,
    Slate,
    SlateMembership,
)


class SectionInline(admin.TabularInline[Section, PartyElection]):
    model = Section
    extra = 0


@admin.register(PartyElection)
class PartyElectionAdmin(AuditedAdmin[PartyElection]):
    object_type = "party_election"
    inline_object_types = {Section: "section"}  # noqa: RUF012 (read only)
    list_display = ("name", "slug", "nominations_open", "nominations_close")
    inlines = (SectionInline,)


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin[Candidate]):
    object_type = "candidate"
    list_display = ("name", "section", "gender")
    list_filter = ("section__election",)
    raw_id_fields = ("clp",)


class MembershipInline(admin.TabularInline[SlateMembership, Slate]):
    model = SlateMembership
    extra = 0
    raw_id_fields = ("candidate",)


@admin.register(Slate)
class SlateAdmin(AuditedAdmin[Slate]):
    object_type = "slate"
    inline_object_types = {SlateMembership: "slate_membership"}  # noqa: RUF012 (read only)
    list_display = ("name", "election", "organisation")
    inlines = (MembershipInline,)


@admin.register(Nomination)
class NominationAdmin(AuditedAdmin[Nomination]):
    object_type = "nomination"
    list_display = ("clp", "candidate", "nominated_on")
    list_filter = ("section",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the tracker's form or import, which check the rules

    def has_change_permission(self, request: HttpRequest, obj: Nomination | None = None) -> bool:
        return False


@admin.register(ForecastRun)
class ForecastRunAdmin(admin.ModelAdmin[ForecastRun]):
    """Stored forecasts, read-only: the worker writes them and retention deletes them after
    ``RETENTION_FORECAST_DAYS``. The list leaves out the result (a large JSON document); its
    page is the forecast's own address on the site."""

    list_display = ("pk", "section", "status", "progress", "created_at", "finished_at", "error")
    list_filter = ("status", "section__election")
    list_select_related = ("section", "section__election")
    fields = (
        "section",
        "status",
        "runs_done",
        "runs_total",
        "error",
        "requested_by",
        "created_at",
        "finished_at",
        "input_hash",
        "inputs",
    )
    readonly_fields = fields

    @admin.display(description="progress")
    def progress(self, run: ForecastRun) -> str:
        return f"{run.runs_done} / {run.runs_total}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ForecastRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ForecastRun | None = None) -> bool:
        return False
