"""Stored forecasts are kept ``RETENTION_FORECAST_DAYS`` (90 by default): a forecast can be
asked for again and computed anew, so an old one is not worth keeping. One still queued or
running is never deleted (the worker is on it). Registered with people's retention rules."""

from __future__ import annotations

import datetime

from django.conf import settings

from grassroots.web.elections.models import ForecastRun, ForecastStatus


def forecast_runs_expire(now: datetime.datetime, dry_run: bool) -> int:
    """Delete finished forecasts older than the period (count only if ``dry_run``)."""
    old = ForecastRun.objects.filter(
        status__in=(ForecastStatus.DONE, ForecastStatus.FAILED),
        created_at__lt=now - datetime.timedelta(days=settings.RETENTION_FORECAST_DAYS),
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return count
