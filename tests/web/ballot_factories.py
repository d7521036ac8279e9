"""Ballots for the tests, made through the services as a returning officer would."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, Electorate, Method

VOTE_LINK = re.compile(r"/vote/([A-Za-z0-9_-]+)/")
_counter = iter(range(1, 1_000_000))

SLATE = [("Ann", "F"), ("Bea", "F"), ("Cal", "M"), ("Dev", "M"), ("Eve", "F")]


def ballot_create(**overrides: Any) -> Ballot:
    """A draft STV ballot for all supporters, open from now for a week."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "actor": None,
        "slug": f"ballot-{next(_counter)}",
        "question": "Who should be on the slate?",
        "options": SLATE,
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=7),
        "method": Method.STV,
        "seats": 2,
        "electorate": Electorate.SUPPORTERS,
    }
    fields.update(overrides)
    return services.ballot_create(**fields)


def ballot_open_with_tokens(ballot: Ballot) -> list[str]:
    """Open the ballot and hand back the voters' tokens, read from the emails it sends."""
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")
    return [VOTE_LINK.findall(message.body)[0] for message in mail.outbox[sent:]]


def option_ids(ballot: Ballot, *names: str) -> list[int]:
    by_name = {o.name: o.pk for o in ballot.options.all()}
    return [by_name[name] for name in names]
