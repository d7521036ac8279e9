from __future__ import annotations

from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "grassroots.web.alliance"
    label = "alliance"
    verbose_name = "Alliance"
