"""The admin shows slate selections read-only: every change goes through ``slates.services``,
which check who may act and write the audit log."""

from __future__ import annotations

from django.contrib import admin

from grassroots.web.ballots.admin import ReadOnlyAdmin
from grassroots.web.slates.models import Endorsement, SlateNomination, SlateSelection


@admin.register(SlateNomination)
class SlateNominationAdmin(ReadOnlyAdmin):
    list_display = ("name", "gender", "organisation", "section", "nominated_on")
    list_filter = ("section",)
    list_select_related = ("organisation", "section__election")


@admin.register(SlateSelection)
class SlateSelectionAdmin(ReadOnlyAdmin):
    list_display = ("ballot", "section", "slate_size", "published_at")
    list_select_related = ("ballot", "section__election")


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "slate", "endorsed_on")
    list_select_related = ("organisation", "slate")
