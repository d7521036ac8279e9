"""``grassroots manage discussions_digest``: queue the daily and weekly discussion digests of
the last whole period. Run it once a day (docs/operations.md); running it again in the same
period sends nothing more."""

from __future__ import annotations

import datetime
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.web.discussions.notify import digests_queue


class Command(BaseCommand):
    help = (
        "Queue the daily digest of yesterday and the weekly digest of last week (Monday to "
        "Sunday, UK time) for each person who chose one. Idempotent per period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="The time to take as now, ISO 8601 (e.g. 2026-03-02T07:00+00:00); for tests "
            "and to catch up a missed day.",
        )
        parser.add_argument(
            "--site-url",
            default=os.environ.get("GRASSROOTS_SITE_URL", "http://localhost:8000"),
            help="The site's address, for the links in the emails (default: the "
            "GRASSROOTS_SITE_URL environment variable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as err:
                raise CommandError(
                    f"--now {options['now']!r}: expected an ISO 8601 time, "
                    "e.g. 2026-03-02T07:00+00:00"
                ) from err
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        queued = digests_queue(now=now, site_url=options["site_url"])
        for frequency, (label, people) in queued.items():
            self.stdout.write(f"{frequency} digest {label}: queued for {people} people")
