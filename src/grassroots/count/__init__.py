"""The counting engine: ballot profiles, file formats, STV rules and quotas.

It imports nothing from the web layer (a test proves it), so a returning
officer can use it alone::

    >>> from grassroots.count import Profile, count
    >>> p = Profile.from_rankings(["Ann", "Bob", "Cy"], 1, [[0], [0], [1], [2, 1]])
    >>> count(p, rule="irv").elected
    ('Ann',)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from grassroots.count.errors import CountError, FormatError, QuotaError, RuleError
from grassroots.count.profile import Profile
from grassroots.count.quota import Limit, Quotas
from grassroots.count.result import Action, Decision, DecisionKind, Result, Stage, Transfer

RULES: dict[str, str] = {
    "scottish": "Scottish STV (SSI 2007/42), 5 decimal places",
    "ers97": "Electoral Reform Society 1997 STV rules, 2 decimal places",
    "meek": "Meek STV (Hill, Wichmann & Woodall, Algorithm 123)",
    "irv": "Instant runoff, one seat",
}


class _RuleCount(Protocol):
    def __call__(self, profile: Profile, *, quotas: Quotas | None, seed: int) -> Result: ...


def rule_counter(rule: str) -> Callable[..., Result]:
    """The ``count`` function of a rule module, imported on first use."""
    if rule not in RULES:
        raise RuleError(f'unknown rule "{rule}": choose one of {", ".join(RULES)}')
    module = importlib.import_module(f"grassroots.count.rules.{rule}")
    counter: _RuleCount = module.count
    return counter


def count(
    profile: Profile,
    *,
    rule: str = "scottish",
    quotas: Quotas | None = None,
    seed: int = 0,
) -> Result:
    """Count a profile by the named rule.

    Args:
        profile: candidates, seats and ballots (categories attached when quotas are used).
        rule: one of :data:`RULES`.
        quotas: category limits, applied by guard and doom.
        seed: seed for ties the rule sends to lot; recorded in the result.

    Raises:
        RuleError: unknown rule or options the rule cannot honour.
        QuotaError: quotas that no result could meet.
    """
    return rule_counter(rule)(profile, quotas=quotas, seed=seed)


__all__ = [
    "RULES",
    "Action",
    "CountError",
    "Decision",
    "DecisionKind",
    "FormatError",
    "Limit",
    "Profile",
    "QuotaError",
    "Quotas",
    "Result",
    "RuleError",
    "Stage",
    "Transfer",
    "count",
]
