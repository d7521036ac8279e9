from __future__ import annotations

from django.apps import AppConfig


class ConstituenciesConfig(AppConfig):
    name = "grassroots.web.constituencies"
    label = "constituencies"
    verbose_name = "Constituencies (CLPs)"
