"""Ballots: a question, its options, an electorate frozen into a voter roll when it opens, one
single-use credential per voter, and the cast ballots, which carry no link to the voter.

Every change goes through ``ballots.services`` (``ballot_create``, ``ballot_update``,
``ballot_open``, ``ballot_close``, ``ballot_extend``, ``ballot_cancel``, ``ballot_cast``,
``ballot_publish``, the test votes ``ballot_trial_*`` and ``ballot_scrutineer_*``),
which also write the audit log, except ``ballot_cast``: a dated row per cast would date each
ballot, so the close and the cancel record how many were cast.

Secrecy rests on what ``CastBallot`` does not hold: no foreign key to the person, the roll entry
or the credential; no time at all; a random UUID key, so nothing orders the cast ballots by
when they were cast. ``tests/web/test_ballots_secrecy.py`` checks the fields and the tables.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q

from grassroots.web.alliance.models import Organisation
from grassroots.web.people.models import User


class Method(models.TextChoices):
    STV = "stv", "Single transferable vote"
    IRV = "irv", "Instant runoff (one winner)"
    APPROVAL = "approval", "Approval"
    YES_NO = "yes_no", "Yes or no"


RANKED_METHODS = frozenset({Method.STV, Method.IRV})


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    # A large roll being frozen by the worker (``services.ballot_open``): no voting yet.
    OPENING = "opening", "Opening"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class Electorate(models.TextChoices):
    SUPPORTERS = "supporters", "All verified supporters"
    MEMBERS = "members", "Party members only"
    COMMITTEE = "committee", "The organising committee's representatives"
    ORGANISATIONS = "organisations", "Several organisations, each with a weight"


class Ballot(models.Model):
    """A question put to an electorate. Status changes go through the ``ballot_*`` services."""

    slug = models.SlugField(max_length=80, unique=True)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.STV)
    # The engine's rule for an STV count ("scottish", "ers97" or "meek"); IRV counts by "irv".
    rule = models.CharField(max_length=10, default="scottish")
    seats = models.PositiveSmallIntegerField(default=1)
    quotas = models.JSONField(
        default=dict, blank=True, help_text='Category limits, e.g. {"F": {"min": 4}}.'
    )
    electorate = models.CharField(
        max_length=13, choices=Electorate.choices, default=Electorate.SUPPORTERS
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    returning_officer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="ballots_run", null=True, blank=True
    )
    # Off by default: a receipt beside its ranking lets a voter prove their vote to whoever
    # pressures them (docs/ballots.md).
    publish_receipts_with_rankings = models.BooleanField(default=False)
    # Off by default: the email puts the voter's address beside their receipt code in the
    # mail server's hands (docs/ballots.md, "Receipts by email").
    email_receipts = models.BooleanField(default=False)
    # Sealed: each ranking is encrypted to the trustees' joint key as it arrives, shuffled by
    # a verifiable mix-net after the close and decrypted by a threshold of trustees
    # (docs/sealed-ballots.md); its state is in ``SealedElection``.
    sealed = models.BooleanField(default=False)
    # The site's address, recorded when the ballot opens: the voting links the worker emails
    # later (first delivery, retries, reminders, resent links) start with it.
    site_url = models.CharField(max_length=200, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-opens_at", "slug")
        constraints = (
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="ballots_ballot_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="ballots_ballot_seats_positive"),
        )

    def __str__(self) -> str:
        return self.slug

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def is_counted(self) -> bool:
        """Closed or published: cast ballots may be seen and counted, and never changed."""
        return self.status in {Status.CLOSED, Status.PUBLISHED}


class BallotOption(models.Model):
    """An option or candidate, with a category for quotas (e.g. "F")."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=150)
    category = models.CharField(max_length=30, blank=True)
    # A candidate's statement, shown under their name on the voting page.
    statement = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(fields=("ballot", "name"), name="ballots_option_name_unique"),
        )

    def __str__(self) -> str:
        return self.name


class BallotElectorateOrganisation(models.Model):
    """An organisation in a ballot of weighted organisations, with its share of the combined
    result: a positive whole number, e.g. 2 and 1 give two thirds and one third. ``ballot_open``
    turns the shares into each voter's integer weight (docs/ballots.md)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ballot_shares"
    )
    weight = models.PositiveIntegerField()

    class Meta:
        ordering = ("ballot", "organisation__name")
        constraints = (
            models.UniqueConstraint(
                fields=("ballot", "organisation"), name="ballots_electorate_organisation_once"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="ballots_electorate_organisation_weight_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.ballot}: {self.organisation} × {self.weight}"


class VoterRollEntry(models.Model):
    """A person entitled to vote in a ballot, frozen by ``ballot_open``.

    ``person`` is empty once that person erased their account (``ballots.erasure``): the entry
    stays, so the roll's size and the turnout shown stay true, but names nobody.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="roll")
    person = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="roll_entries"
    )
    # 64 bits: a joint ballot's weights are a least common multiple of member counts, which
    # passes 2**31 with six organisations of around 80 members (docs/ballots.md).
    weight = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name_plural = "voter roll entries"
        constraints = (
            models.UniqueConstraint(fields=("ballot", "person"), name="ballots_roll_once"),
        )

    def __str__(self) -> str:
        return f"{self.ballot} roll entry {self.pk}"


class Delivery(models.TextChoices):
    """Where a credential's email stands (``ballots.delivery``)."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Credential(models.Model):
    """A voter's single-use credential. Only the SHA-256 of the token is stored; the token
    is made by the task that emails it (``ballots.delivery``), exists only in that email and
    is never kept. Until its first delivery a credential has no hash; each new delivery (a
    retry, a reminder, a resent link) replaces the hash, so only the last link emailed works.
    ``used`` says the voter has voted, never how: nothing points from a cast ballot back here.

    The delivery fields change only when an email is sent, never at a cast; the times are
    emptied once the email is sent."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="credentials")
    roll_entry = models.OneToOneField(
        VoterRollEntry, on_delete=models.PROTECT, related_name="credential"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    used = models.BooleanField(default=False)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.QUEUED)
    # Attempts since the email was last queued; after MAIL_MAX_ATTEMPTS it stays failed until
    # the returning officer retries it.
    attempts = models.PositiveSmallIntegerField(default=0)
    # How many links were emailed: from the second on, the email says it replaces the earlier.
    links_sent = models.PositiveSmallIntegerField(default=0)
    # Queued or failed: when it may next be tried (empty: failed for good, or sent).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Sending: when another run may take it for abandoned and send a fresh link.
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=["ballot", "delivery"]),)

    def __str__(self) -> str:
        return f"{self.ballot} credential {self.pk}"


class CastBallotQuerySet(models.QuerySet["CastBallot"]):
    def update(self, **kwargs: Any) -> int:
        raise CastBallotImmutableError("a cast ballot cannot be changed")


class CastBallotImmutableError(Exception):
    """Something tried to change a cast ballot."""


class CastBallot(models.Model):
    """A cast ballot: the ranking (option ids, first preference first), its weight and the
    receipt code given to the voter. No link to the voter, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="cast_ballots")
    ranking = models.JSONField()
    weight = models.PositiveBigIntegerField(default=1)  # the roll entry's weight
    receipt = models.CharField(max_length=20)

    objects = CastBallotQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("ballot", "receipt"), name="ballots_receipt_unique"),
        )

    def __str__(self) -> str:
        return f"{self.ballot} receipt {self.receipt}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CastBallotImmutableError("a cast ballot cannot be changed")
        super().save(*args, **kwargs)


class Scrutineer(models.Model):
    """A supporter the returning officer named to watch a ballot: they see its management
    page read-only (turnout, audit trail) and are emailed the result with the officer.
    Named and removed through ``ballot_scrutineer_add`` and ``ballot_scrutineer_remove``."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scrutineers")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ballots_scrutinised")

    class Meta:
        ordering = ("ballot", "person__name")
        constraints = (
            models.UniqueConstraint(fields=("ballot", "person"), name="ballots_scrutineer_once"),
        )

    def __str__(self) -> str:
        return f"{self.ballot} scrutineer {self.person_id}"


class TrialCredential(models.Model):
    """A returning officer's test credential for a draft ballot ("Try the ballot"). Kept
    apart from ``Credential``: it is on no roll, counts in no turnout, and ``ballot_open``
    deletes it with every trial ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="trial_credentials")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.ballot} test credential {self.pk}"


class TrialBallot(models.Model):
    """A test ballot cast on a draft with a ``TrialCredential``: counted only as a result
    labelled TEST on the management page, never published, deleted at opening."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="trial_ballots")
    ranking = models.JSONField()
    receipt = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.ballot} test ballot"


class SealedStage(models.TextChoices):
    """Where a sealed ballot's cryptography stands (beside the ballot's own status)."""

    CEREMONY = "ceremony", "Trustees making the election key"
    VOTING = "voting", "Voting"
    MIXING = "mixing", "Mixing"
    DECRYPTING = "decrypting", "Decrypting"
    COUNTED = "counted", "Counted and published"


class SealedJob(models.TextChoices):
    """The slow work a sealed ballot's background task is doing, if any."""

    NONE = "", "Nothing"
    SERVER_MIX = "server_mix", "The server is mixing"
    MIX_CHECK = "mix_check", "Checking a trustee's mix"
    COUNT = "count", "Decrypting and counting"


class SealedElection(models.Model):
    """A sealed ballot's public cryptographic state: the threshold, the election's id (which
    every trustee's key file names), and from the opening the context (joint public key,
    verification keys, width); from the close the frozen board and its digest; at the
    count the bundle anyone can verify. Nothing secret: no share of the key reaches the
    server. Changed only through ``ballots.sealed`` and ``ballots.sealing``."""

    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="sealed_election")
    election_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    threshold = models.PositiveSmallIntegerField(default=2)
    stage = models.CharField(
        max_length=10, choices=SealedStage.choices, default=SealedStage.CEREMONY
    )
    width = models.PositiveSmallIntegerField(null=True, blank=True)
    context = models.JSONField(null=True, blank=True)
    board = models.JSONField(null=True, blank=True)
    board_digest = models.CharField(max_length=128, blank=True)
    job = models.CharField(
        max_length=10, choices=SealedJob.choices, default=SealedJob.NONE, blank=True
    )
    job_progress = models.PositiveSmallIntegerField(default=0)  # percent
    job_error = models.TextField(blank=True)
    bundle = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ballot} sealed election"


class Trustee(models.Model):
    """A trustee of a sealed ballot and the public files of each step they took: their box
    key (``public``), their deal, their confirmation, their decryption share. ``person`` is
    empty once that person erased their account: the public files stay, for the bundle."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="trustees")
    person = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="ballots_trusted"
    )
    index = models.PositiveSmallIntegerField()  # 1..n, the trustee's number in every file
    public = models.JSONField(null=True, blank=True)
    deal = models.JSONField(null=True, blank=True)
    confirmation = models.JSONField(null=True, blank=True)
    share = models.JSONField(null=True, blank=True)
    keys_at = models.DateTimeField(null=True, blank=True)
    dealt_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    mixed_at = models.DateTimeField(null=True, blank=True)
    decrypted_at = models.DateTimeField(null=True, blank=True)
    # Why the trustee's last upload checked in the background was refused, if it was.
    refusal = models.TextField(blank=True)

    class Meta:
        ordering = ("ballot", "index")
        constraints = (
            models.UniqueConstraint(fields=("ballot", "index"), name="ballots_trustee_index_once"),
            models.UniqueConstraint(fields=("ballot", "person"), name="ballots_trustee_once"),
            models.CheckConstraint(condition=Q(index__gte=1), name="ballots_trustee_index_from_1"),
        )

    def __str__(self) -> str:
        return f"{self.ballot} trustee {self.index}"


class Mix(models.Model):
    """One shuffle of a sealed ballot's list with its proof, in order: the server's first,
    then each trustee's who ran the step. ``order`` is empty while a trustee's large upload
    is being checked in the background; a refused one is deleted."""

    election = models.ForeignKey(SealedElection, on_delete=models.CASCADE, related_name="mixes")
    order = models.PositiveSmallIntegerField(null=True, blank=True)
    mixer = models.CharField(max_length=100)  # "server", or the name a trustee mixed under
    trustee = models.ForeignKey(
        Trustee, on_delete=models.SET_NULL, null=True, blank=True, related_name="mixes"
    )
    output = models.JSONField()
    proof = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("election", "order")
        verbose_name_plural = "mixes"
        constraints = (
            models.UniqueConstraint(fields=("election", "order"), name="ballots_mix_order_once"),
        )

    def __str__(self) -> str:
        return f"{self.election.ballot} mix {self.order} by {self.mixer}"


class SealedCastQuerySet(models.QuerySet["SealedCast"]):
    def update(self, **kwargs: Any) -> int:
        raise CastBallotImmutableError("a cast ballot cannot be changed")


class SealedCast(models.Model):
    """A sealed ballot's cast ballot: its ciphertexts (the ranking and weight encrypted to
    the election's key) and the receipt code, which is the start of the ciphertexts'
    fingerprint. As ``CastBallot``: no link to the voter, no time, a random key, never
    changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="sealed_casts")
    ciphertexts = models.JSONField()
    receipt = models.CharField(max_length=20)

    objects = SealedCastQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("ballot", "receipt"), name="ballots_sealed_receipt_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.ballot} sealed receipt {self.receipt}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CastBallotImmutableError("a cast ballot cannot be changed")
        super().save(*args, **kwargs)


class DecryptedBallotQuerySet(models.QuerySet["DecryptedBallot"]):
    def update(self, **kwargs: Any) -> int:
        raise CastBallotImmutableError("a decrypted ballot cannot be changed")


class DecryptedBallot(models.Model):
    """A sealed ballot's ballot as the trustees decrypted it from the last mix: a ranking
    (option ids) and weight, in the mix's order, with no receipt and no link to a cast."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="decrypted_ballots")
    ranking = models.JSONField()
    weight = models.PositiveBigIntegerField(default=1)

    objects = DecryptedBallotQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.ballot} decrypted ballot"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CastBallotImmutableError("a decrypted ballot cannot be changed")
        super().save(*args, **kwargs)
