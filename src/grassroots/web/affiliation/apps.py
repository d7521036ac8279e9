from __future__ import annotations

from django.apps import AppConfig


class AffiliationConfig(AppConfig):
    name = "grassroots.web.affiliation"
    label = "affiliation"
    verbose_name = "Applications to affiliate"

    def ready(self) -> None:
        from grassroots.web.affiliation.services import contact_forget
        from grassroots.web.people.erasure import person_erasure_step_register

        person_erasure_step_register("affiliation", contact_forget)
