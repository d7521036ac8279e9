"""The alliance's policy positions, shown in the organisers' order on ``/policy/``.

Every change goes through ``policy.services`` (``position_create``, ``position_update``,
``position_move``, ``position_delete``), which also write the audit log.
"""

from __future__ import annotations

from django.db import models


class PolicyPosition(models.Model):
    """One position: a title and its text in Markdown (shown sanitised, ``web.markup``)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    body = models.TextField(max_length=20000)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title
