"""What apps above people do when a person erases their account.

people cannot import those apps (lower apps never import higher ones, docs/web.md), so each
registers a step in its ``AppConfig.ready``: a function that, given the person about to be
erased, removes or unlinks what that app holds about them. ``people.services.person_erase``
runs every step inside its own transaction, before it deletes the account, so either all of
them happen or none does.
"""

from __future__ import annotations

from collections.abc import Callable

from grassroots.web.people.models import User

ErasureStep = Callable[[User], None]

_STEPS: dict[str, ErasureStep] = {}


def person_erasure_step_register(name: str, step: ErasureStep) -> None:
    """Add (or replace, so that ``ready`` may run twice) the erasure step ``name``."""
    _STEPS[name] = step


def person_erasure_steps_run(*, person: User) -> None:
    """Run each registered step for ``person``, in a fixed order (by name)."""
    for _name, step in sorted(_STEPS.items()):
        step(person)
