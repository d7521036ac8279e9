from __future__ import annotations

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "grassroots.web.elections"
    label = "elections"
    verbose_name = "Party elections"
