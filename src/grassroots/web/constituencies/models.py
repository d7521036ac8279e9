"""A Westminster constituency. Each one in Great Britain has a Labour CLP; Northern Ireland's
are kept for completeness and hidden from pickers (``Constituency.objects.with_clp()``).

Rows come from the fixture in ``data/``; they change only through
``constituencies.services.constituency_load``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

NORTHERN_IRELAND = "Northern Ireland"


class ConstituencyQuerySet(models.QuerySet["Constituency"]):
    def with_clp(self) -> ConstituencyQuerySet:
        """Constituencies that have a CLP: all but Northern Ireland's."""
        return self.exclude(nation=NORTHERN_IRELAND)


class Constituency(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, primary_key=True)
    name = models.CharField(max_length=100, unique=True)
    name_cy = models.CharField("Welsh name", max_length=100, blank=True)
    nation = models.CharField(max_length=20, db_index=True)
    region = models.CharField(max_length=40, db_index=True)
    region_gss_code = models.CharField("region GSS code", max_length=9)
    constituency_type = models.CharField(max_length=10)
    mysociety_code = models.CharField("mySociety code", max_length=3, unique=True)

    objects: ClassVar[ConstituencyQuerySet] = ConstituencyQuerySet.as_manager()  # type: ignore[assignment]  # the manager exposes the queryset's methods

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name

    @property
    def has_clp(self) -> bool:
        return self.nation != NORTHERN_IRELAND
