from __future__ import annotations

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "grassroots.web.elections"
    label = "elections"
    verbose_name = "Party elections"

    def ready(self) -> None:
        from grassroots.web.elections.erasure import person_erase_from_elections
        from grassroots.web.elections.retention import forecast_runs_expire
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.retention import retention_rule_register

        person_erasure_step_register("elections", person_erase_from_elections)
        retention_rule_register("elections", "stored forecast(s)", forecast_runs_expire)
