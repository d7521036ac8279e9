"""Ballots at the edges of what their columns and emails hold."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, CastBallot, Electorate, Method, VoterRollEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import organisation_create, representative_create

pytestmark = pytest.mark.django_db

OPTIONS = [("Back the slate", ""), ("Own candidates", "")]
SIZES = (71, 73, 79, 83, 89, 97)


def test_ballot_open_with_a_question_on_two_lines_still_emails_every_voter(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    make_supporter(clp=clp)
    ballot = ballot_create()
    # A ballot stored before questions were kept to one line.
    Ballot.objects.filter(pk=ballot.pk).update(question="Who should stand?\nSay now")

    tokens = ballot_open_with_tokens(ballot)

    assert len(tokens) == 2
    assert [m.subject for m in mail.outbox] == ["Your vote: Who should stand? Say now"] * 2


def test_joint_ballot_of_six_prime_sized_organisations_opens_and_counts(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    organisations: list[Any] = []
    for number, size in enumerate(SIZES):
        organisation = organisation_create(name=f"Organisation {number}")
        for _ in range(size):
            representative_create(organisation=organisation, supporter=make_supporter(clp=clp))
        organisations.append(organisation)
    ballot = ballot_create(
        options=OPTIONS,
        method=Method.IRV,
        seats=1,
        electorate=Electorate.ORGANISATIONS,
        organisations=[(organisation, 1) for organisation in organisations],
    )

    tokens = ballot_open_with_tokens(ballot)
    # The roll is in user order, so the first token is a member of the 71, the last of the 97.
    services.ballot_cast(credential_token=tokens[0], ranking=option_ids(ballot, "Own candidates"))
    services.ballot_cast(credential_token=tokens[-1], ranking=option_ids(ballot, "Back the slate"))
    services.ballot_close(actor=None, ballot=ballot)
    result = services.ballot_publish(actor=None, ballot=ballot)

    whole = math.lcm(*SIZES)
    assert whole > 2**31
    weights = sorted(set(VoterRollEntry.objects.values_list("weight", flat=True)))
    assert weights == sorted(whole // size for size in SIZES)
    assert sorted(CastBallot.objects.values_list("weight", flat=True)) == [
        whole // 97,
        whole // 71,
    ]
    assert result["elected"] == ["Own candidates"]  # a member of the 71 weighs more
