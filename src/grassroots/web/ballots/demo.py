"""Demo ballots: ``demo-slate``, a closed and published slate ballot (14 nominees, 9 seats, at
least 4 women, a few hundred party members voting), and ``demo-strategy``, an open ranked
choice between four strategies. Every person and vote here is invented.

The ballots go through the same services as real ones (create, open, cast, close, publish);
only the delivery of the voting links differs: the demo keeps its fictional voters' tokens
instead of emailing example.org. Idempotent: a ballot whose slug exists is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from grassroots.web.ballots import delivery, services
from grassroots.web.ballots.models import Ballot, Electorate, Method
from grassroots.web.people.models import Supporter

SEED = 2026
SITE_URL = "http://127.0.0.1:8000"
SLATE_VOTERS = 320
STRATEGY_VOTERS = 60

# name, category, popularity (the chance of a high preference grows with it)
NOMINEES = [
    ("Amara Okafor", "F", 9.0),
    ("Bethan Lloyd", "F", 4.0),
    ("Chloe Whitfield", "F", 3.0),
    ("Deepa Raman", "F", 5.0),
    ("Eilidh MacLeod", "F", 2.5),
    ("Fatima Hussain", "F", 2.0),
    ("Grace Adeyemi", "F", 1.5),
    ("Harry Jennings", "M", 8.5),
    ("Idris Bello", "M", 7.5),
    ("Jack O'Neill", "M", 7.0),
    ("Kieran Walsh", "M", 6.5),
    ("Liam Patel", "M", 5.5),
    ("Marcus Greene", "M", 5.0),
    ("Niall Ferguson", "M", 2.0),
]
STRATEGIES = [
    ("Back the existing slate", "", 4.0),
    ("Stand our own candidates", "", 3.0),
    ("Join the other alliance's process", "", 1.5),
    ("Build a joint slate with partner groups", "", 3.5),
]


class _Keep:
    """Keeps the voting links ``ballot_open`` would email, for the demo to vote with."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(
        self, *, ballot: Ballot, site_url: str, links: Sequence[tuple[str, str, str]]
    ) -> None:
        self.tokens.extend(token for _, _, token in links)


def _ranking(rng: random.Random, ballot: Ballot, popularity: Sequence[float]) -> list[int]:
    """A plausible ranking: options drawn by popularity, as many as the voter cares to."""
    ids = list(ballot.options.order_by("position").values_list("pk", flat=True))
    weights = list(popularity)
    length = rng.randint(min(3, len(ids)), len(ids))
    ranking = []
    for _ in range(length):
        choice = rng.choices(range(len(ids)), weights=weights)[0]
        ranking.append(ids[choice])
        weights[choice] = 0
        if not any(weights):
            break
    return ranking


def _open_and_vote(
    rng: random.Random, ballot: Ballot, popularity: Sequence[float], voters: int
) -> list[str]:
    keep = _Keep()
    services.ballot_open(actor=None, ballot=ballot, site_url=SITE_URL, deliver=keep)
    tokens = list(keep.tokens)
    rng.shuffle(tokens)
    voters = min(voters, len(tokens) - 1)  # leave someone to try the voting page
    for token in tokens[:voters]:
        services.ballot_cast(credential_token=token, ranking=_ranking(rng, ballot, popularity))
    return tokens[voters:]


def ballots_demo_create() -> str:
    """Create the demo ballots that do not exist yet."""
    if not Supporter.objects.filter(email_verified_at__isnull=False).exists():
        return "ballots: no verified supporters; skipped"
    rng = random.Random(SEED)
    now = timezone.now()
    made = []
    if not Ballot.objects.filter(slug="demo-slate").exists():
        slate = services.ballot_create(
            actor=None,
            slug="demo-slate",
            question="Who should be on our slate for the NEC's CLP section?",
            description=(
                "Nine places; the party's rules need at least four women. Rank as many "
                "nominees as you like."
            ),
            options=[(name, category) for name, category, _ in NOMINEES],
            opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(hours=1),
            method=Method.STV,
            seats=9,
            quotas={"F": {"min": 4}},
            electorate=Electorate.MEMBERS,
        )
        _open_and_vote(rng, slate, [p for *_, p in NOMINEES], SLATE_VOTERS)
        services.ballot_close(actor=None, ballot=slate)
        services.ballot_publish(actor=None, ballot=slate)
        made.append("demo-slate (published)")
    try_link = ""
    if not Ballot.objects.filter(slug="demo-strategy").exists():
        strategy = services.ballot_create(
            actor=None,
            slug="demo-strategy",
            question="Which strategy should the alliance follow for the next party election?",
            options=[(name, category) for name, category, _ in STRATEGIES],
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=12),
            method=Method.IRV,
            seats=1,
            electorate=Electorate.SUPPORTERS,
        )
        unused = _open_and_vote(rng, strategy, [p for *_, p in STRATEGIES], STRATEGY_VOTERS)
        made.append("demo-strategy (open)")
        if unused:
            try_link = "; vote in it at " + delivery.vote_link(
                site_url=SITE_URL, slug="demo-strategy", token=unused[0]
            )
    if not made:
        return "ballots: demo ballots exist; nothing to add"
    return f"ballots: created {', '.join(made)}{try_link}"
