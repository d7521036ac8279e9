from __future__ import annotations

from django.contrib import admin

from grassroots.web.alliance.models import (
    AllianceRules,
    GroupRequest,
    Organisation,
    Representative,
)
from grassroots.web.audit.admin_audited import AuditedAdmin


class RepresentativeInline(admin.TabularInline[Representative, Organisation]):
    model = Representative
    extra = 0
    raw_id_fields = ("supporter",)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin[Organisation]):
    object_type = "organisation"
    inline_object_types = {Representative: "representative"}  # noqa: RUF012 (read only)
    list_display = ("name", "kind", "status", "affiliated_on", "disaffiliated_on")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    filter_horizontal = ("constituencies",)
    inlines = (RepresentativeInline,)


@admin.register(AllianceRules)
class AllianceRulesAdmin(AuditedAdmin[AllianceRules]):
    object_type = "rules"
    list_display = ("national_seats", "local_seats")


@admin.register(Representative)
class RepresentativeAdmin(AuditedAdmin[Representative]):
    object_type = "representative"
    list_display = ("name", "organisation", "started_on", "ended_on", "method")
    list_filter = ("method",)
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation", "supporter")


@admin.register(GroupRequest)
class GroupRequestAdmin(AuditedAdmin[GroupRequest]):
    object_type = "group_request"
    list_display = ("pk", "constituency", "status", "created_at", "handled_at")
    list_filter = ("status",)
    list_select_related = ("constituency",)
    raw_id_fields = ("supporter", "constituency", "handled_by")
    filter_horizontal = ("put_in_touch",)
