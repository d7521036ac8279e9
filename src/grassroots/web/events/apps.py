from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "grassroots.web.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # The alliance app cannot import events (it is the lower app), so the events part of
        # an organisation's page is registered from here.
        from grassroots.web.alliance.page_parts import (
            OrganisationPagePart,
            organisation_page_part_register,
        )
        from grassroots.web.events.selectors import organisation_page_events

        organisation_page_part_register(
            "events",
            OrganisationPagePart("events/_organisation_events.html", organisation_page_events),
        )
