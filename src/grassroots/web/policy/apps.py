from __future__ import annotations

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "grassroots.web.policy"
    label = "policy"
    verbose_name = "Policy positions"
