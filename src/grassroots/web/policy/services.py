"""Writing the alliance's policy positions: each service runs in one transaction with its
audit row. Summaries hold ids only."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from grassroots.web.audit.services import audit_record
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.policy.models import PolicyPosition

TITLE_TAKEN = "Another position has this title: give this one a title of its own."
TITLE_NO_WORDS = "Give the position a title with at least one letter or digit."


def _slug_for(title: str, *, exclude: int | None = None) -> str:
    slug = slugify(title)[:80].strip("-")
    if not slug:
        raise DomainError(TITLE_NO_WORDS, field="title")
    taken = PolicyPosition.objects.filter(slug=slug)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(TITLE_TAKEN, field="title")
    return slug


@transaction.atomic(durable=True)
def position_create(*, actor: User, title: str, body: str) -> PolicyPosition:
    """Add a position at the end of the list."""
    last = PolicyPosition.objects.aggregate(last=Max("position"))["last"]
    position = PolicyPosition.objects.create(
        title=title,
        slug=_slug_for(title),
        body=body,
        position=0 if last is None else last + 1,
    )
    audit_record(
        actor_id=actor.pk, action="policy.create", object_type="policy", object_id=position.pk
    )
    return position


@transaction.atomic(durable=True)
def position_update(
    *, actor: User, position: PolicyPosition, title: str, body: str
) -> PolicyPosition:
    """Change a position's title or text; its address follows the title."""
    position = PolicyPosition.objects.select_for_update().get(pk=position.pk)
    changed = [
        name for name, new in (("title", title), ("body", body)) if getattr(position, name) != new
    ]
    position.title, position.body = title, body
    position.slug = _slug_for(title, exclude=position.pk)
    position.save()
    audit_record(
        actor_id=actor.pk,
        action="policy.update",
        object_type="policy",
        object_id=position.pk,
        summary=", ".join(changed) or "nothing changed",
    )
    return position


@transaction.atomic(durable=True)
def position_move(
    *, actor: User, position: PolicyPosition, direction: Literal["up", "down"]
) -> PolicyPosition:
    """Swap a position with its neighbour above or below; at either end nothing moves."""
    ordered = list(PolicyPosition.objects.select_for_update().order_by("position", "id"))
    index = next(i for i, p in enumerate(ordered) if p.pk == position.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise DomainError(
            f"This position is already at the {'top' if direction == 'up' else 'bottom'}."
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    # Renumber all: positions written before ordering existed may share a number.
    for number, item in enumerate(ordered):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])
    audit_record(
        actor_id=actor.pk,
        action="policy.move",
        object_type="policy",
        object_id=position.pk,
        summary=direction,
    )
    return ordered[other]


@transaction.atomic(durable=True)
def position_delete(*, actor: User, position: PolicyPosition) -> None:
    """Remove a position from the page."""
    pk = position.pk
    PolicyPosition.objects.filter(pk=pk).delete()
    audit_record(actor_id=actor.pk, action="policy.delete", object_type="policy", object_id=pk)
