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

        # people cannot import events either: the events part of a person's data export,
        # their requests to be named as a contact, and erasure's step are registered here.
        from grassroots.web.events.erasure import person_erase_from_events
        from grassroots.web.events.rsvps import rsvp_export
        from grassroots.web.events.selectors import contact_naming_requests, event_contact_export
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register
        from grassroots.web.people.naming import naming_source_register

        person_export_part_register("events", event_contact_export)
        person_export_part_register("event_replies", rsvp_export)
        naming_source_register("events", contact_naming_requests)
        person_erasure_step_register("events", person_erase_from_events)
