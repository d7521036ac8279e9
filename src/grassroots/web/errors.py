"""The one error a service raises when a rule of the domain refuses an action.

A view catches it and shows the message next to ``field`` on the form (or at the top when
``field`` is None), so the person sees what to change and nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms


class DomainError(Exception):
    """An action the domain's rules refuse, with a message fit to show the person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)

    def show_on(self, form: forms.Form) -> None:
        """Put the message next to its field on ``form``, or at the top if the form has no
        such field."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
