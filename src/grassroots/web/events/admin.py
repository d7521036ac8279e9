"""Admin for events and speakers. Changes made here are audited too (the admin's change view
runs in a transaction, so the audit row commits with the change)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.audit.services import audit_record
from grassroots.web.events.models import Event, Speaker

M = TypeVar("M", bound=Model)


class AuditedAdmin(admin.ModelAdmin[M]):
    object_type = ""

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor_id=request.user.pk,
            action=f"{self.object_type}.admin_{'change' if change else 'add'}",
            object_type=self.object_type,
            object_id=obj.pk,
            summary=", ".join(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        pk = obj.pk
        super().delete_model(request, obj)
        audit_record(
            actor_id=request.user.pk,
            action=f"{self.object_type}.admin_delete",
            object_type=self.object_type,
            object_id=pk,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in pks:
            audit_record(
                actor_id=request.user.pk,
                action=f"{self.object_type}.admin_delete",
                object_type=self.object_type,
                object_id=pk,
            )


@admin.register(Event)
class EventAdmin(AuditedAdmin[Event]):
    object_type = "event"
    list_display = ("title", "kind", "starts_at", "organiser_name", "constituency", "published")
    list_filter = ("kind", "published", "constituency__region")
    list_select_related = ("constituency",)
    search_fields = ("title", "organiser_name", "venue")
    raw_id_fields = ("organisation", "contact", "constituency", "created_by")
    filter_horizontal = ("speakers",)
    readonly_fields = ("uid", "organiser_slug", "created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: Event, form: ModelForm[Event], change: bool
    ) -> None:
        obj.organiser_slug = slugify(obj.organiser_name)
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Speaker)
class SpeakerAdmin(AuditedAdmin[Speaker]):
    object_type = "speaker"
    list_display = ("name", "topics", "region", "listed")
    list_filter = ("listed", "region")
    search_fields = ("name", "topics")
    raw_id_fields = ("constituency",)
