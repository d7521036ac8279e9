"""Form fields shared by the apps."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

M = TypeVar("M", bound=Model)

LARGEST_ID = 2**63 - 1


class ModelChoicesField(forms.ModelMultipleChoiceField[M]):
    """Rows ticked by id. An id no database column can hold (a crafted form field) is refused
    as "not one of the choices", instead of reaching SQLite, which fails on it."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text},
                )
        return super().clean(value)
