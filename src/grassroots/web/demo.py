"""``grassroots demo``: a believable, fictional alliance for trying the site.

``DEMO_STEPS`` runs in order after migrations; each step is idempotent (running the demo twice
changes nothing) and returns a line for the terminal. The alliance and events apps append their
steps here: write ``<app>/demo.py`` with a function ``<thing>_demo_create() -> str`` and add it
to the list.
"""

from __future__ import annotations

from collections.abc import Callable

from grassroots.web.alliance.demo import alliance_demo_create
from grassroots.web.ballots.demo import ballots_demo_create
from grassroots.web.campaign.demo import campaign_demo_create
from grassroots.web.constituencies.services import constituency_load
from grassroots.web.discussions.demo import discussions_demo_create
from grassroots.web.elections.demo import elections_demo_create
from grassroots.web.events.demo import events_demo_create
from grassroots.web.people.demo import people_demo_create
from grassroots.web.slates.demo import slates_demo_create


def constituencies_demo_load() -> str:
    changed = constituency_load()
    return f"constituencies: {changed} added or changed"


DEMO_STEPS: list[Callable[[], str]] = [
    constituencies_demo_load,
    people_demo_create,
    alliance_demo_create,
    events_demo_create,
    elections_demo_create,
    ballots_demo_create,
    slates_demo_create,
    discussions_demo_create,
    campaign_demo_create,
]


def demo_create() -> list[str]:
    """Run every demo step; return what each did."""
    return [step() for step in DEMO_STEPS]
