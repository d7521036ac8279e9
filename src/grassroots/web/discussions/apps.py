from __future__ import annotations

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "grassroots.web.discussions"
    label = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        # people cannot import discussions (it is the lower app): the discussions part of a
        # person's data export and erasure's step are registered here.
        from grassroots.web.discussions import selectors
        from grassroots.web.discussions.erasure import person_erase_from_discussions
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register

        person_export_part_register("discussions", selectors.discussions_export)
        person_erasure_step_register("discussions", person_erase_from_discussions)
