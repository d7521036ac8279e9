from __future__ import annotations

from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "grassroots.web.ballots"
    label = "ballots"
    verbose_name = "Ballots"
