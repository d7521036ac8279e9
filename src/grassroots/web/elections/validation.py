"""What makes a candidate, a slate or a section valid: one function each, for adding and
changing alike.

Each takes the values a person typed and returns them as they are stored (names stripped, a
colour in lower case, quotas in the engine's shape), or raises the ``DomainError`` that
refuses them. Create and update services call the same function, so the two paths cannot
drift apart. Checks that depend on what is already recorded (a result that names a candidate,
nominations inside a window) stay in the service that changes it.
"""

from __future__ import annotations

import re

from grassroots.count import RULES
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import (
    QUOTA_CATEGORIES,
    Candidate,
    Gender,
    PartyElection,
    Section,
    Slate,
)
from grassroots.web.errors import DomainError

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def candidate_values(
    *,
    section: Section,
    name: str,
    gender: str,
    clp: Constituency | None,
    candidate: Candidate | None = None,
) -> dict[str, object]:
    """A candidate's name, gender and home CLP as stored; names are unique in a section
    (``candidate`` is the one being changed, which may keep its own name)."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the candidate's name.", field="name")
    if gender not in Gender.values:
        raise DomainError("Choose one of the listed genders.", field="gender")
    if clp is not None and not clp.has_clp:
        raise DomainError("There are no CLPs in Northern Ireland.", field="clp")
    others = Candidate.objects.filter(section=section)
    if candidate is not None:
        others = others.exclude(pk=candidate.pk)
    if others.filter(name__iexact=name).exists():
        raise DomainError("This candidate is already standing in the section.", field="name")
    return {"name": name, "gender": gender, "clp": clp}


def slate_values(
    *,
    election: PartyElection,
    name: str,
    organisation: str,
    colour: str,
    slate: Slate | None = None,
) -> dict[str, object]:
    """A slate's name, organisation and chart colour as stored (the colour in lower case, so
    one colour is one value); names are unique in an election."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the slate's name.", field="name")
    others = Slate.objects.filter(election=election)
    if slate is not None:
        others = others.exclude(pk=slate.pk)
    if others.filter(name__iexact=name).exists():
        raise DomainError("A slate with this name is already recorded.", field="name")
    colour = colour.strip()
    if not COLOUR.fullmatch(colour):
        raise DomainError("Give a colour as # and six hex digits, e.g. #c0392b.", field="colour")
    return {"name": name, "organisation": organisation.strip(), "colour": colour.lower()}


def section_values(
    *,
    name: str,
    seats: int,
    rule: str,
    quotas: dict[str, dict[str, int]],
    nomination_threshold: int,
) -> dict[str, object]:
    """A section's name, seats, rule, quotas and nomination threshold as stored: the rule one
    the engine counts, the quotas only the limits given, and all of them able to work
    together (see ``quota_problem``). A section's address (slug) is set once, when it is
    added, and checked there."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the section's name.", field="name")
    if rule not in RULES:
        raise DomainError("Choose one of the listed rules.", field="rule")
    if seats < 1:
        raise DomainError("A section has at least one seat.", field="seats")
    if nomination_threshold < 0:
        raise DomainError(
            "The nomination threshold cannot be negative.", field="nomination_threshold"
        )
    quotas = quotas_clean(quotas)
    if problem := quota_problem(seats=seats, quotas=quotas, rule=rule):
        raise problem
    return {
        "name": name,
        "seats": seats,
        "rule": rule,
        "quotas": quotas,
        "nomination_threshold": nomination_threshold,
    }


def quota_problem(
    *, seats: int, quotas: dict[str, dict[str, int]], rule: str = ""
) -> DomainError | None:
    """Why a section's seats, rule and quotas cannot work together, or None.

    A minimum must fit in the seats, a maximum must not be below its minimum, and the
    minimums together must fit in the seats; instant runoff elects one.
    """
    if rule == "irv" and seats != 1:
        return DomainError(
            "Instant runoff elects one: set one seat or choose an STV rule.", field="rule"
        )
    total = 0
    for category, limit in quotas.items():
        noun = QUOTA_CATEGORIES.get(category, category)
        lo, hi = limit.get("min", 0), limit.get("max")
        if lo < 0 or (hi is not None and hi < 0):
            return DomainError("A quota cannot be negative.", field=f"min_{category}")
        if lo > seats:
            return DomainError(
                f"At least {lo} {noun} cannot be elected to {seats} seat(s): "
                "lower the minimum or add seats.",
                field="seats",
            )
        if hi is not None and hi < lo:
            return DomainError(
                f"The most {noun} ({hi}) is below the least ({lo}).", field=f"max_{category}"
            )
        total += lo
    if total > seats:
        return DomainError(
            f"The minimums add up to {total}, more than the {seats} seat(s).", field="seats"
        )
    return None


def quotas_clean(quotas: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The quota JSON the engine reads: only the limits given, e.g. ``{"F": {"min": 4}}``."""
    out: dict[str, dict[str, int]] = {}
    for category, limit in quotas.items():
        if category not in QUOTA_CATEGORIES:
            raise DomainError(f"Quotas are by gender: {category!r} is not one.", field=None)
        kept: dict[str, int] = {}
        if limit.get("min"):
            kept["min"] = int(limit["min"])
        if limit.get("max") is not None:
            kept["max"] = int(limit["max"])
        if kept:
            out[category] = kept
    return out
