"""Form fields shared by the apps.

``IdChoicesField`` is Django's ``ModelMultipleChoiceField`` that refuses an id past the 64-bit
range as an invalid choice. Django checks the ids with one ``id IN (...)`` query, and SQLite's
driver cannot bind a Python integer past 2**63 - 1, so without this check a hand-made form
with ``speakers=99999999999999999999`` stopped with a server error instead of a form error.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

LARGEST_ID = 2**63 - 1
_WHOLE = re.compile(r"-?[0-9]+")

_M = TypeVar("_M", bound=models.Model)


class IdChoicesField(forms.ModelMultipleChoiceField[_M]):
    """Several objects chosen by id; an id no database could hold is an invalid choice."""

    def clean(self, value: Any) -> models.QuerySet[_M]:
        for item in value if isinstance(value, (list, tuple)) else []:
            text = str(item).strip()
            if _WHOLE.fullmatch(text) and abs(int(text[:30])) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:30]},
                )
        return super().clean(value)
