"""Category quotas ("at least 4 of 9 elected are women"), by guard and doom.

This is the classical Grey–Fitzgerald method the Electoral Reform Society
uses for constrained STV, and our documented default for party quotas:

* before counting, a category with fewer candidates than its minimum makes
  the quota impossible;
* a continuing candidate is *doomed* when electing them would leave no way
  to meet every minimum and maximum; doomed candidates are excluded together
  in one stage (a quota exclusion);
* a continuing candidate is *guarded* (not eligible for ordinary exclusion)
  when excluding them would leave no way to meet the quotas.

Both tests rest on one feasibility check over the categories, so minima and
maxima, and several categories at once, follow from the same arithmetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from grassroots.count.errors import QuotaError


@dataclass(frozen=True)
class Limit:
    """The least and most seats a category may hold (``maximum`` None: no maximum)."""

    minimum: int = 0
    maximum: int | None = None

    def to_dict(self) -> dict[str, int]:
        out = {"min": self.minimum} if self.minimum else {}
        if self.maximum is not None:
            out["max"] = self.maximum
        return out


@dataclass(frozen=True)
class Quotas:
    """Limits by category, e.g. ``Quotas({"F": Limit(minimum=4)})``."""

    limits: Mapping[str, Limit]

    @classmethod
    def build(
        cls, minimum: Mapping[str, int] | None = None, maximum: Mapping[str, int] | None = None
    ) -> Quotas:
        """Quotas from ``--min CATEGORY=N`` and ``--max CATEGORY=N`` style mappings."""
        minimum = dict(minimum or {})
        maximum = dict(maximum or {})
        limits: dict[str, Limit] = {}
        for category in sorted(set(minimum) | set(maximum)):
            lo, hi = minimum.get(category, 0), maximum.get(category)
            if lo < 0 or (hi is not None and hi < 0):
                raise QuotaError(f"quota for {category!r} must not be negative")
            if hi is not None and hi < lo:
                raise QuotaError(f"quota for {category!r}: maximum {hi} is below minimum {lo}")
            limits[category] = Limit(lo, hi)
        return cls(limits)

    def __bool__(self) -> bool:
        return bool(self.limits)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The JSON form, e.g. ``{"F": {"min": 4}}``."""
        return {k: v.to_dict() for k, v in self.limits.items()}


NO_QUOTAS = Quotas({})


class QuotaGuard:
    """Answers, during a count, whom the quotas doom and whom they guard.

    Candidates are 0-based indices; ``categories[i]`` is candidate i's category.
    """

    def __init__(
        self,
        quotas: Quotas,
        categories: Sequence[str] | None,
        seats: int,
        names: Sequence[str],
    ) -> None:
        self.quotas = quotas
        self.seats = seats
        self.names = names
        if quotas and categories is None:
            raise QuotaError("a quota needs categories: give --categories FILE")
        self.categories: Sequence[str] = categories or [""] * len(names)
        if quotas:
            known = set(self.categories)
            for category in quotas.limits:
                if category not in known and quotas.limits[category].minimum > 0:
                    raise QuotaError(
                        f"quota impossible: no candidate is in category {category!r} "
                        f"(categories are {', '.join(sorted(known))})"
                    )

    def check_possible(self, continuing: Collection[int]) -> None:
        """Before counting: stop if the quotas cannot be met by any result."""
        if not self.quotas:
            return
        have = Counter(self.categories[c] for c in continuing)
        for category, limit in self.quotas.limits.items():
            if have[category] < limit.minimum:
                raise QuotaError(
                    f"quota impossible: at least {limit.minimum} of category {category!r} "
                    f"must be elected but only {have[category]} such candidates stand"
                )
        if not self._feasible([], continuing):
            raise QuotaError(
                f"quota impossible: no choice of {self.seats} of the candidates meets "
                f"the quotas {self.quotas.to_dict()}"
            )

    def _feasible(self, elected: Iterable[int], continuing: Iterable[int]) -> bool:
        elected_by = Counter(self.categories[c] for c in elected)
        continuing_by = Counter(self.categories[c] for c in continuing)
        seats_left = self.seats - sum(elected_by.values())
        need_total = 0
        capacity_total = 0
        for category in set(elected_by) | set(continuing_by) | set(self.quotas.limits):
            limit = self.quotas.limits.get(category, Limit())
            held = elected_by[category]
            room = continuing_by[category]
            if limit.maximum is not None:
                if held > limit.maximum:
                    return False
                room = min(room, limit.maximum - held)
            need = max(0, limit.minimum - held)
            if need > room:
                return False
            need_total += need
            capacity_total += room
        # Seats must be fillable without breaking a maximum; a count with fewer
        # candidates than seats is the rules' business, not the quota's.
        has_maximum = any(lim.maximum is not None for lim in self.quotas.limits.values())
        return need_total <= seats_left and (not has_maximum or capacity_total >= seats_left)

    def can_elect(
        self, candidate: int, elected: Collection[int], continuing: Collection[int]
    ) -> bool:
        """Whether electing ``candidate`` now still leaves the quotas achievable."""
        if not self.quotas:
            return True
        rest = [c for c in continuing if c != candidate]
        return self._feasible([*elected, candidate], rest)

    def doomed(self, elected: Collection[int], continuing: Collection[int]) -> list[int]:
        """Continuing candidates whom the quotas forbid electing."""
        if not self.quotas:
            return []
        return [c for c in continuing if not self.can_elect(c, elected, continuing)]

    def can_exclude(
        self, candidate: int, elected: Collection[int], continuing: Collection[int]
    ) -> bool:
        """Whether excluding ``candidate`` still leaves the quotas achievable."""
        if not self.quotas:
            return True
        rest = [c for c in continuing if c != candidate]
        return self._feasible(elected, rest)

    def doom_reason(self, elected: Collection[int]) -> str:
        """Words for a quota exclusion, e.g. 'to keep F ≥ 4 possible (1 elected, 3 seats left)'."""
        held = Counter(self.categories[c] for c in elected)
        seats_left = self.seats - len(elected)
        parts = []
        for category, limit in self.quotas.limits.items():
            if limit.minimum:
                parts.append(f"{category} ≥ {limit.minimum} ({held[category]} elected)")
            if limit.maximum is not None:
                parts.append(f"{category} ≤ {limit.maximum} ({held[category]} elected)")
        return f"excluded to keep the quota possible: {', '.join(parts)}, {seats_left} seat(s) left"

    def guard_reason(self, candidate: int, elected: Collection[int]) -> str:
        """Words for a guarded candidate."""
        category = self.categories[candidate]
        limit = self.quotas.limits.get(category, Limit())
        held = Counter(self.categories[c] for c in elected)[category]
        return (
            f"{self.names[candidate]} not eligible for exclusion: category {category} needs "
            f"{max(0, limit.minimum - held)} more seat(s) and has no candidate to spare"
        )
