from __future__ import annotations

from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "grassroots.web.alliance"
    label = "alliance"
    verbose_name = "Alliance"

    def ready(self) -> None:
        # people cannot import the alliance (it is the lower app), so the memberships part of
        # a supporter's data export, their group requests, and erasure's step are registered here.
        from grassroots.web.alliance import selectors
        from grassroots.web.alliance.erasure import person_erase_from_alliance
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register
        from grassroots.web.people.naming import naming_source_register

        person_export_part_register("organisation_memberships", selectors.membership_export)
        person_export_part_register("group_requests", selectors.group_request_export)
        person_export_part_register("representative_terms", selectors.representative_export)
        person_export_part_register(
            "memberships_i_confirmed_or_ended", selectors.membership_handled_export
        )
        person_export_part_register(
            "group_requests_i_handled", selectors.group_request_handled_export
        )
        person_erasure_step_register("alliance", person_erase_from_alliance)
        naming_source_register("alliance", selectors.representative_naming_requests)
