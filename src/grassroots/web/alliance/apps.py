from __future__ import annotations

from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "grassroots.web.alliance"
    label = "alliance"
    verbose_name = "Alliance"

    def ready(self) -> None:
        # people cannot import the alliance (it is the lower app), so the memberships part of
        # a supporter's data export, and their group requests, are registered from here.
        from grassroots.web.alliance.selectors import group_request_export, membership_export
        from grassroots.web.people.exports import supporter_export_part_register

        supporter_export_part_register("organisation_memberships", membership_export)
        supporter_export_part_register("group_requests", group_request_export)
