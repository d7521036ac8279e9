"""Writing ballots: create, open (freeze the roll, issue credentials), cast, close, extend,
cancel, count and publish.

Each service takes keyword-only arguments, runs in one transaction that also writes the audit
row (but a cast, which writes none: ``ballot_cast``), and sends email only after the commit.
Audit summaries name neither voters nor rankings.
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.count import CountError, Limit, QuotaError, Quotas, count
from grassroots.count.quota import QuotaGuard
from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.audit.services import audit_record
from grassroots.web.ballots import sealing, selectors
from grassroots.web.ballots.delivery import Reason, delivery_plan_enqueue
from grassroots.web.ballots.models import (
    RANKED_METHODS,
    Ballot,
    BallotElectorateOrganisation,
    BallotOption,
    CastBallot,
    Credential,
    Delivery,
    Electorate,
    Method,
    Scrutineer,
    SealedCast,
    SealedElection,
    Status,
    TrialBallot,
    TrialCredential,
    VoterRollEntry,
)
from grassroots.web.errors import DomainError
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import User

# Receipt codes: no 0/O, 1/I, so a voter can read one out.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
UNKNOWN_CREDENTIAL = "This voting link is not valid. Check you copied the whole link."
USED_CREDENTIAL = "This voting link has already been used: each voter votes once."
NOT_OPEN = "This ballot is not open for voting."
RECEIPT_CLASH = "Your vote was not stored because of a rare clash: please submit it again."
RULES = ("scottish", "ers97", "meek")
MAX_SHARE = 2**31 - 1  # an organisation's share: what its column holds
MAX_SEALED_OPTIONS = 255  # seal.encoding writes each preference as one byte


class Deliver(Protocol):
    """Hands each voter (name, email, token) their link after the commit."""

    def __call__(
        self, *, ballot: Ballot, site_url: str, links: Sequence[tuple[str, str, str]]
    ) -> None: ...


@dataclass(frozen=True)
class Receipt:
    """What a voter keeps: the ballot and a code to find in the published list."""

    ballot_slug: str
    code: str


def receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _ballot_locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


def _ballot_shared(ballot_id: int) -> Ballot:
    """The ballot re-read under a shared lock (PostgreSQL ``FOR SHARE``), for a cast: casts
    of one ballot go side by side, while closing, cancelling or extending it (which lock it
    for update, ``_ballot_locked``) waits for the casts under way, and a cast that comes
    after sees it closed. On SQLite the cast's IMMEDIATE transaction already holds the whole
    database."""
    if connection.vendor != "postgresql":
        return Ballot.objects.get(pk=ballot_id)
    table = Ballot._meta.db_table
    return Ballot.objects.raw(
        f"SELECT * FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608 (the model's own table)
        [ballot_id],
    )[0]


def _organisations_check(
    *, electorate: Electorate, organisations: Sequence[tuple[Organisation, int]]
) -> None:
    """Weighted organisations: at least two, each once, affiliated, with a whole share >= 1;
    and none for any other electorate."""
    field = "organisations"
    if electorate != Electorate.ORGANISATIONS:
        if organisations:
            raise DomainError("Only a ballot of organisations lists organisations.", field=field)
        return
    if len(organisations) < 2:
        raise DomainError("Name at least two organisations, each with a weight.", field=field)
    if len({organisation.pk for organisation, _ in organisations}) != len(organisations):
        raise DomainError("Each organisation may be named once.", field=field)
    for organisation, weight in organisations:
        if organisation.status != AffiliationStatus.AFFILIATED:
            raise DomainError(f"{organisation} is not affiliated.", field=field)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise DomainError(
                f"{organisation}'s weight must be a whole number from 1.", field=field
            )
        if weight > MAX_SHARE:
            raise DomainError(f"{organisation}'s weight may be at most {MAX_SHARE:,}.", field=field)


def _max_length(model: type[models.Model], field: str) -> int:
    column = model._meta.get_field(field)
    length = column.max_length if isinstance(column, models.CharField) else None
    return int(length) if length is not None else 0


def _text_check(*, slug: str, question: str, options: Sequence[tuple[str, str]]) -> None:
    """Refuse text the columns cannot hold, and a question on several lines: it becomes the
    subject of every voter's email, where a line break would stop the email being sent."""
    if len(slug) > (most := _max_length(Ballot, "slug")):
        raise DomainError(f"The address may have at most {most} characters.", field="slug")
    if "\n" in question or "\r" in question:
        raise DomainError("Write the question on one line.", field="question")
    if len(question.strip()) > (most := _max_length(Ballot, "question")):
        raise DomainError(f"The question may have at most {most} characters.", field="question")
    longest_name = _max_length(BallotOption, "name")
    longest_category = _max_length(BallotOption, "category")
    for name, category in options:
        if len(name.strip()) > longest_name:
            raise DomainError(
                f"{name.strip()[:40]}…: an option's name may have at most {longest_name} "
                "characters.",
                field="options",
            )
        if len(category.strip()) > longest_category:
            raise DomainError(
                f"{name.strip()}: a category may have at most {longest_category} characters.",
                field="options",
            )


def _quotas_possible_check(
    *, seats: int, quotas: Mapping[str, Mapping[str, int]], candidates: Sequence[tuple[str, str]]
) -> None:
    """Refuse quotas that no result could meet, as the engine would at the count (after
    everyone had voted): a minimum above the candidates standing in its category, or
    minimums and maximums that no choice of ``seats`` candidates satisfies."""
    if not quotas:
        return
    standing = Counter(category for _, category in candidates)
    for category, limit in quotas.items():
        if limit.get("min", 0) > standing[category]:
            raise DomainError(
                f"At least {limit['min']} of category {category} must be elected, but only "
                f"{standing[category]} of the options {'is' if standing[category] == 1 else 'are'}"
                f" {category}: lower the minimum or add candidates.",
                field="quotas",
            )
    try:
        engine_quotas = Quotas.build(
            {c: limit["min"] for c, limit in quotas.items() if "min" in limit},
            {c: limit["max"] for c, limit in quotas.items() if "max" in limit},
        )
        guard = QuotaGuard(
            engine_quotas,
            [category for _, category in candidates],
            seats,
            [name for name, _ in candidates],
        )
        guard.check_possible(range(len(candidates)))
    except QuotaError as err:
        raise DomainError(
            f"No result could meet these quotas with {seats} seat(s) and these candidates: {err}.",
            field="quotas",
        ) from err


MAX_STATEMENT = 3000  # a candidate's statement: a few paragraphs


def _sealed_check(
    *,
    sealed: bool,
    method: Method,
    options: Sequence[tuple[str, str]],
    publish_receipts_with_rankings: bool,
) -> None:
    """A sealed ballot is ranked (its bundle is recounted by the engine), publishes no
    receipt beside a ranking (nothing links them once mixed), and has at most
    ``MAX_SEALED_OPTIONS`` options (the encoding writes each preference in a byte)."""
    if not sealed:
        return
    if method not in RANKED_METHODS:
        raise DomainError(
            "Only a ranked ballot (STV or instant runoff) can be sealed for now.", field="sealed"
        )
    if publish_receipts_with_rankings:
        raise DomainError(
            "A sealed ballot cannot publish receipts beside rankings: the mix unlinks them.",
            field="publish_receipts_with_rankings",
        )
    if len(options) > MAX_SEALED_OPTIONS:
        raise DomainError(
            f"A sealed ballot has at most {MAX_SEALED_OPTIONS} options.", field="options"
        )


def _ballot_check(
    *,
    question: str,
    options: Sequence[tuple[str, str]],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    method: Method,
    seats: int,
    quotas: Mapping[str, Mapping[str, int]] | None,
    electorate: Electorate,
    rule: str,
    organisations: Sequence[tuple[Organisation, int]],
    statements: Mapping[str, str],
    slug: str = "",
) -> dict[str, dict[str, int]]:
    """Everything a draft ballot must satisfy, for ``ballot_create`` and ``ballot_update``
    alike; a ``DomainError`` naming the field otherwise. Returns the quotas, cleaned."""
    _text_check(slug=slug, question=question, options=options)
    names = [name.strip() for name, _ in options]
    if len(names) < 2:
        raise DomainError("A ballot needs at least two options.", field="options")
    if len(set(names)) != len(names) or not all(names):
        raise DomainError("Each option needs a different, non-empty name.", field="options")
    for name, statement in statements.items():
        if name.strip() not in names:
            raise DomainError(f"{name!r} is not one of the options.", field="statements")
        if len(statement.strip()) > MAX_STATEMENT:
            raise DomainError(
                f"{name}: a statement may have at most {MAX_STATEMENT} characters.",
                field="statements",
            )
    if closes_at <= opens_at:
        raise DomainError("It must close after it opens.", field="closes_at")
    if method == Method.IRV and seats != 1:
        raise DomainError("Instant runoff fills one seat.", field="seats")
    if seats < 1 or seats >= len(names) + (method != Method.STV):
        raise DomainError("Seats must be at least 1 and fewer than the options.", field="seats")
    if method == Method.YES_NO and len(names) != 2:
        raise DomainError("A yes/no ballot has exactly two options.", field="options")
    if rule not in RULES:
        raise DomainError(f"Choose one of {', '.join(RULES)}.", field="rule")
    categories = {category for _, category in options}
    cleaned = {key: dict(value) for key, value in (quotas or {}).items()}
    for category, limit in cleaned.items():
        if category not in categories or set(limit) - {"min", "max"}:
            raise DomainError(
                f"The quota for {category!r} names no option's category.", field="quotas"
            )
    _quotas_possible_check(
        seats=seats,
        quotas=cleaned,
        candidates=[(name.strip(), category.strip()) for name, category in options],
    )
    _organisations_check(electorate=electorate, organisations=organisations)
    return cleaned


def _options_store(
    *,
    ballot: Ballot,
    options: Sequence[tuple[str, str]],
    statements: Mapping[str, str],
    organisations: Sequence[tuple[Organisation, int]],
) -> None:
    """Write a draft's options (in the order given) and organisations, replacing any."""
    ballot.options.all().delete()
    ballot.organisations.all().delete()
    by_name = {name.strip(): statement.strip() for name, statement in statements.items()}
    BallotOption.objects.bulk_create(
        BallotOption(
            ballot=ballot,
            name=name.strip(),
            category=category.strip(),
            statement=by_name.get(name.strip(), ""),
            position=i,
        )
        for i, (name, category) in enumerate(options)
    )
    BallotElectorateOrganisation.objects.bulk_create(
        BallotElectorateOrganisation(ballot=ballot, organisation=organisation, weight=weight)
        for organisation, weight in organisations
    )


@transaction.atomic  # not durable: slates.services.slate_ballot_create calls it in its own
def ballot_create(
    *,
    actor: User | None,
    slug: str,
    question: str,
    options: Sequence[tuple[str, str]],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    method: Method = Method.STV,
    seats: int = 1,
    quotas: Mapping[str, Mapping[str, int]] | None = None,
    electorate: Electorate = Electorate.SUPPORTERS,
    rule: str = "scottish",
    description: str = "",
    publish_receipts_with_rankings: bool = False,
    email_receipts: bool = False,
    returning_officer: User | None = None,
    organisations: Sequence[tuple[Organisation, int]] = (),
    statements: Mapping[str, str] | None = None,
    sealed: bool = False,
) -> Ballot:
    """A draft ballot with its options ``(name, category)``, in the order given, candidates'
    ``statements`` by option name, and for a ballot of weighted organisations its
    ``(organisation, share)`` pairs; audit."""
    statements = statements or {}
    _sealed_check(
        sealed=sealed,
        method=method,
        options=options,
        publish_receipts_with_rankings=publish_receipts_with_rankings,
    )
    quotas = _ballot_check(
        slug=slug,
        question=question,
        options=options,
        opens_at=opens_at,
        closes_at=closes_at,
        method=method,
        seats=seats,
        quotas=quotas,
        electorate=electorate,
        rule=rule,
        organisations=organisations,
        statements=statements,
    )
    if Ballot.objects.filter(slug=slug).exists():
        raise DomainError("A ballot with this slug exists.", field="slug")
    ballot = Ballot.objects.create(
        slug=slug,
        question=question.strip(),
        description=description,
        method=method,
        rule=rule,
        seats=seats,
        quotas=quotas,
        electorate=electorate,
        opens_at=opens_at,
        closes_at=closes_at,
        publish_receipts_with_rankings=publish_receipts_with_rankings,
        email_receipts=email_receipts,
        returning_officer=returning_officer or actor,
        sealed=sealed,
    )
    if sealed:
        SealedElection.objects.create(ballot=ballot)
    _options_store(
        ballot=ballot, options=options, statements=statements, organisations=organisations
    )
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.create",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"{method} ballot {slug}, {len(options)} options, {seats} seats, {electorate}"
        + (", sealed" if sealed else ""),
    )
    return ballot


NOT_DRAFT = "This ballot is open already: only a draft can be edited."


@transaction.atomic(durable=True)
def ballot_update(
    *,
    actor: User | None,
    ballot: Ballot,
    question: str,
    options: Sequence[tuple[str, str]],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    method: Method = Method.STV,
    seats: int = 1,
    quotas: Mapping[str, Mapping[str, int]] | None = None,
    electorate: Electorate = Electorate.SUPPORTERS,
    rule: str = "scottish",
    description: str = "",
    publish_receipts_with_rankings: bool = False,
    organisations: Sequence[tuple[Organisation, int]] = (),
    statements: Mapping[str, str] | None = None,
    sealed: bool | None = None,
) -> list[str]:
    """Edit a draft ballot, checked exactly as ``ballot_create`` checks a new one; refused
    once it has opened. Any test ballots are discarded, since they ranked the old options.
    Audits which fields changed and returns their names. Unsealing a draft (``sealed``
    False; None keeps it as it is) drops its trustees and their key ceremony."""
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.DRAFT:
        raise DomainError(NOT_DRAFT)
    statements = statements or {}
    sealed = ballot.sealed if sealed is None else sealed
    _sealed_check(
        sealed=sealed,
        method=method,
        options=options,
        publish_receipts_with_rankings=publish_receipts_with_rankings,
    )
    quotas = _ballot_check(
        question=question,
        options=options,
        opens_at=opens_at,
        closes_at=closes_at,
        method=method,
        seats=seats,
        quotas=quotas,
        electorate=electorate,
        rule=rule,
        organisations=organisations,
        statements=statements,
    )
    before = _draft_snapshot(ballot)
    ballot.question = question.strip()
    ballot.description = description
    ballot.method = method
    ballot.rule = rule
    ballot.seats = seats
    ballot.quotas = quotas
    ballot.electorate = electorate
    ballot.opens_at = opens_at
    ballot.closes_at = closes_at
    ballot.publish_receipts_with_rankings = publish_receipts_with_rankings
    ballot.sealed = sealed
    ballot.save()
    if sealed:
        SealedElection.objects.get_or_create(ballot=ballot)
    else:
        SealedElection.objects.filter(ballot=ballot).delete()
        ballot.trustees.all().delete()
    _options_store(
        ballot=ballot, options=options, statements=statements, organisations=organisations
    )
    after = _draft_snapshot(ballot)
    changed = [name for name in after if before[name] != after[name]]
    discarded = _trials_discard(ballot)
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.update",
        object_type="ballot",
        object_id=ballot.pk,
        summary=(
            f"draft edited: {', '.join(changed) or 'nothing changed'}"
            + (f"; {discarded} test ballots discarded" if discarded else "")
        ),
    )
    return changed


def _draft_snapshot(ballot: Ballot) -> dict[str, Any]:
    """What an edit may change, to audit which parts did."""
    return {
        "question": ballot.question,
        "description": ballot.description,
        "method": str(ballot.method),
        "rule": ballot.rule,
        "seats": ballot.seats,
        "quotas": ballot.quotas,
        "electorate": str(ballot.electorate),
        "opening": ballot.opens_at,
        "closing": ballot.closes_at,
        "receipts with rankings": ballot.publish_receipts_with_rankings,
        "sealed": ballot.sealed,
        "options": list(ballot.options.order_by("position").values_list("name", "category")),
        "statements": list(ballot.options.order_by("position").values_list("statement")),
        "organisations": list(
            ballot.organisations.order_by("organisation_id").values_list(
                "organisation_id", "weight"
            )
        ),
    }


def _trials_discard(ballot: Ballot) -> int:
    """Delete a ballot's test credentials and test ballots; return how many test ballots."""
    discarded, _ = TrialBallot.objects.filter(ballot=ballot).delete()
    TrialCredential.objects.filter(ballot=ballot).delete()
    return discarded


@transaction.atomic(durable=True)
def ballot_trial_credential_issue(*, actor: User | None, ballot: Ballot) -> str:
    """A test credential for a draft ballot, so its returning officer can try the voting
    page; returns the token's hash (the voting page's cookie holds it). Audited; it is on no
    roll, and ``ballot_open`` deletes it."""
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.DRAFT:
        raise DomainError("Test votes are for a draft ballot: this one has opened.")
    hashed = selectors.token_hash(secrets.token_urlsafe(32))
    TrialCredential.objects.create(ballot=ballot, token_hash=hashed)
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.trial",
        object_type="ballot",
        object_id=ballot.pk,
        summary="test credential issued to the returning officer",
    )
    return hashed


@transaction.atomic(durable=True)
def ballot_trial_cast(*, credential_hash: str, ranking: Sequence[int]) -> Receipt:
    """Cast a test ballot on a draft with a test credential, once; checked as a real one."""
    credential = (
        TrialCredential.objects.select_for_update()
        .select_related("ballot")
        .filter(token_hash=credential_hash)
        .first()
    )
    if credential is None:
        raise DomainError(UNKNOWN_CREDENTIAL)
    if credential.used:
        raise DomainError(USED_CREDENTIAL)
    ballot = credential.ballot
    if ballot.status != Status.DRAFT:
        raise DomainError("This ballot has opened: test votes were discarded.")
    ranking = ranking_check(ballot=ballot, ranking=ranking)
    credential.used = True
    credential.save(update_fields=["used"])
    code = "TEST-" + receipt_code()[5:]
    TrialBallot.objects.create(ballot=ballot, ranking=ranking, receipt=code)
    return Receipt(ballot_slug=ballot.slug, code=code)


def _send_choice_reminders(
    *, ballot: Ballot, site_url: str, people: Sequence[tuple[str, str]], organisations: str
) -> None:
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    page = site_url.rstrip("/") + reverse("alliance:membership_mine")
    for name, email in people:
        body = (
            f'Hello {name},\n\n{alliance}\'s joint ballot "{ballot.question}" is a ballot of '
            f"several organisations ({organisations}), and you are a confirmed member of more "
            "than one of them. Each voter votes with one organisation, so the ballot cannot "
            "open until you choose which.\n\n"
            f"Choose on your memberships page:\n\n{page}\n"
        )
        subject = f"Choose the organisation you vote with: {ballot.question}"
        send_later(subject=subject, body=body, to=email)


@transaction.atomic(durable=True)
def ballot_choice_reminders_send(*, actor: User | None, ballot: Ballot, site_url: str) -> int:
    """Email the members of two or more of a draft joint ballot's organisations who have not
    chosen which one they vote with, asking them to choose; audit the count (never who).
    Sent only when the returning officer asks. Returns how many were emailed."""
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.DRAFT or ballot.electorate != Electorate.ORGANISATIONS:
        raise DomainError("Reminders are for a draft ballot of several organisations.")
    people = [(user.name, user.email) for user in selectors.members_still_to_choose(ballot=ballot)]
    if not people:
        raise DomainError("Every member of several of the organisations has chosen already.")
    organisations = ", ".join(
        str(share.organisation) for share in selectors.electorate_organisation_list(ballot=ballot)
    )
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.choice_reminders",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"{len(people)} members reminded to choose an organisation",
    )
    transaction.on_commit(
        lambda: _send_choice_reminders(
            ballot=ballot, site_url=site_url, people=people, organisations=organisations
        )
    )
    return len(people)


@transaction.atomic(durable=True)
def ballot_open(
    *, actor: User | None, ballot: Ballot, site_url: str, deliver: Deliver | None = None
) -> int:
    """Open a draft ballot: freeze the roll from the electorate, store one credential per
    voter, queued and without a token, queue the task that plans the emailing of the links in
    batches (``ballots.delivery``: each token is made in the task that emails it, so a failed
    email is retried with a fresh one and no link is lost), and audit.

    The roll and the credentials are each written by one ``INSERT ... SELECT`` the database
    runs (``selectors.electorate_roll_rows``), and one task is queued whatever the roll's
    size: no Python object per voter, so it answers in about the same time for any roll.

    ``deliver`` replaces the email (the demo hands its fictional voters' tokens to itself):
    the tokens are then made here and handed to it after the commit. Returns the roll's size.
    """
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.DRAFT:
        raise DomainError("Only a draft ballot can open.")
    rows = selectors.electorate_roll_rows(ballot=ballot)
    if deliver is None:
        voters = _roll_size(rows)
        if ballot.sealed and voters:  # refuse an unfinished key ceremony here, not later
            sealing.ceremony_check(ballot=ballot)
        if voters > settings.BALLOT_OPEN_IN_REQUEST_MAX:
            return _open_later(actor=actor, ballot=ballot, site_url=site_url, voters=voters)
    return _open_now(actor=actor, ballot=ballot, rows=rows, site_url=site_url, deliver=deliver)


def _roll_size(rows: models.QuerySet[Any]) -> int:
    try:
        return rows.count()
    except EmptyResultSet:
        return 0


def _open_later(*, actor: User | None, ballot: Ballot, site_url: str, voters: int) -> int:
    """Mark a large ballot as opening and queue the task that freezes its roll
    (``ballot_open_finish``), in this transaction with the database queue."""
    from grassroots.web.ballots.tasks import ballot_open_finish

    ballot.status = Status.OPENING
    ballot.site_url = site_url
    ballot.save(update_fields=["status", "site_url"])
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.open_request",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"about {voters} voters: the worker freezes the roll",
    )
    actor_id = actor.pk if actor else None
    sealing.task_enqueue(ballot_open_finish, ballot.pk, actor_id, site_url)
    return voters


def ballot_open_finish(*, ballot_id: int, actor_id: int | None, site_url: str) -> str:
    """The worker's half of opening a large ballot: freeze the roll and issue the credentials
    as ``ballot_open`` does for a small one, then open it. If the electorate has emptied
    meanwhile, the ballot goes back to draft, with the reason audited. Safe to run twice."""
    with transaction.atomic(durable=True):
        ballot = Ballot.objects.select_for_update().filter(pk=ballot_id).first()
        if ballot is None or ballot.status != Status.OPENING:
            return "not opening"
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        try:
            with transaction.atomic():
                rows = selectors.electorate_roll_rows(ballot=ballot)
                voters = _open_now(
                    actor=actor, ballot=ballot, rows=rows, site_url=site_url, deliver=None
                )
        except DomainError as err:
            ballot.status = Status.DRAFT
            ballot.save(update_fields=["status"])
            audit_record(
                actor_id=actor_id,
                action="ballot.open_fail",
                object_type="ballot",
                object_id=ballot.pk,
                summary=f"back to draft: {err.message}",
            )
            return "back to draft"
    return f"open with {voters} voters"


def _open_now(
    *,
    actor: User | None,
    ballot: Ballot,
    rows: models.QuerySet[Any],
    site_url: str,
    deliver: Deliver | None,
) -> int:
    discarded = _trials_discard(ballot)
    now = timezone.now()
    voters = _roll_freeze(ballot=ballot, rows=rows, now=now)
    if not voters:
        raise DomainError("The electorate is empty: nobody could vote.", field="electorate")
    if ballot.sealed:  # the trustees' joint key and the ballots' width are fixed now
        heaviest = VoterRollEntry.objects.filter(ballot=ballot).aggregate(models.Max("weight"))
        sealing.election_fix(ballot=ballot, max_weight=heaviest["weight__max"])
    ballot.status = Status.OPEN
    ballot.opens_at = min(ballot.opens_at, now)
    ballot.site_url = site_url
    ballot.save(update_fields=["status", "opens_at", "site_url"])
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.open",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"roll frozen with {voters} voters; credentials queued for delivery"
        + (f"; {discarded} test ballots discarded" if discarded else ""),
    )
    if deliver is None:
        delivery_plan_enqueue(ballot_id=ballot.pk)
    else:
        links = _links_issue_here(ballot=ballot)
        transaction.on_commit(lambda: deliver(ballot=ballot, site_url=site_url, links=links))
    return voters


def _roll_freeze(*, ballot: Ballot, rows: models.QuerySet[Any], now: datetime.datetime) -> int:
    """Write the roll (``rows``: ``roll_person`` and ``roll_weight``) and one queued credential
    per entry, each with one ``INSERT ... SELECT``; how many voters."""
    try:
        select, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return 0
    voters = _insert_select(
        VoterRollEntry,
        {
            "ballot": ("%s", [ballot.pk]),
            "person": ("roll.roll_person", []),
            "weight": ("roll.roll_weight", []),
        },
        f"FROM ({select}) roll",
        list(params),
    )
    if voters:
        entry = connection.ops.quote_name(VoterRollEntry._meta.db_table)
        _insert_select(
            Credential,
            {
                "ballot": ("entry.ballot_id", []),
                "roll_entry": ("entry.id", []),
                "next_attempt_at": (
                    "%s",
                    [
                        Credential._meta.get_field("next_attempt_at").get_db_prep_save(
                            now, connection
                        )
                    ],
                ),
            },
            f"FROM {entry} entry WHERE entry.ballot_id = %s",
            [ballot.pk],
        )
    return voters


def _insert_select(
    model: type[models.Model],
    chosen: Mapping[str, tuple[str, list[Any]]],
    source: str,
    source_params: list[Any],
) -> int:
    """``INSERT INTO`` the model's table ``SELECT`` the ``chosen`` fields' expressions (SQL and
    its parameters, by field name) ``source``; every other field gets its default, so a field
    added later needs no change here, unless its default must differ from row to row (a
    callable default is called once, so a unique one is refused). How many rows."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in chosen:
            continue
        if field.name in chosen:
            sql, field_params = chosen[field.name]
        elif field.db_default is not models.NOT_PROVIDED:
            continue
        elif field.has_default() or not field.null:
            if field.unique and callable(field.default):
                raise TypeError(f"{model.__name__}.{field.name} needs a value of its own per row")
            sql, field_params = "%s", [field.get_db_prep_save(field.get_default(), connection)]
        else:
            sql, field_params = "NULL", []
        columns.append(connection.ops.quote_name(field.column))
        values.append(sql)
        params += field_params
    table = connection.ops.quote_name(model._meta.db_table)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params + source_params)
        return max(int(cursor.rowcount), 0)


def _links_issue_here(*, ballot: Ballot) -> list[tuple[str, str, str]]:
    """For the demo only: make every voter's token now and mark their credential sent;
    (name, email, token) of each voter, by roll entry."""
    credentials = list(
        Credential.objects.filter(ballot=ballot)
        .order_by("roll_entry_id")
        .values_list("pk", "roll_entry__person__name", "roll_entry__person__email")
    )
    issued = []
    links = []
    for pk, name, email in credentials:
        token = secrets.token_urlsafe(32)
        issued.append(
            Credential(
                pk=pk,
                token_hash=selectors.token_hash(token),
                delivery=Delivery.SENT,
                links_sent=1,
                next_attempt_at=None,
            )
        )
        if email is not None:
            links.append((name, email, token))
    Credential.objects.bulk_update(
        issued, ["token_hash", "delivery", "links_sent", "next_attempt_at"], batch_size=2000
    )
    return links


def _open_ballot_locked(ballot: Ballot) -> Ballot:
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.OPEN:
        raise DomainError("The ballot is not open.")
    return ballot


@transaction.atomic(durable=True)
def ballot_reminders_send(*, actor: User | None, ballot: Ballot) -> int:
    """Email everyone on the roll who has not voted a reminder with a new link (the server
    does not know their old token; the new link replaces it), by the background tasks; audit
    the count, never who. Returns how many reminders are queued."""
    ballot = _open_ballot_locked(ballot)
    waiting = Credential.objects.filter(ballot=ballot, used=False).exclude(
        delivery=Delivery.SENDING
    )
    # One UPDATE and one planning task, whatever the roll's size (as at the opening).
    reminded = waiting.update(
        delivery=Delivery.QUEUED, attempts=0, next_attempt_at=timezone.now(), lease_until=None
    )
    if not reminded:
        raise DomainError("Everyone on the roll has voted, or is being sent a link right now.")
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.reminders",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"reminders with new links queued for {reminded} voters who had not voted",
    )
    delivery_plan_enqueue(ballot_id=ballot.pk, reason=Reason.REMINDER)
    return reminded


@transaction.atomic(durable=True)
def ballot_delivery_retry(*, actor: User | None, ballot: Ballot) -> int:
    """Queue again, at once and with a fresh count of attempts, every voting link whose
    delivery failed; audit the count. Returns it."""
    ballot = _open_ballot_locked(ballot)
    failed = Credential.objects.filter(ballot=ballot, used=False, delivery=Delivery.FAILED)
    retried = failed.update(
        delivery=Delivery.QUEUED, attempts=0, next_attempt_at=timezone.now(), lease_until=None
    )
    if not retried:
        raise DomainError("No voting link has failed to be delivered.")
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.delivery_retry",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"{retried} failed voting links queued again",
    )
    delivery_plan_enqueue(ballot_id=ballot.pk)
    return retried


def voting_link_resend_request(*, ballot: Ballot, email: str) -> None:
    """Queue a task that sends a new voting link to ``email`` if it is on the ballot's roll
    and has not voted. The request does the same work whatever the address, so neither its
    answer nor its time says who is on the roll; the task looks the address up."""
    from grassroots.web.ballots.tasks import voting_link_resend

    voting_link_resend.enqueue(ballot.pk, email.strip().lower())


def ranking_check(*, ballot: Ballot, ranking: Sequence[int]) -> list[int]:
    """The ranking as a list of option ids, or a ``DomainError`` saying what is wrong.

    An approval ballot's ticks come back in the ballot's own order of options, never in the
    order the voter's paper showed them: that order is drawn from the voter's credential
    (``ballots.paper``), so keeping it would let a database reader pair ballot and voter."""
    in_order = list(ballot.options.values_list("pk", flat=True))
    option_ids = set(in_order)
    ranking = list(ranking)
    if not ranking:
        raise DomainError("Choose at least one option.", field="ranking")
    if len(set(ranking)) != len(ranking):
        raise DomainError("An option appears more than once.", field="ranking")
    if not set(ranking) <= option_ids:
        raise DomainError("The ranking names an option not on this ballot.", field="ranking")
    if ballot.method == Method.YES_NO and len(ranking) != 1:
        raise DomainError("Choose yes or no.", field="ranking")
    if not ballot.is_ranked:
        ranking.sort(key=in_order.index)
    return ranking


@transaction.atomic(durable=True)
def ballot_cast(
    *, ranking: Sequence[int], credential_token: str = "", credential_hash: str = ""
) -> Receipt:
    """Cast a ballot once per credential, unlinked from the voter. The credential is named
    by its token (the emailed link) or by the token's hash (the voting page's short-lived
    cookie, ``views.vote``), never both.

    1. Lock the credential (``select_for_update``; on SQLite the IMMEDIATE transaction takes
       the write lock first), so concurrent submissions of one credential queue up here;
       then share-lock the ballot (``_ballot_shared``): other voters' casts do not wait for
       this one, but closing the ballot does.
    2. Refuse an unknown or used credential, or a ballot that is not open.
    3. Check the ranking.
    4. Mark the credential used and store the ballot with a fresh receipt code and the roll
       entry's weight, but no reference to the credential, the roll entry or the time.

    Both writes belong to this one transaction, with no savepoint: a savepoint would give
    the ballot its own transaction id, one above the credential's, a pattern that outlived
    a cancelled ballot. No audit row either: its time would date each ballot;
    ``ballot_close`` and ``ballot_cancel`` record how many were cast (docs/ballots.md).
    """
    if bool(credential_token) == bool(credential_hash):
        raise DomainError(UNKNOWN_CREDENTIAL)
    wanted = credential_hash or selectors.token_hash(credential_token)
    credential = (
        Credential.objects.select_for_update(of=("self",))
        .select_related("roll_entry")
        .filter(token_hash=wanted)
        .first()
    )
    if credential is None:
        raise DomainError(UNKNOWN_CREDENTIAL)
    if credential.used:
        raise DomainError(USED_CREDENTIAL)
    ballot = _ballot_shared(credential.ballot_id)
    now = timezone.now()
    if ballot.status != Status.OPEN or not ballot.opens_at <= now < ballot.closes_at:
        raise DomainError(NOT_OPEN)
    ranking = ranking_check(ballot=ballot, ranking=ranking)
    updated = Credential.objects.filter(pk=credential.pk, used=False).update(used=True)
    if updated != 1:  # belt and braces: the lock above already serialises us
        raise DomainError(USED_CREDENTIAL)
    try:
        if ballot.sealed:
            # Encrypted here and now; the ranking itself is never stored (docs/sealed-ballots.md).
            code = sealing.ballot_seal(
                ballot=ballot, ranking=ranking, weight=credential.roll_entry.weight
            )
        else:
            code = receipt_code()
            while CastBallot.objects.filter(ballot=ballot, receipt=code).exists():  # 1 in 32**12
                code = receipt_code()
            CastBallot.objects.create(
                ballot=ballot, ranking=ranking, weight=credential.roll_entry.weight, receipt=code
            )
    except IntegrityError as err:  # a simultaneous vote drew the same code: nothing is kept
        raise DomainError(RECEIPT_CLASH) from err
    voter = None
    if ballot.email_receipts and (person_id := credential.roll_entry.person_id) is not None:
        voter = User.objects.filter(pk=person_id, is_active=True).first()
    if voter is not None:
        address, name = voter.email, voter.name
        transaction.on_commit(
            lambda: _receipt_email_enqueue(ballot=ballot, name=name, email=address, code=code)
        )
    return Receipt(ballot_slug=ballot.slug, code=code)


def _receipt_email_enqueue(*, ballot: Ballot, name: str, email: str, code: str) -> None:
    """Queue the voter's receipt through the outbox, after the cast's commit. The key is
    random, so the outbox row names neither the roll entry nor the credential; the body (the
    code) is emptied once sent (docs/ballots.md, "Receipts by email")."""
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    result = ballot.site_url.rstrip("/") + reverse("ballots:detail", args=(ballot.slug,))
    body = (
        f'Hello {name},\n\nYour vote in {alliance}\'s ballot "{ballot.question}" is recorded.\n\n'
        f"Your receipt code: {code}\n\n"
        "Keep it. After the ballot closes every receipt code is published; find yours to "
        f"check your vote was counted:\n\n{result}\n\n"
        "The code does not show how you voted.\n"
    )
    email_enqueue(
        key=f"receipt:{uuid.uuid4().hex}",
        to=email,
        subject=f"Your receipt: {ballot.question}",
        body=body,
    )


def _cast_ballots_reshuffle(ballot: Ballot) -> int:
    """Rewrite the cast ballots in random order with new keys, and rewrite every used
    credential, so that neither the rows' physical order (SQLite rowid, PostgreSQL ctid) nor
    PostgreSQL's per-row transaction ids (``xmin``) can pair a credential with its ballot:
    afterwards every such row carries this one transaction's id. Returns how many ballots
    were cast. ``ballot_close`` and ``ballot_cancel`` both call it."""
    cast = list(CastBallot.objects.filter(ballot=ballot).values("ranking", "weight", "receipt"))
    random.SystemRandom().shuffle(cast)
    CastBallot.objects.filter(ballot=ballot).delete()
    CastBallot.objects.bulk_create(CastBallot(ballot=ballot, **row) for row in cast)
    sealed = list(SealedCast.objects.filter(ballot=ballot).values("ciphertexts", "receipt"))
    random.SystemRandom().shuffle(sealed)
    SealedCast.objects.filter(ballot=ballot).delete()
    SealedCast.objects.bulk_create(SealedCast(ballot=ballot, **row) for row in sealed)
    Credential.objects.filter(ballot=ballot, used=True).update(used=True)
    return len(cast) + len(sealed)


@transaction.atomic(durable=True)
def ballot_close(*, actor: User | None, ballot: Ballot) -> int:
    """Close an open ballot: no more votes; reshuffle the stored ballots; audit.
    Returns how many ballots were cast."""
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.OPEN:
        raise DomainError("Only an open ballot can close.")
    cast = _cast_ballots_reshuffle(ballot)
    ballot.status = Status.CLOSED
    now = timezone.now()
    ballot.closes_at = min(ballot.closes_at, now)
    ballot.save(update_fields=["status", "closes_at"])
    digest = sealing.board_freeze(ballot=ballot) if ballot.sealed else ""
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.close",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"{cast} ballots cast" + (f"; board frozen, digest {digest}" if digest else ""),
    )
    if ballot.sealed:
        sealing.server_mix_enqueue(ballot_id=ballot.pk)
    return cast


@transaction.atomic(durable=True)
def ballot_extend(*, actor: User | None, ballot: Ballot, closes_at: datetime.datetime) -> None:
    """Move a draft or open ballot's close later; audit."""
    ballot = _ballot_locked(ballot)
    if ballot.status not in {Status.DRAFT, Status.OPEN}:
        raise DomainError("Only a draft or open ballot can be extended.")
    if closes_at <= ballot.closes_at:
        raise DomainError("The new close must be later than the current one.", field="closes_at")
    old = ballot.closes_at
    ballot.closes_at = closes_at
    ballot.save(update_fields=["closes_at"])
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.extend",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"closes {old.isoformat()} -> {closes_at.isoformat()}",
    )


@transaction.atomic(durable=True)
def ballot_cancel(*, actor: User | None, ballot: Ballot) -> int:
    """Cancel a draft or open ballot; any cast ballots are kept but never counted, and are
    reshuffled as at a close, so a cancelled ballot keeps no more link to its voters than a
    closed one; audit with how many were cast. Returns that number."""
    ballot = _ballot_locked(ballot)
    if ballot.status not in {Status.DRAFT, Status.OPEN}:
        raise DomainError("Only a draft or open ballot can be cancelled.")
    cast = _cast_ballots_reshuffle(ballot)
    _trials_discard(ballot)
    ballot.status = Status.CANCELLED
    ballot.save(update_fields=["status"])
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.cancel",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"{cast} ballots cast, never to be counted",
    )
    return cast


def ballot_count(*, ballot: Ballot, rows: Sequence[tuple[list[int], int]]) -> dict[str, Any]:
    """Count ``(ranking, weight)`` rows with the engine (ranked methods) or tally them: the
    real cast ballots at publication, or a draft's test ballots for its TEST result."""
    if not ballot.is_ranked:
        return _tally(ballot, rows)
    profile = selectors.rows_profile(ballot=ballot, rows=rows)
    limits = {
        category: Limit(limit.get("min", 0), limit.get("max"))
        for category, limit in ballot.quotas.items()
    }
    try:
        result = count(profile, rule=selectors.ballot_rule(ballot=ballot), quotas=Quotas(limits))
    except CountError as err:
        raise DomainError(f"The count failed: {err}") from err
    return result.to_dict()


def _tally(ballot: Ballot, rows: Sequence[tuple[list[int], int]]) -> dict[str, Any]:
    """Approval and yes/no: the options by votes; the top ``seats`` win (ties noted)."""
    options = selectors.ballot_options(ballot=ballot)
    totals = dict.fromkeys((option.pk for option in options), 0)
    valid = 0
    for ranking, weight in rows:
        valid += weight
        for option_id in ranking:
            totals[option_id] += weight
    order = sorted(options, key=lambda option: -totals[option.pk])
    elected = [option.name for option in order[: ballot.seats]]
    notes = []
    if (
        len(order) > ballot.seats
        and totals[order[ballot.seats - 1].pk] == totals[order[ballot.seats].pk]
    ):
        notes.append("a tie at the last place: the returning officer decides by lot")
    return {
        "method": str(ballot.method),
        "seats": ballot.seats,
        "valid_ballots": valid,
        "totals": {option.name: totals[option.pk] for option in options},
        "elected": elected,
        "notes": notes,
    }


@transaction.atomic(durable=True)
def ballot_publish(*, actor: User | None, ballot: Ballot, site_url: str = "") -> dict[str, Any]:
    """Count a closed ballot with the engine (or tally it), store the result and publish it
    with every receipt code and the anonymised ballots; audit; after the commit, email the
    returning officer and the scrutineers together. Returns the result."""
    ballot = _ballot_locked(ballot)
    if ballot.status != Status.CLOSED:
        raise DomainError("Only a closed ballot can be counted and published.")
    if ballot.sealed:
        raise DomainError(SEALED_PUBLISH)
    rows = list(selectors.cast_ballot_list(ballot=ballot).values_list("ranking", "weight"))
    return result_publish(actor=actor, ballot=ballot, rows=rows, site_url=site_url)


SEALED_PUBLISH = (
    "A sealed ballot is counted from the trustees' decryption: once enough trustees have "
    "sent their decryption shares, count it from its page."
)


def result_publish(
    *,
    actor: User | None,
    ballot: Ballot,
    rows: Sequence[tuple[list[int], int]],
    site_url: str,
    summary: str = "",
) -> dict[str, Any]:
    """Count ``rows`` and publish the result, in the caller's transaction with ``ballot``
    locked: ``ballot_publish`` for plain ballots, ``sealed.sealed_count`` for the decrypted
    ballots of a sealed one."""
    stored = ballot_count(ballot=ballot, rows=rows)
    ballot.result = stored
    ballot.status = Status.PUBLISHED
    ballot.save(update_fields=["result", "status"])
    audit_record(
        actor_id=actor.pk if actor else None,
        action="ballot.publish",
        object_type="ballot",
        object_id=ballot.pk,
        summary=f"counted and published; elected {len(stored['elected'])}{summary}",
    )
    people = [(user.name, user.email) for user in selectors.result_recipients(ballot=ballot)]
    transaction.on_commit(lambda: _send_result(ballot=ballot, people=people, site_url=site_url))
    return stored


def _send_result(*, ballot: Ballot, people: Sequence[tuple[str, str]], site_url: str) -> None:
    """Tell the returning officer and every scrutineer that the result is published, in one
    go after the commit, so no one of them hears first. One message each: no scrutineer
    sees another's address."""
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    page = site_url.rstrip("/") + reverse("ballots:result", args=(ballot.slug,))
    elected = ", ".join((ballot.result or {}).get("elected", [])) or "nobody"
    for name, email in people:
        body = (
            f'Hello {name},\n\nThe result of {alliance}\'s ballot "{ballot.question}" is '
            f"published.\n\nElected: {elected}\n\nThe count sheet, every receipt code and the "
            f"anonymised ballots:\n\n{page}\n"
        )
        send_later(
            key=f"ballot-result:{ballot.pk}:{email}",
            subject=f"Result: {ballot.question}",
            body=body,
            to=email,
        )


SCRUTINEER_ANSWER = (
    "If that address belongs to an account on this site, its holder is now a scrutineer of "
    "this ballot; the list shows everyone who is."
)


@transaction.atomic(durable=True)
def ballot_scrutineer_add(
    *, actor: User | None, ballot: Ballot, email: str = "", person: User | None = None
) -> None:
    """Name a scrutineer: ``person`` (chosen from the representatives), or the active
    account with exactly ``email``. Nothing happens for an unknown address, and the caller
    answers the same either way (``SCRUTINEER_ANSWER``). Audited when someone is named."""
    ballot = _ballot_locked(ballot)
    if ballot.status in {Status.PUBLISHED, Status.CANCELLED}:
        raise DomainError("This ballot has ended: there is nothing left to scrutinise.")
    if person is None and email.strip():
        person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None or not person.is_active:
        return
    _, created = Scrutineer.objects.get_or_create(ballot=ballot, person=person)
    if created:
        audit_record(
            actor_id=actor.pk if actor else None,
            action="ballot.scrutineer_add",
            object_type="ballot",
            object_id=ballot.pk,
            summary=f"scrutineer named (user {person.pk})",
        )


@transaction.atomic(durable=True)
def ballot_scrutineer_remove(*, actor: User | None, ballot: Ballot, person_id: int) -> None:
    """Remove a scrutineer from a ballot; audited."""
    ballot = _ballot_locked(ballot)
    removed, _ = Scrutineer.objects.filter(ballot=ballot, person_id=person_id).delete()
    if removed:
        audit_record(
            actor_id=actor.pk if actor else None,
            action="ballot.scrutineer_remove",
            object_type="ballot",
            object_id=ballot.pk,
            summary=f"scrutineer removed (user {person_id})",
        )
