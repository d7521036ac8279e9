from __future__ import annotations

from django.apps import AppConfig


class SlatesConfig(AppConfig):
    name = "grassroots.web.slates"
    label = "slates"
    verbose_name = "Slate selection"
