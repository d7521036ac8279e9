from __future__ import annotations

from django.apps import AppConfig


class SlatesConfig(AppConfig):
    name = "grassroots.web.slates"
    label = "slates"
    verbose_name = "Slate selection"

    def ready(self) -> None:
        # people cannot import slates (it is the lower app), so erasing a person forgets the
        # nominations they submitted, and their export lists them, through hooks registered here.
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register
        from grassroots.web.slates.erasure import (
            person_erase_from_slates,
            person_nominations_export,
        )

        person_erasure_step_register("slates", person_erase_from_slates)
        person_export_part_register("slate_nominations_i_submitted", person_nominations_export)
