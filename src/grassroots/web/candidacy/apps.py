from __future__ import annotations

from django.apps import AppConfig


class CandidacyConfig(AppConfig):
    name = "grassroots.web.candidacy"
    label = "candidacy"
    verbose_name = "Candidates' pages"

    def ready(self) -> None:
        # ballots and people cannot import candidacy (they are lower apps): the ballot paper's
        # order and links, erasure's step and the export part are registered from here.
        from grassroots.web.ballots.paper import paper_extras_source_register
        from grassroots.web.candidacy.erasure import (
            person_candidacy_export,
            person_erase_from_candidacy,
        )
        from grassroots.web.candidacy.selectors import ballot_paper_extras
        from grassroots.web.people.erasure import person_erasure_step_register
        from grassroots.web.people.exports import person_export_part_register

        paper_extras_source_register("candidacy", ballot_paper_extras)
        person_erasure_step_register("candidacy", person_erase_from_candidacy)
        person_export_part_register("candidate_links_sent_to_me", person_candidacy_export)
