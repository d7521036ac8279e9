from __future__ import annotations

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "grassroots.web.mail"
    label = "mail"
    verbose_name = "Outgoing email"
