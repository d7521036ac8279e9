from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.web.alliance.models import (
    AllianceRules,
    GroupRequest,
    Organisation,
    Representative,
)
from grassroots.web.audit.admin_audited import AuditedAdmin


class ShownOnly:
    """Representatives are recorded and ended on the site (``representative_record``,
    ``representative_end``), which check the seats and the affiliation and grant or take back
    the role; the admin would do none of that, so it only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RepresentativeInline(ShownOnly, admin.TabularInline[Representative, Organisation]):
    model = Representative
    extra = 0
    raw_id_fields = ("supporter",)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin[Organisation]):
    object_type = "organisation"
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
class RepresentativeAdmin(ShownOnly, AuditedAdmin[Representative]):
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
