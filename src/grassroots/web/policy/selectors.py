"""Reading the policy positions."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.web.policy.models import PolicyPosition


def position_list() -> QuerySet[PolicyPosition]:
    """Every position, in the organisers' order."""
    return PolicyPosition.objects.order_by("position", "id")


def position_get(*, position_id: int) -> PolicyPosition | None:
    return PolicyPosition.objects.filter(pk=position_id).first()
