from __future__ import annotations

from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "grassroots.web.ballots"
    label = "ballots"
    verbose_name = "Ballots"

    def ready(self) -> None:
        # people cannot import ballots (it is the lower app), so erasing a person unlinks
        # them from the rolls, and their export lists them, through hooks registered here.
        from grassroots.web.ballots.erasure import person_ballots_export, person_erase_from_ballots
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register

        person_erasure_step_register("ballots", person_erase_from_ballots)
        person_export_part_register("ballots", person_ballots_export)
