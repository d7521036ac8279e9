"""Codes into words, for people reading a page: quotas, counting rules, a count's stages and
decisions.

The engine and the database keep their codes (``{"F": {"min": 4}}``, ``scottish``,
``quota_exclusion``), and so does every download (``result.json``, BLT, CSV): a recount needs
them. Only pages show the words, and each concept has one mapping here, so every page says
the same thing. Templates use them as filters after ``{% load words %}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from grassroots.count import RULES
from grassroots.count.result import Action, DecisionKind
from grassroots.web.elections.models import QUOTA_CATEGORIES, QUOTA_CATEGORY_ONE

register = template.Library()

# What happened in a stage of a count (a count sheet's column heading).
STAGE_ACTIONS: dict[str, str] = {
    Action.FIRST: "first preferences",
    Action.SURPLUS: "surplus transferred",
    Action.EXCLUSION: "excluded with the fewest votes",
    Action.QUOTA_EXCLUSION: "excluded to meet the quota",
}
# What the count decided about a candidate ("Marcus Greene excluded because of the quota").
DECISION_KINDS: dict[str, str] = {
    DecisionKind.ELECTED: "elected",
    DecisionKind.EXCLUDED: "excluded",
    DecisionKind.DOOMED: "excluded",
    DecisionKind.GUARDED: "kept in the count",
    DecisionKind.TIE: "tie broken",
    DecisionKind.DEFERRED: "surplus deferred",
}
QUOTA_LIMITS = (("min", "at least"), ("max", "at most"))
# How a past election was counted, as its published figures abbreviate it.
VOTING_METHODS: dict[str, str] = {
    "FPTP": "first past the post",
    "STV": "single transferable vote",
}


@register.filter
def rule_name(code: str) -> str:
    """A counting rule's name: ``scottish`` → "Scottish STV (SSI 2007/42), 5 decimal places"."""
    return RULES.get(str(code), str(code))


@register.filter
def method_name(code: str) -> str:
    """How a past election was counted: ``FPTP`` → "first past the post"."""
    return VOTING_METHODS.get(str(code), str(code))


@register.filter
def stage_action(code: str) -> str:
    """What happened in a stage: ``quota_exclusion`` → "excluded to meet the quota"."""
    return STAGE_ACTIONS.get(str(code), str(code).replace("_", " "))


@register.filter
def decision_kind(code: str) -> str:
    """What the count decided: ``doomed`` → "excluded"."""
    return DECISION_KINDS.get(str(code), str(code).replace("_", " "))


def _category_words(category: str, number: int) -> str:
    names = QUOTA_CATEGORY_ONE if number == 1 else QUOTA_CATEGORIES
    if category in names:
        return f"{names[category]} ({category})"
    return f"{'candidate' if number == 1 else 'candidates'} in category “{category}”"


@register.filter
def quota_words(quotas: Mapping[str, Mapping[str, Any]] | None) -> str:
    """Category quotas in words: ``{"F": {"min": 4}}`` → "at least 4 women (F)".

    A category the site names (the candidates' gender) is given in words with its code, which
    is what the candidate lists show; any other category keeps its own name. "" for none.
    """
    parts = []
    for category, limit in (quotas or {}).items():
        for key, word in QUOTA_LIMITS:
            number = limit.get(key) if isinstance(limit, Mapping) else None
            if number is None or (key == "min" and not number):
                continue
            parts.append(f"{word} {number} {_category_words(str(category), int(number))}")
    return ", ".join(parts)
