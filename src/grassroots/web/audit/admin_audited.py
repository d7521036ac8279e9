"""An admin that audits what it changes, as the services do: the admin's own pages (add,
change, delete one, delete the ticked rows) and the rows edited inside another's page.

The admin's views run each change in a transaction, so an audit row commits with its change.
Summaries list the fields changed, never their values (no names of people).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from grassroots.web.audit.services import audit_record

M = TypeVar("M", bound=Model)

URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def _changed(fields: list[str]) -> str:
    return f"changed: {', '.join(fields) or 'nothing'}"


def _object_type(model: type[Model], inlines: dict[type[Model], str]) -> str:
    return inlines.get(model, model._meta.model_name or "")


class AuditedAdmin(admin.ModelAdmin[M]):
    """``object_type`` names the model in the log; ``inline_object_types`` names the models of
    its inlines (their model name otherwise)."""

    object_type = ""
    inline_object_types: dict[type[Model], str] = {}  # noqa: RUF012 (read only)
    formfield_overrides = URL_FIELDS

    def _audit(
        self, request: HttpRequest, object_type: str, verb: str, pk: object, summary: str = ""
    ) -> None:
        audit_record(
            actor_id=request.user.pk,
            action=f"{object_type}.admin_{verb}",
            object_type=object_type,
            object_id=pk,
            summary=summary,
        )

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = "change" if change else "add"
        self._audit(request, self.object_type, verb, obj.pk, _changed(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        pk = obj.pk
        super().delete_model(request, obj)
        self._audit(request, self.object_type, "delete", pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in pks:
            self._audit(request, self.object_type, "delete", pk)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[M], formset: Any, change: bool
    ) -> None:
        assert isinstance(formset, BaseModelFormSet)
        object_type = _object_type(formset.model, self.inline_object_types)
        deleted = [f.instance.pk for f in formset.deleted_forms if f.instance.pk is not None]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, object_type, "add", obj.pk)
        for obj, fields in formset.changed_objects:
            self._audit(request, object_type, "change", obj.pk, _changed(fields))
        for pk in deleted:
            self._audit(request, object_type, "delete", pk)
