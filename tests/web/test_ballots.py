"""Ballots: creating, opening (the frozen roll and credentials) and casting once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grassroots.web.alliance.models import (
    AffiliationStatus,
    Organisation,
    OrganisationKind,
    Representative,
)
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services
from grassroots.web.ballots.models import (
    CastBallot,
    Credential,
    Electorate,
    Method,
    Status,
    VoterRollEntry,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Membership, Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids

pytestmark = pytest.mark.django_db


def test_ballot_create_stores_options_in_order_and_audits() -> None:
    ballot = ballot_create(quotas={"F": {"min": 1}})

    assert [(o.name, o.category) for o in ballot.options.all()] == [
        ("Ann", "F"),
        ("Bea", "F"),
        ("Cal", "M"),
        ("Dev", "M"),
        ("Eve", "F"),
    ]
    assert ballot.status == Status.DRAFT
    assert ballot.quotas == {"F": {"min": 1}}
    assert AuditEntry.objects.get(action="ballot.create").object_id == str(ballot.pk)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"options": [("Ann", "F")]}, "options", "at least two options", id="one option"
        ),
        pytest.param(
            {"options": [("Ann", "F"), ("Ann", "M")]},
            "options",
            "a different, non-empty name",
            id="same name",
        ),
        pytest.param(
            {"seats": 5}, "seats", "fewer than the options", id="as many seats as options"
        ),
        pytest.param(
            {"method": Method.IRV, "seats": 2},
            "seats",
            "Instant runoff fills one seat",
            id="irv two seats",
        ),
        pytest.param(
            {"quotas": {"X": {"min": 1}}},
            "quotas",
            "'X' names no option's category",
            id="unknown category",
        ),
        pytest.param(
            {"rule": "borda"}, "rule", "Choose one of scottish, ers97, meek", id="unknown rule"
        ),
    ],
)
def test_ballot_create_refuses_bad_ballot(
    overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as error:
        ballot_create(**overrides)

    assert error.value.field == field
    assert message in error.value.message


def test_ballot_open_freezes_roll_of_verified_supporters_and_emails_links(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    voters = [make_supporter(clp=clp) for _ in range(3)]
    make_supporter(clp=clp, verified=False)
    ballot = ballot_create()

    tokens = ballot_open_with_tokens(ballot)
    make_supporter(clp=clp)  # joins after the opening: not on the roll

    ballot.refresh_from_db()
    assert ballot.status == Status.OPEN
    assert sorted(VoterRollEntry.objects.values_list("person_id", flat=True)) == sorted(
        v.user_id for v in voters
    )
    assert len(tokens) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(v.user.email for v in voters)
    stored = set(Credential.objects.values_list("token_hash", flat=True))
    assert not stored & set(tokens)  # only hashes are kept
    assert AuditEntry.objects.filter(action="ballot.open").count() == 1


def test_ballot_open_members_only_leaves_out_non_members(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    member = make_supporter(clp=clp)
    other = make_supporter(clp=clp)
    Supporter.objects.filter(pk=other.pk).update(membership=Membership.NOT_MEMBER)
    ballot = ballot_create(electorate=Electorate.MEMBERS)

    services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert list(VoterRollEntry.objects.values_list("person_id", flat=True)) == [member.user_id]


def test_ballot_open_committee_takes_current_representatives_of_affiliates(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    today = timezone.localdate()
    affiliated = Organisation.objects.create(
        name="Union",
        kind=OrganisationKind.NATIONAL,
        status=AffiliationStatus.AFFILIATED,
        affiliated_on=today,
    )
    pending = Organisation.objects.create(
        name="Pending", kind=OrganisationKind.NATIONAL, status=AffiliationStatus.PENDING
    )
    current, former, elsewhere = (make_supporter(clp=clp) for _ in range(3))
    make_supporter(clp=clp)
    for supporter, organisation, ended in [
        (current, affiliated, None),
        (former, affiliated, today),
        (elsewhere, pending, None),
    ]:
        Representative.objects.create(
            organisation=organisation,
            supporter=supporter,
            name="Rep",
            started_on=today - timedelta(days=30),
            ended_on=ended,
        )
    ballot = ballot_create(electorate=Electorate.COMMITTEE)

    services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert list(VoterRollEntry.objects.values_list("person_id", flat=True)) == [current.user_id]


def test_ballot_open_twice_is_refused(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    with pytest.raises(DomainError, match="Only a draft ballot can open"):
        services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    assert VoterRollEntry.objects.count() == 1


def test_ballot_cast_stores_ranking_marks_credential_and_writes_no_dated_audit_row(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    ranking = option_ids(ballot, "Cal", "Ann")

    receipt = services.ballot_cast(credential_token=token, ranking=ranking)

    cast = CastBallot.objects.get()
    assert cast.ranking == ranking
    assert cast.receipt == receipt.code
    assert cast.weight == 1
    assert Credential.objects.get().used is True
    # An audit row per cast would date each ballot; the close records how many were cast.
    assert not AuditEntry.objects.filter(action="ballot.cast").exists()


def test_ballot_cast_twice_is_refused(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))

    with pytest.raises(DomainError) as error:
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Bea"))

    assert error.value.message == services.USED_CREDENTIAL
    assert CastBallot.objects.count() == 1


def test_ballot_cast_unknown_token_is_refused(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)

    with pytest.raises(DomainError) as error:
        services.ballot_cast(credential_token="nope", ranking=option_ids(ballot, "Ann"))

    assert error.value.message == services.UNKNOWN_CREDENTIAL
    assert CastBallot.objects.count() == 0


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        pytest.param([], "Choose at least one option", id="empty"),
        pytest.param(["Ann", "Ann"], "appears more than once", id="repeated"),
        pytest.param(["Ann", 999_999], "an option not on this ballot", id="unknown option"),
    ],
)
def test_ballot_cast_bad_ranking_stores_nothing(
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    ranking: list[object],
    message: str,
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    by_name = {o.name: o.pk for o in ballot.options.all()}
    ids = [by_name.get(item, item) for item in ranking]  # type: ignore[call-overload]

    with pytest.raises(DomainError) as error:
        services.ballot_cast(credential_token=token, ranking=ids)

    assert error.value.field == "ranking"
    assert message in error.value.message
    assert CastBallot.objects.count() == 0
    assert Credential.objects.get().used is False


@pytest.mark.parametrize("when", ["closed", "past close", "cancelled"])
def test_ballot_cast_when_not_open_is_refused(
    make_supporter: Callable[..., Supporter], clp: Constituency, when: str
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    if when == "closed":
        services.ballot_close(actor=None, ballot=ballot)
    elif when == "cancelled":
        services.ballot_cancel(actor=None, ballot=ballot)
    else:
        ballot.closes_at = timezone.now() - timedelta(seconds=1)
        ballot.opens_at = ballot.closes_at - timedelta(days=1)
        ballot.save()

    with pytest.raises(DomainError) as error:
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))

    assert error.value.message == services.NOT_OPEN
    assert CastBallot.objects.count() == 0


def test_ballot_cast_yes_no_takes_one_choice(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(method=Method.YES_NO, seats=1, options=[("Yes", ""), ("No", "")])
    [token] = ballot_open_with_tokens(ballot)

    with pytest.raises(DomainError, match="Choose yes or no"):
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Yes", "No"))

    assert CastBallot.objects.count() == 0
