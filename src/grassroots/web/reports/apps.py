from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "grassroots.web.reports"
    label = "reports"
    verbose_name = "Representatives' reports"

    def ready(self) -> None:
        # Follows go with the person's account (cascade); the export lists them.
        from grassroots.web.people.exports import person_export_part_register
        from grassroots.web.reports.selectors import follow_export

        person_export_part_register("following_representatives", follow_export)
