from __future__ import annotations

from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "grassroots.web.invitations"
    label = "invitations"
    verbose_name = "Invitations"
