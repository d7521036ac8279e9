"""Reading ballots. Cast ballots are read only through ``cast_ballot_list``, which refuses
before the close: nobody, whatever their role, sees a ballot while voting is open."""

from __future__ import annotations

import hashlib

from django.db.models import Count, QuerySet

from grassroots.web.alliance.models import AffiliationStatus, Representative
from grassroots.web.ballots.models import (
    Ballot,
    BallotOption,
    CastBallot,
    Credential,
    Electorate,
    Status,
)
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Membership, User

NOT_CLOSED = "The ballot has not closed: nobody may see the cast ballots yet."


def token_hash(token: str) -> str:
    """The stored form of a credential token."""
    return hashlib.sha256(token.encode()).hexdigest()


def ballot_list(*, include_drafts: bool = False) -> QuerySet[Ballot]:
    """Ballots with their option counts; drafts only for those who run ballots."""
    ballots = Ballot.objects.annotate(option_count=Count("options"))
    if not include_drafts:
        ballots = ballots.exclude(status=Status.DRAFT)
    return ballots.order_by("-opens_at", "slug")


def ballot_get(*, slug: str) -> Ballot | None:
    return Ballot.objects.filter(slug=slug).first()


def ballot_options(*, ballot: Ballot) -> list[BallotOption]:
    return list(ballot.options.order_by("position", "id"))


def credential_get(*, token: str) -> Credential | None:
    """The credential a token names, with its ballot, or None."""
    return Credential.objects.select_related("ballot").filter(token_hash=token_hash(token)).first()


def electorate_users(*, ballot: Ballot) -> QuerySet[User]:
    """Who the ballot's electorate holds right now (``ballot_open`` freezes it into the roll).

    Weighted organisations are not implemented yet: ``ballot_open`` refuses them.
    """
    users = User.objects.filter(is_active=True)
    if ballot.electorate == Electorate.SUPPORTERS:
        return users.filter(supporter__email_verified_at__isnull=False)
    if ballot.electorate == Electorate.MEMBERS:
        return users.filter(
            supporter__email_verified_at__isnull=False, supporter__membership=Membership.MEMBER
        )
    if ballot.electorate == Electorate.COMMITTEE:
        representatives = Representative.objects.current().filter(
            organisation__status=AffiliationStatus.AFFILIATED, supporter__isnull=False
        )
        return users.filter(supporter__in=representatives.values("supporter")).distinct()
    raise DomainError("Ballots of weighted organisations cannot open yet.", field="electorate")


def cast_ballot_list(*, ballot: Ballot) -> QuerySet[CastBallot]:
    """The cast ballots, only once the ballot has closed."""
    if not ballot.is_counted:
        raise DomainError(NOT_CLOSED)
    return CastBallot.objects.filter(ballot=ballot)


def receipt_list(*, ballot: Ballot) -> list[str]:
    """Every receipt code, sorted (published after the close)."""
    return sorted(cast_ballot_list(ballot=ballot).values_list("receipt", flat=True))


def turnout_get(*, ballot: Ballot) -> tuple[int, int]:
    """(voted, on the roll)."""
    roll = ballot.roll.count()
    voted = Credential.objects.filter(ballot=ballot, used=True).count()
    return voted, roll
