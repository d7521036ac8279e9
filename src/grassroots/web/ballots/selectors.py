"""Reading ballots. Cast ballots are read only through ``cast_ballot_list``, which refuses
before the close: nobody, whatever their role, sees a ballot while voting is open."""

from __future__ import annotations

import hashlib
import math
import random
import shlex
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    PositiveBigIntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from grassroots.count import Profile
from grassroots.count.formats.blt import format_blt
from grassroots.count.formats.categories import format_categories_csv
from grassroots.web.alliance.models import AffiliationStatus, Representative
from grassroots.web.alliance.selectors import membership_confirmed_list
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import (
    Ballot,
    BallotElectorateOrganisation,
    BallotOption,
    CastBallot,
    Credential,
    DecryptedBallot,
    Delivery,
    Electorate,
    Method,
    Scrutineer,
    SealedCast,
    Status,
    TrialBallot,
    TrialCredential,
    VoterRollEntry,
)
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Membership, Supporter, User

NOT_CLOSED = "The ballot has not closed: nobody may see the cast ballots yet."
NOT_DECRYPTED = (
    "This ballot is sealed: its ballots are known once its trustees have decrypted them and "
    "it is counted."
)


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
    return credential_get_by_hash(token_hash=token_hash(token))


def credential_get_by_hash(*, token_hash: str) -> Credential | None:
    """The credential whose token hashes to ``token_hash``, with its ballot, or None."""
    return Credential.objects.select_related("ballot").filter(token_hash=token_hash).first()


def trial_credential_get_by_hash(*, token_hash: str) -> TrialCredential | None:
    """A returning officer's test credential, with its ballot, or None."""
    return TrialCredential.objects.select_related("ballot").filter(token_hash=token_hash).first()


@dataclass(frozen=True)
class VotingPass:
    """What the voting pages need of the credential a token (or its hash) names: its ballot
    with the options in order, whether it is used, and whether it is the returning officer's
    test credential. Casting re-reads and locks all of it (``services.ballot_cast``)."""

    ballot: Ballot
    options: list[BallotOption]
    used: bool
    trial: bool


# The voting pages' copy of each ballot that has opened, with its options, by id: an open
# ballot's question, options and method can no longer change (``ballot_update`` takes drafts
# only), so every voter's page need not read them again. Kept VOTING_BALLOT_SECONDS at most,
# dropped when this process saves the ballot or an option. Its status and dates are not used
# from here: the cast checks them under its locks.
VOTING_BALLOT_SECONDS = 60.0
_voting_ballots: dict[int, tuple[float, Ballot, list[BallotOption]]] = {}


def _voting_ballot(ballot_id: int) -> tuple[Ballot, list[BallotOption]] | None:
    now = time.monotonic()
    kept = _voting_ballots.get(ballot_id)
    if kept is not None and kept[0] > now:
        return kept[1], kept[2]
    ballot = Ballot.objects.defer("result").filter(pk=ballot_id).first()
    if ballot is None:
        return None
    options = ballot_options(ballot=ballot)
    if ballot.status != Status.DRAFT:
        if len(_voting_ballots) > 100:
            _voting_ballots.clear()
        _voting_ballots[ballot_id] = (now + VOTING_BALLOT_SECONDS, ballot, options)
    return ballot, options


def voting_ballot_forget(ballot_id: int | None) -> None:
    """Drop this process's copy of a ballot for the voting pages (it changed)."""
    _voting_ballots.pop(ballot_id or 0, None)


def _ballot_and_used(
    model: type[Credential] | type[TrialCredential], token_hash: str
) -> tuple[int, bool] | None:
    """The ballot id and the used mark of the credential with this hash, in plain SQL: the
    voting pages ask it on every request, and building it through the ORM took longer than
    running it (docs/reliability.md)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ballot_id, used FROM {table} WHERE token_hash = %s",  # noqa: S608 (the model's own table)
            [token_hash],
        )
        row = cursor.fetchone()
    return (int(row[0]), bool(row[1])) if row else None


@receiver(post_save, sender=Ballot, dispatch_uid="ballots.voting_ballot.ballot_saved")
@receiver(post_delete, sender=Ballot, dispatch_uid="ballots.voting_ballot.ballot_deleted")
def _ballot_changed(sender: type[Ballot], instance: Ballot, **kwargs: Any) -> None:
    voting_ballot_forget(instance.pk)


@receiver(post_save, sender=BallotOption, dispatch_uid="ballots.voting_ballot.option_saved")
@receiver(post_delete, sender=BallotOption, dispatch_uid="ballots.voting_ballot.option_deleted")
def _option_changed(sender: type[BallotOption], instance: BallotOption, **kwargs: Any) -> None:
    voting_ballot_forget(instance.ballot_id)


def voting_pass_get(*, token_hash: str, trial: bool = False) -> VotingPass | None:
    """The voting pass of the credential whose token hashes to ``token_hash``; also of a
    returning officer's test credential if ``trial``; or None. One small query on the
    credential (and one on the test credentials when that finds none) besides the ballot."""
    found = _ballot_and_used(Credential, token_hash)
    is_trial = False
    if found is None and trial:
        found = _ballot_and_used(TrialCredential, token_hash)
        is_trial = True
    if found is None:
        return None
    ballot_id, used = found
    ballot = _voting_ballot(ballot_id)
    if ballot is None:
        return None
    return VotingPass(ballot=ballot[0], options=ballot[1], used=used, trial=is_trial)


def _current_representatives() -> QuerySet[Representative]:
    return Representative.objects.current().filter(
        organisation__status=AffiliationStatus.AFFILIATED, supporter__isnull=False
    )


def _organisation_members(*, ballot: Ballot) -> tuple[bool, QuerySet[Any]]:
    """The rows that make the members of a ballot of organisations, each with
    ``organisation`` and ``supporter``, and whether they are memberships.

    One basis for the whole ballot (docs/ballots.md): the confirmed memberships of its
    organisations as soon as any of them has one; otherwise, for every organisation, its
    current representatives linked to a supporter, as before memberships were recorded.
    """
    organisations = ballot.organisations.values("organisation")
    confirmed = membership_confirmed_list().filter(organisation__in=organisations)
    if confirmed.exists():
        return True, confirmed
    return False, _current_representatives().filter(organisation__in=organisations)


def electorate_users(*, ballot: Ballot) -> QuerySet[User]:
    """Who the ballot's electorate holds right now (``ballot_open`` freezes it into the roll).

    For weighted organisations, an organisation's members are its confirmed members, or,
    while none of the ballot's organisations has any, its current representatives who are
    linked to a supporter (``_organisation_members``).
    """
    users = User.objects.filter(is_active=True)
    if ballot.electorate == Electorate.SUPPORTERS:
        return users.filter(supporter__email_verified_at__isnull=False)
    if ballot.electorate == Electorate.MEMBERS:
        return users.filter(
            supporter__email_verified_at__isnull=False, supporter__membership=Membership.MEMBER
        )
    if ballot.electorate == Electorate.ORGANISATIONS:
        _, members = _organisation_members(ballot=ballot)
        return users.filter(supporter__in=members.values("supporter")).distinct()
    representatives = _current_representatives()
    return users.filter(supporter__in=representatives.values("supporter")).distinct()


def electorate_organisation_list(*, ballot: Ballot) -> list[BallotElectorateOrganisation]:
    """The organisations of a weighted ballot, with their shares."""
    return list(ballot.organisations.select_related("organisation").order_by("organisation__name"))


def electorate_roll(*, ballot: Ballot) -> list[tuple[User, int]]:
    """The electorate as (voter, weight), by user id: the roll ``ballot_open`` freezes.

    Every voter weighs 1, except in a ballot of weighted organisations. There organisation
    ``i`` with share ``s_i`` and ``n_i`` members gives each member the whole number
    ``s_i × L ÷ n_i``, where ``L`` is the least common multiple of every ``n``: so the
    organisation's members together weigh ``s_i × L``, in proportion to its share, exactly.

    On a membership roll, a confirmed member of several of the ballot's organisations is
    counted only in the one whose membership they marked to vote with (``votes_with``), and
    the ``n_i`` count them there only. Refuses an organisation with no members, and a person
    in two of the organisations who has not chosen one of them (or, on a roll of
    representatives, who represents both).
    """
    users = list(electorate_users(ballot=ballot).order_by("pk"))
    if ballot.electorate != Electorate.ORGANISATIONS:
        return [(user, 1) for user in users]
    by_pk = {user.pk: user for user in users}
    from_memberships, rows, found = _members_found(ballot=ballot, users=users)
    members: dict[int, tuple[BallotElectorateOrganisation, list[int]]] = {}
    for share, user_ids in found:
        if not user_ids and from_memberships:
            raise DomainError(
                f"{share.organisation} has no confirmed members who could vote, and the "
                "ballot's other organisations have: its representatives confirm its members "
                "on the site first.",
                field="electorate",
            )
        if not user_ids:
            raise DomainError(
                f"{share.organisation} has no members who could vote.", field="electorate"
            )
        members[share.organisation_id] = (share, user_ids)
    if from_memberships:
        members = _members_by_choice(members, rows=rows)
    _refuse_overlaps(members, from_memberships=from_memberships)
    for share, user_ids in members.values():
        if not user_ids:
            raise DomainError(
                f"Every confirmed member of {share.organisation} chose to vote with another of "
                "the ballot's organisations, so it has nobody on the roll.",
                field="electorate",
            )
    lcm = math.lcm(*(len(user_ids) for _, user_ids in members.values()))
    roll = [
        (by_pk[user_id], share.weight * lcm // len(user_ids))
        for share, user_ids in members.values()
        for user_id in user_ids
    ]
    return sorted(roll, key=lambda entry: entry[0].pk)


def electorate_roll_rows(*, ballot: Ballot) -> QuerySet[Any]:
    """The roll ``electorate_roll`` computes, as a query the database answers: one row per
    voter with ``roll_person`` (the user id) and ``roll_weight``, so that ``ballot_open`` can
    freeze it with one ``INSERT ... SELECT`` whatever its size. Refuses what
    ``electorate_roll`` refuses, with the same words (it asks ``electorate_roll`` for them).

    On a joint ballot, a few small counts (members by organisation, and anyone in two of
    them) are read first: their least common multiple makes each organisation's weight, which
    the query then writes beside each of its members."""
    if ballot.electorate != Electorate.ORGANISATIONS:
        return (
            electorate_users(ballot=ballot)
            .order_by()
            .values(
                roll_person=F("pk"),
                roll_weight=Value(1, output_field=PositiveBigIntegerField()),
            )
        )
    from_memberships, rows = _organisation_members(ballot=ballot)
    # A member is on the roll only if their account is active (``electorate_users``).
    members = rows.filter(supporter__user__is_active=True)
    if from_memberships:
        # Someone who marked another of the ballot's organisations to vote with counts only
        # there (``_members_by_choice``); such a mark implies they are in both.
        chose_other = rows.filter(votes_with=True, supporter=OuterRef("supporter")).exclude(
            organisation=OuterRef("organisation")
        )
        members = members.exclude(Exists(chose_other))
    members = members.order_by()
    counts = dict(
        members.values("organisation_id")
        .annotate(n=Count("supporter__user_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    shares = dict(ballot.organisations.values_list("organisation_id", "weight"))
    people = members.aggregate(n=Count("supporter__user_id", distinct=True))["n"]
    if any(not counts.get(organisation_id) for organisation_id in shares) or people != sum(
        counts.values()
    ):
        electorate_roll(ballot=ballot)  # raises the refusal, with its words
        raise DomainError(  # pragma: no cover (the two computations agree: tests check it)
            "The electorate could not be read consistently; try again.", field="electorate"
        )
    if not shares:
        return members.none().values(roll_person=F("supporter__user_id"))
    lcm = math.lcm(*counts.values())
    weights = [
        When(organisation_id=organisation_id, then=Value(share * lcm // counts[organisation_id]))
        for organisation_id, share in shares.items()
    ]
    return members.values(
        roll_person=F("supporter__user_id"),
        roll_weight=Case(*weights, output_field=PositiveBigIntegerField()),
    ).distinct()


def _members_found(
    *, ballot: Ballot, users: list[User]
) -> tuple[bool, QuerySet[Any], list[tuple[BallotElectorateOrganisation, list[int]]]]:
    """Each of a joint ballot's organisations with the user ids of its members among ``users``
    (before anyone's choice of organisation is applied), whether they are memberships, and
    the membership (or representative) rows they came from."""
    from_memberships, rows = _organisation_members(ballot=ballot)
    found = []
    for share in electorate_organisation_list(ballot=ballot):
        user_ids = sorted(
            set(
                rows.filter(organisation=share.organisation, supporter__user__in=users).values_list(
                    "supporter__user_id", flat=True
                )
            )
        )
        found.append((share, user_ids))
    return from_memberships, rows, found


def members_still_to_choose(*, ballot: Ballot) -> list[User]:
    """The confirmed members of two or more of a draft joint ballot's organisations who have
    not chosen which one they vote with (so the ballot cannot open yet). Empty for any other
    ballot, and on a roll of representatives (who cannot choose: their organisations settle
    it). For reminders only: the returning officer sees how many, never who."""
    if ballot.electorate != Electorate.ORGANISATIONS or ballot.status != Status.DRAFT:
        return []
    users = list(electorate_users(ballot=ballot).order_by("pk"))
    from_memberships, rows, found = _members_found(ballot=ballot, users=users)
    if not from_memberships:
        return []
    members = {share.organisation_id: (share, user_ids) for share, user_ids in found}
    members = _members_by_choice(members, rows=rows)
    times = Counter(user_id for _, user_ids in members.values() for user_id in user_ids)
    undecided = {user_id for user_id, count in times.items() if count > 1}
    return [user for user in users if user.pk in undecided]


@dataclass(frozen=True)
class RollPreview:
    """The roll a draft ballot's opening would freeze, as its returning officer sees it: how
    many voters, how many by organisation (with each voter's weight in a joint ballot), who
    is left out and why, and the reason it cannot open yet, if any."""

    voters: int
    by_organisation: list[tuple[str, int, int]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    problem: str = ""


def roll_preview(*, ballot: Ballot) -> RollPreview:
    """What ``ballot_open`` would freeze now, for the returning officer before opening."""
    left_out = _left_out(ballot=ballot)
    if ballot.electorate in {Electorate.SUPPORTERS, Electorate.MEMBERS}:
        return RollPreview(voters=electorate_users(ballot=ballot).count(), left_out=left_out)
    try:
        roll = electorate_roll(ballot=ballot)
    except DomainError as err:
        return RollPreview(voters=0, left_out=left_out, problem=err.message)
    if not roll:
        return RollPreview(voters=0, left_out=left_out, problem=EMPTY_ROLL)
    weights = {user.pk: weight for user, weight in roll}
    by_organisation: dict[str, set[int]] = {}
    if ballot.electorate == Electorate.COMMITTEE:
        rows = _current_representatives().filter(supporter__user__in=list(weights))
        for name, user_id in rows.values_list("organisation__name", "supporter__user_id"):
            by_organisation.setdefault(name, set()).add(user_id)
    else:
        users = [user for user, _ in roll]
        from_memberships, rows, found = _members_found(ballot=ballot, users=users)
        members = {share.organisation_id: (share, user_ids) for share, user_ids in found}
        if from_memberships:
            members = _members_by_choice(members, rows=rows)
        for share, user_ids in members.values():
            by_organisation[share.organisation.name] = set(user_ids)
    return RollPreview(
        voters=len(roll),
        by_organisation=[
            (name, len(user_ids), weights[min(user_ids)] if user_ids else 0)
            for name, user_ids in sorted(by_organisation.items())
        ],
        left_out=left_out,
    )


EMPTY_ROLL = "The electorate is empty: nobody could vote."


def _left_out(*, ballot: Ballot) -> list[str]:
    """Who the electorate means but the roll cannot hold, and why. On a roll of
    representatives, each one by name (the returning officer knows the committee);
    otherwise only how many supporters have not confirmed their email address."""
    if ballot.electorate in {Electorate.SUPPORTERS, Electorate.MEMBERS}:
        unconfirmed = Supporter.objects.filter(email_verified_at__isnull=True)
        if ballot.electorate == Electorate.MEMBERS:
            unconfirmed = unconfirmed.filter(membership=Membership.MEMBER)
        count = unconfirmed.count()
        if not count:
            return []
        who = "1 supporter has" if count == 1 else f"{count} supporters have"
        return [f"{who} not confirmed their email address, so cannot vote."]
    representatives = Representative.objects.current().filter(
        organisation__status=AffiliationStatus.AFFILIATED
    )
    if ballot.electorate == Electorate.ORGANISATIONS:
        from_memberships, _ = _organisation_members(ballot=ballot)
        if from_memberships:
            return []
        representatives = representatives.filter(
            organisation__in=ballot.organisations.values("organisation")
        )
    reasons = []
    for representative in representatives.select_related("organisation", "supporter__user"):
        whose = f"Representative {representative.name} of {representative.organisation.name}"
        if representative.supporter is None:
            reasons.append(f"{whose} has no supporter account, so cannot vote.")
        elif not representative.supporter.user.is_active:
            reasons.append(f"{whose} has a closed account, so cannot vote.")
    return reasons


def cast_ballot_list(*, ballot: Ballot) -> QuerySet[CastBallot]:
    """The cast ballots, only once the ballot has closed."""
    if not ballot.is_counted:
        raise DomainError(NOT_CLOSED)
    return CastBallot.objects.filter(ballot=ballot)


def receipt_list(*, ballot: Ballot) -> list[str]:
    """Every receipt code, sorted (published after the close)."""
    if ballot.sealed:
        if not ballot.is_counted:
            raise DomainError(NOT_CLOSED)
        return sorted(SealedCast.objects.filter(ballot=ballot).values_list("receipt", flat=True))
    return sorted(cast_ballot_list(ballot=ballot).values_list("receipt", flat=True))


def counted_rows(*, ballot: Ballot) -> list[tuple[list[int], int]]:
    """The ballots the count counts, as ``(ranking, weight)``: the cast ballots, or for a
    sealed ballot those the trustees decrypted (none before the count)."""
    if ballot.sealed:
        if not ballot.is_counted:
            raise DomainError(NOT_CLOSED)
        if ballot.status != Status.PUBLISHED:
            raise DomainError(NOT_DECRYPTED)
        return list(DecryptedBallot.objects.filter(ballot=ballot).values_list("ranking", "weight"))
    return list(cast_ballot_list(ballot=ballot).values_list("ranking", "weight"))


def turnout_get(*, ballot: Ballot) -> tuple[int, int]:
    """(voted, on the roll)."""
    roll = ballot.roll.count()
    voted = Credential.objects.filter(ballot=ballot, used=True).count()
    return voted, roll


@dataclass(frozen=True)
class DeliveryCounts:
    """Where the voting links stand, in counts only (never who): queued (including those
    being sent), sent, failed (``retrying`` of them will be tried again by themselves)."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0


def delivery_counts(*, ballot: Ballot) -> DeliveryCounts:
    rows = dict(
        Credential.objects.filter(ballot=ballot)
        .values_list("delivery")
        .annotate(n=Count("pk"))
        .values_list("delivery", "n")
    )
    retrying = Credential.objects.filter(
        ballot=ballot, delivery=Delivery.FAILED, next_attempt_at__isnull=False
    ).count()
    return DeliveryCounts(
        queued=rows.get(Delivery.QUEUED, 0) + rows.get(Delivery.SENDING, 0),
        sent=rows.get(Delivery.SENT, 0),
        failed=rows.get(Delivery.FAILED, 0),
        retrying=retrying,
    )


def ballot_profile(*, ballot: Ballot) -> Profile:
    """The cast ballots as an engine profile (after the close only): options in their order,
    each ranking as 0-based option positions, weights included, categories attached."""
    return rows_profile(ballot=ballot, rows=counted_rows(ballot=ballot))


def rows_profile(*, ballot: Ballot, rows: Sequence[tuple[list[int], int]]) -> Profile:
    """``(ranking, weight)`` rows of ``ballot`` as an engine profile: the cast ballots
    (``ballot_profile``) or a draft's test ballots (``trial_result``)."""
    options = ballot_options(ballot=ballot)
    position = {option.pk: i for i, option in enumerate(options)}
    categories = [option.category for option in options]
    return Profile.from_rankings(
        [option.name for option in options],
        ballot.seats,
        [[position[option_id] for option_id in ranking] for ranking, _ in rows],
        [weight for _, weight in rows],
        categories=categories if all(categories) else None,
        title=ballot.question,
    )


def ballot_blt(*, ballot: Ballot) -> str:
    """The anonymised ballots as BLT, identical rankings merged (so in no order of casting)."""
    return format_blt(ballot_profile(ballot=ballot))


def ballot_categories_csv(*, ballot: Ballot) -> str:
    """``candidate,category`` for every option, the side file ``grassroots count`` reads;
    a name a spreadsheet would run as a formula is written after a ``'``, which the reader
    takes off again (``count/formats/cells.py``)."""
    return format_categories_csv(
        (option.name, option.category) for option in ballot_options(ballot=ballot)
    )


def ballot_rule(*, ballot: Ballot) -> str:
    return "irv" if ballot.method == Method.IRV else ballot.rule


def recount_command(*, ballot: Ballot) -> str:
    """The exact command that recounts the published BLT."""
    parts = ["grassroots", "count", f"{ballot.slug}.blt", "--rule", ballot_rule(ballot=ballot)]
    if ballot.quotas:
        parts += ["--categories", f"{ballot.slug}-categories.csv"]
        for category, limit in sorted(ballot.quotas.items()):
            if "min" in limit:
                parts += ["--min", f"{category}={limit['min']}"]
            if "max" in limit:
                parts += ["--max", f"{category}={limit['max']}"]
    return " ".join(shlex.quote(part) for part in parts)


def published_rankings(*, ballot: Ballot) -> list[tuple[str, list[str]]]:
    """(receipt, ranking by option name) in a random order: only for a ballot published with
    that option, which lets a voter prove their vote (docs/ballots.md)."""
    if (
        ballot.status != Status.PUBLISHED
        or not ballot.publish_receipts_with_rankings
        or ballot.sealed
    ):
        return []
    names = {option.pk: option.name for option in ballot_options(ballot=ballot)}
    rows = [
        (receipt, [names[option_id] for option_id in ranking])
        for receipt, ranking in cast_ballot_list(ballot=ballot).values_list("receipt", "ranking")
    ]
    random.SystemRandom().shuffle(rows)
    return rows


def _members_by_choice(
    members: dict[int, tuple[BallotElectorateOrganisation, list[int]]], *, rows: QuerySet[Any]
) -> dict[int, tuple[BallotElectorateOrganisation, list[int]]]:
    """Keep a confirmed member of several of the ballot's organisations only in the one whose
    membership they marked to vote with. ``rows`` are the confirmed memberships of the
    ballot's organisations, so a mark on a membership that is pending, or of an organisation
    outside the ballot, chooses nothing here: that person stays in all of theirs, for
    ``_refuse_overlaps``. One query, and none when nobody is in two organisations."""
    times = Counter(user_id for _, user_ids in members.values() for user_id in user_ids)
    several = [user_id for user_id, count in times.items() if count > 1]
    if not several:
        return members
    chosen = dict(
        rows.filter(votes_with=True, supporter__user_id__in=several).values_list(
            "supporter__user_id", "organisation_id"
        )
    )
    return {
        organisation_id: (
            share,
            [
                user_id
                for user_id in user_ids
                if chosen.get(user_id, organisation_id) == organisation_id
            ],
        )
        for organisation_id, (share, user_ids) in members.items()
    }


def _refuse_overlaps(
    members: dict[int, tuple[BallotElectorateOrganisation, list[int]]], *, from_memberships: bool
) -> None:
    """Refuse a roll where someone is still in two of the ballot's organisations, saying how
    many people each pair shares (never who). On a membership roll those are the people who
    have not chosen which one they vote with, and they choose on their memberships page; on a
    roll of representatives, the organisations settle it. Nobody is emailed unless the
    returning officer asks (``services.ballot_choice_reminders_send``)."""
    shared = []
    shares = list(members.values())
    for index, (first, first_ids) in enumerate(shares):
        for second, second_ids in shares[index + 1 :]:
            if both := len(set(first_ids) & set(second_ids)):
                who = "1 person is a member" if both == 1 else f"{both} people are members"
                pair = f"{who} of both {first.organisation} and {second.organisation}"
                if from_memberships:
                    has = "has" if both == 1 else "have"
                    pair += f" and {has} not chosen which one they vote with"
                shared.append(pair)
    if shared and from_memberships:
        raise DomainError(
            "; ".join(shared) + ". Each voter votes with one organisation: each of them chooses "
            "it on their memberships page (/me/organisations/) before the ballot opens. The "
            "returning officer can have the site ask them, from the ballot's page.",
            field="electorate",
        )
    if shared:
        raise DomainError(
            "; ".join(shared) + ". Each voter votes for one organisation: one of those "
            "memberships must end (the organisation's representatives can end it) before the "
            "ballot opens.",
            field="electorate",
        )


def trial_rows(*, ballot: Ballot) -> list[tuple[list[int], int]]:
    """A draft's test ballots as ``(ranking, weight)`` rows, each weighing 1."""
    return [
        (ranking, 1)
        for ranking in TrialBallot.objects.filter(ballot=ballot).values_list("ranking", flat=True)
    ]


def scrutineer_list(*, ballot: Ballot) -> list[Scrutineer]:
    return list(ballot.scrutineers.select_related("person").order_by("person__name"))


def result_recipients(*, ballot: Ballot) -> list[User]:
    """Who is emailed the published result: the returning officer and every scrutineer,
    each once, active accounts only."""
    people = [ballot.returning_officer] if ballot.returning_officer else []
    people += [scrutineer.person for scrutineer in scrutineer_list(ballot=ballot)]
    seen: set[int] = set()
    recipients = []
    for person in people:
        if person.is_active and person.pk not in seen:
            seen.add(person.pk)
            recipients.append(person)
    return recipients


def scrutineer_candidates(*, ballot: Ballot) -> list[User]:
    """Representatives the returning officer may pick as scrutineers without typing an
    address: the current representatives, linked to an active supporter, of the ballot's
    organisations (or of every affiliate, for other electorates), not yet named."""
    representatives = _current_representatives().filter(supporter__user__is_active=True)
    if ballot.electorate == Electorate.ORGANISATIONS:
        representatives = representatives.filter(
            organisation__in=ballot.organisations.values("organisation")
        )
    named = ballot.scrutineers.values("person")
    return list(
        User.objects.filter(supporter__in=representatives.values("supporter"))
        .exclude(pk__in=named)
        .distinct()
        .order_by("name")
    )


def ballot_audit_trail(*, ballot: Ballot) -> QuerySet[AuditEntry]:
    """The audit rows about this ballot, oldest first."""
    return AuditEntry.objects.filter(object_type="ballot", object_id=str(ballot.pk)).order_by(
        "created_at", "id"
    )


@dataclass(frozen=True)
class MyBallot:
    """A ballot whose roll a supporter is on, as their "My ballots" page shows it: whether
    they have voted (their credential is used), never how."""

    ballot: Ballot
    voted: bool


def my_ballot_list(*, user: User) -> list[MyBallot]:
    """Every ballot whose roll ``user`` is on, newest first."""
    entries = (
        VoterRollEntry.objects.filter(person=user)
        .select_related("ballot", "credential")
        .order_by("-ballot__opens_at", "ballot__slug")
    )
    return [
        MyBallot(
            ballot=entry.ballot,
            voted=bool(getattr(entry, "credential", None) and entry.credential.used),
        )
        for entry in entries
    ]


def scrutinised_ballot_list(*, user: User) -> list[Ballot]:
    """The ballots ``user`` was named to scrutinise, newest first."""
    return list(Ballot.objects.filter(scrutineers__person=user).order_by("-opens_at", "slug"))
