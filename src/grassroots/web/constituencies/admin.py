from __future__ import annotations

from django.contrib import admin

from grassroots.web.constituencies.models import Constituency


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin[Constituency]):
    list_display = ("name", "gss_code", "nation", "region", "constituency_type")
    list_filter = ("nation", "region")
    search_fields = ("name", "name_cy", "gss_code")
