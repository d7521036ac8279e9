"""The ballot paper a voter sees: the options in a random order of their own (or the ballot's
order), a link to each candidate's page, and the quotas in words.

A fixed first place favours whoever is listed first (the "ballot order effect"), so by
default each voter gets their own shuffle. It is drawn from the voter's credential hash and
the ballot, so reloading the page, or coming back to it from the same link, shows the same
order; it says nothing about how they vote. Apps above ``ballots`` (``candidacy``) say, by
registering a ``PaperExtrasSource``, whether a ballot keeps its own order and where each
candidate's page is: ``ballots`` cannot import them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from grassroots.web.ballots.models import Ballot, BallotOption, Method
from grassroots.web.elections.models import QUOTA_CATEGORIES, QUOTA_CATEGORY_ONE


@dataclass(frozen=True)
class PaperExtras:
    """What a higher app adds to a ballot's paper."""

    fixed_order: bool = False
    links: dict[int, str] = field(default_factory=dict)  # option id → candidate's page


PaperExtrasSource = Callable[[Ballot], PaperExtras]
_sources: dict[str, PaperExtrasSource] = {}


def paper_extras_source_register(name: str, source: PaperExtrasSource) -> None:
    """Add (or replace, so ``ready`` may run twice) a source of ballot paper extras."""
    _sources[name] = source


def _extras(ballot: Ballot) -> PaperExtras:
    fixed = False
    links: dict[int, str] = {}
    for _name, source in sorted(_sources.items()):
        extras = source(ballot)
        fixed = fixed or extras.fixed_order
        links |= extras.links
    return PaperExtras(fixed_order=fixed, links=links)


@dataclass(frozen=True)
class BallotPaper:
    options: list[BallotOption]
    links: dict[int, str]
    quota_words: list[str]
    shuffled: bool


def options_shuffled(options: Sequence[BallotOption], *, seed: str) -> list[BallotOption]:
    """``options`` in the order drawn from ``seed``: the same seed gives the same order."""
    shuffled = sorted(options, key=lambda option: option.pk)
    random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(shuffled)
    return shuffled


def ballot_paper(
    *, ballot: Ballot, options: Sequence[BallotOption], voter_seed: str
) -> BallotPaper:
    """The paper for the voter whose credential hash is ``voter_seed``. A yes-or-no question
    keeps its order (yes, then no), as does a ballot set to a fixed order."""
    extras = _extras(ballot)
    shuffle = ballot.method != Method.YES_NO and not extras.fixed_order
    ordered = (
        options_shuffled(options, seed=f"{ballot.pk}:{voter_seed}") if shuffle else list(options)
    )
    for option in ordered:
        # For the template, beside the option as ``RankingForm`` gives it to each field.
        option.paper_link = extras.links.get(option.pk, "")  # type: ignore[attr-defined]
    return BallotPaper(
        options=ordered, links=extras.links, quota_words=quota_words(ballot), shuffled=shuffle
    )


def _category(category: str, number: int) -> str:
    """A quota's category in words: the candidates' gender (the site's categories), or any
    other category by its own name."""
    if number == 1 and category in QUOTA_CATEGORY_ONE:
        return f"a {QUOTA_CATEGORY_ONE[category]}"
    if number != 1 and category in QUOTA_CATEGORIES:
        return QUOTA_CATEGORIES[category]
    return f"{'a candidate' if number == 1 else 'candidates'} in category “{category}”"


def quota_words(ballot: Ballot) -> list[str]:
    """Each of a ballot's quotas as a sentence, e.g. "At least 4 of the 9 elected must be
    women."; none for a ballot without quotas or that elects nobody by ranking."""
    quotas = ballot.quotas if isinstance(ballot.quotas, dict) else {}
    if not ballot.is_ranked:
        return []
    seats = ballot.seats
    elected = "the 1 elected" if seats == 1 else f"the {seats} elected"
    sentences = []
    for category, limit in sorted(quotas.items()):
        if not isinstance(limit, dict):
            continue
        low, high = limit.get("min"), limit.get("max")
        if isinstance(low, int) and low > 0:
            sentences.append(f"At least {low} of {elected} must be {_category(category, low)}.")
        if isinstance(high, int) and high >= 0:
            if high == 0:
                sentences.append(f"None of {elected} may be {_category(category, 2)}.")
            else:
                sentences.append(f"At most {high} of {elected} may be {_category(category, high)}.")
    return sentences
