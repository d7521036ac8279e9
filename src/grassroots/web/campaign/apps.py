from __future__ import annotations

from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "grassroots.web.campaign"
    label = "campaign"
    verbose_name = "Campaign: nominations drive and vote management"

    def ready(self) -> None:
        from grassroots.web.campaign.erasure import person_erase_from_campaign
        from grassroots.web.campaign.selectors import campaign_export
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register

        person_erasure_step_register("campaign", person_erase_from_campaign)
        person_export_part_register("campaign", campaign_export)
