"""A forecast scenario for a section, from what the site knows of it.

The engine's :mod:`grassroots.forecast` needs each slate's share of voters,
its voters' loyalty and each candidate's popularity. A section offers, best
first: a stored result (first preferences by candidate, transfers between
slates), or the CLP nominations recorded so far, or nothing but its slates.
:func:`section_scenario` takes the best there is, says which in ``basis``,
and lists every assumption it had to make in ``notes``. The organiser can
then override any slate's share and loyalty on the forecast page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from grassroots.forecast import Candidate as ForecastCandidate
from grassroots.forecast import Scenario, ScenarioError
from grassroots.forecast import Slate as ForecastSlate
from grassroots.web.elections import analysis, selectors
from grassroots.web.elections.models import Candidate, Section, SectionResult
from grassroots.web.errors import DomainError

DEFAULT_LOYALTY = 0.6
LOYALTY_RANGE = (0.3, 0.95)  # what transfers can tell us is clamped to a plausible range
NOMINATION_DAMPING = 0.5  # nominations say less about votes than first preferences do
WEB_VOTERS = 5_000


@dataclass(frozen=True)
class SectionScenario:
    """A scenario for a section, with where its numbers came from."""

    scenario: Scenario
    basis: str
    notes: list[str] = field(default_factory=list)


def section_scenario(
    *,
    section: Section,
    shares: Mapping[str, float] | None = None,
    loyalty: Mapping[str, float] | None = None,
    follow_order: Mapping[str, float] | None = None,
    uncertainty: float = 0.05,
) -> SectionScenario:
    """The section's forecast scenario; ``shares``, ``loyalty`` and ``follow_order`` (the
    share of loyal voters who follow the slate's order; none by default) override by slate.

    Raises :class:`DomainError` when the section cannot be forecast (no slate,
    fewer candidates than seats, a quota the candidates cannot meet).
    """
    notes: list[str] = []
    stored = SectionResult.objects.filter(section=section).first()
    candidates = _standing(section, notes, stored)
    slate_of: dict[str, str] = {}
    for candidate in candidates:
        on = selectors.candidate_slate_names(candidate)
        if on:
            slate_of[candidate.name] = on[0]
        if len(on) > 1:
            notes.append(f"{candidate.name} is on {' and '.join(on)}: counted with {on[0]}.")
    slate_names = [s.name for s in selectors.slate_list(election=section.election)]
    slate_names = [s for s in slate_names if s in set(slate_of.values())]
    if not slate_names:
        raise DomainError("No candidate standing is on a slate: there is nothing to forecast.")

    if stored is not None:
        basis = "the stored result: first preferences and transfers by slate"
        support = {
            name: float(votes) for name, votes in analysis.first_preferences(stored.data).items()
        }
        found_loyalty = _loyalty_from_transfers(stored.data, slate_of)
        damping = 1.0
    elif any(c.nomination_count for c in candidates):  # type: ignore[attr-defined]
        basis = "the CLP nominations recorded so far"
        support = {c.name: float(c.nomination_count) for c in candidates}  # type: ignore[attr-defined]
        found_loyalty = {}
        damping = NOMINATION_DAMPING
    else:
        basis = "nothing recorded yet: shares in proportion to each slate's candidates"
        support = {c.name: 1.0 for c in candidates}
        found_loyalty = {}
        damping = 1.0
    by_slate = dict.fromkeys(slate_names, 0.0)
    for candidate in candidates:
        if candidate.name in slate_of:
            by_slate[slate_of[candidate.name]] += support.get(candidate.name, 0.0)
    total = sum(support.get(c.name, 0.0) for c in candidates)
    found_shares = {name: (votes / total if total else 0.0) for name, votes in by_slate.items()}
    if not found_loyalty:
        notes.append(f"Loyalty is {DEFAULT_LOYALTY:.0%} for every slate (no transfers known).")

    slates: list[ForecastSlate] = []
    for name in slate_names:
        share = float((shares or {}).get(name, found_shares[name]))
        members = [c for c in candidates if slate_of.get(c.name) == name]
        members.sort(key=lambda c: (-support.get(c.name, 0.0), c.name))
        slates.append(
            ForecastSlate(
                name=name,
                share=share,
                loyalty=float((loyalty or {}).get(name, found_loyalty.get(name, DEFAULT_LOYALTY))),
                candidates=tuple(_candidate(c, support, damping) for c in members),
                follow_order=float((follow_order or {}).get(name, 0.0)),
            )
        )
    independents = tuple(
        _candidate(c, support, damping) for c in candidates if c.name not in slate_of
    )
    scenario = Scenario(
        seats=section.seats,
        slates=tuple(slates),
        independents=independents,
        rule=section.rule if section.rule in {"scottish", "ers97", "meek"} else "scottish",
        quotas={k: dict(v) for k, v in (section.quotas or {}).items()},
        voters=WEB_VOTERS,
        uncertainty=uncertainty,
        title=f"{section.election.name}: {section.name}",
    )
    try:
        scenario.check()
    except ScenarioError as err:
        message = f"This section cannot be forecast: {err}"
        raise DomainError(message, field=_form_field(err.field)) from err
    notes.append(
        "Each slate stands its candidates in order of "
        + ("first preferences." if stored is not None else "nominations.")
    )
    return SectionScenario(scenario=scenario, basis=basis, notes=notes)


def _standing(section: Section, notes: list[str], stored: SectionResult | None) -> list[Candidate]:
    """The candidates on the ballot: those a stored result counted; else those with enough
    nominations, once enough have them to fill the seats; else every candidate."""
    candidates = selectors.candidate_list(section=section)
    if stored is not None:
        counted = set(stored.data.get("candidates", []))
        return [c for c in candidates if c.name in counted]
    threshold = section.nomination_threshold
    on_ballot = [c for c in candidates if c.nomination_count >= threshold]  # type: ignore[attr-defined]
    if not threshold or len(on_ballot) == len(candidates):
        return candidates
    if len(on_ballot) >= section.seats:
        notes.append(
            f"{len(candidates) - len(on_ballot)} candidate(s) below the threshold of "
            f"{threshold} nominations are left out."
        )
        return on_ballot
    if on_ballot:
        notes.append(
            f"Only {len(on_ballot)} candidate(s) have {threshold} nominations so far, fewer "
            "than the seats: every candidate is assumed to stand."
        )
    return candidates


def _candidate(
    candidate: Candidate, support: Mapping[str, float], damping: float
) -> ForecastCandidate:
    """Popularity from support: the log of its ratio to the mean, damped for nominations."""
    values = [v for v in support.values() if v > 0]
    mean = math.exp(sum(math.log(v) for v in values) / len(values)) if values else 1.0
    own = max(support.get(candidate.name, 0.0), mean / 20)  # no one is hopeless in the model
    strength = max(-3.0, min(3.0, damping * math.log(own / mean)))
    return ForecastCandidate(name=candidate.name, category=candidate.gender, strength=strength)


def _loyalty_from_transfers(
    result: Mapping[str, Any], slate_of: Mapping[str, str]
) -> dict[str, float]:
    """Of the votes a slate's candidates passed on to a continuing candidate, the share that
    stayed within the slate (clamped to a plausible range)."""
    matrix = analysis.transfer_matrix(result, slate_of)
    found = {}
    low, high = LOYALTY_RANGE
    for source in matrix.sources:
        if source == analysis.NO_SLATE:
            continue
        passed = sum(
            (v for (s, t), v in matrix.cells.items() if s == source and t != analysis.EXHAUSTED),
            Decimal(0),
        )
        if passed > 0:
            kept = matrix.cells.get((source, source), Decimal(0))
            found[source] = min(high, max(low, float(kept / passed)))
    return found


def _form_field(field_name: str | None) -> str | None:
    """The forecast form's field for a scenario field, where there is one."""
    return {"uncertainty": "uncertainty"}.get(field_name or "")
