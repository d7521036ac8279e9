"""How many supporters joined through an invitation, by CLP: a count and nothing more.

A supporter shares a personal link (``invitations.services.invitation_token``). Whoever
signs up through it adds one to the count of the CLP they join in; nothing records who
invited whom, nor which new supporter came by a link, so the count cannot be traced back
to a person and outlives any erasure.
"""

from __future__ import annotations

from django.db import models

from grassroots.web.constituencies.models import Constituency


class InvitedJoinCount(models.Model):
    constituency = models.OneToOneField(
        Constituency, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    joined = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("constituency",)

    def __str__(self) -> str:
        return f"{self.constituency_id}: {self.joined}"
