from __future__ import annotations

from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "grassroots.web.mailings"
    label = "mailings"
    verbose_name = "Mailings"
