"""Lets the Django classes our code subscripts for the type checker (``admin.ModelAdmin[User]``,
``forms.ModelChoiceField[Candidate]``) be subscripted when the module runs, too.

django-stubs describes these classes as generic, but Django's own classes are not, so a base
class written ``admin.ModelAdmin[User]`` fails at import. ``django_stubs_ext.monkeypatch()``
does this for a long list of classes, but it is a development package, which the installed
site must not need (docs/operations.md). This does the same for the classes the site
subscripts, and nothing else: the test suite runs without the development package's patch, so
a new subscript of another class fails there, not in production.
"""

from __future__ import annotations

from typing import Any


def _self(cls: type, *args: Any, **kwargs: Any) -> type:
    """``Class[Model]`` is the class itself at run time; only the type checker reads the
    argument."""
    return cls


def generics_subscriptable() -> None:
    """Give the classes we subscript a ``__class_getitem__`` (idempotent)."""
    from django import forms
    from django.contrib.admin.options import BaseModelAdmin

    # BaseModelAdmin covers ModelAdmin and the inlines; ModelChoiceField covers
    # ModelMultipleChoiceField.
    classes: tuple[type, ...] = (BaseModelAdmin, forms.ModelChoiceField)
    for cls in classes:
        if "__class_getitem__" not in cls.__dict__:
            setattr(cls, "__class_getitem__", classmethod(_self))  # noqa: B010 (a new attribute)
