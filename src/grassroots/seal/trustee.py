"""Trustees' keys: Pedersen's distributed key generation with Feldman's commitments.

Every trustee ``i`` of ``n`` picks a random polynomial ``f_i`` of degree ``k - 1``, publishes
``A_{i,l} = a_{i,l}·G`` for its coefficients (with a Schnorr proof that it knows ``a_{i,0}``)
and sends ``f_i(j)`` to each trustee ``j``, encrypted to ``j``'s X25519 key in a sealed box,
so the server that relays the deals sees no share. Trustee ``j`` checks each share against
its dealer's commitments (Feldman, 1987), sums them into ``x_j = Σ_i f_i(j)`` and confirms
with ``x_j·G`` and a proof that it knows ``x_j``. The election's key is ``Σ_i A_{i,0}``; any
``k`` shares reconstruct its secret by interpolation, and nobody ever holds it (Pedersen,
1991; docs/sealed-ballots.md for the caveat of Gennaro, Jarecki, Krawczyk and Rabin).

The steps, each a file a trustee's ``grassroots trustee`` command reads and writes:
``trustee_keys_make`` → ``deal_make`` → ``deals_check`` (the confirmation); anyone can run
``deal_check_public``, ``confirmation_check``, ``election_public_key`` and
``verification_key`` on the public files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from grassroots.seal import hashing
from grassroots.seal.context import ElectionContext
from grassroots.seal.group import (
    ORDER,
    GroupError,
    Point,
    base_mul,
    multi_mul,
    point_sum,
    random_scalar,
    scalar_from_hex,
    scalar_hex,
)
from grassroots.seal.proofs import Proof, ScalarSource, schnorr_holds, schnorr_prove

BOX_KEY_BYTES = 32
DEAL_DOMAIN = "grassroots-deal"
CONFIRMATION_DOMAIN = "grassroots-confirmation"


class TrusteeError(ValueError):
    """A trustee's file or step is wrong; the message says which field or which trustee."""


class BadShareError(TrusteeError):
    """A dealer's share does not match its commitments (or cannot be opened)."""

    def __init__(self, dealer: int, message: str) -> None:
        super().__init__(f"the share from trustee {dealer}: {message}")
        self.dealer = dealer


def _need(data: Any, what: str, names: Sequence[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TrusteeError(f"{what}: expected a JSON object")
    for name in names:
        if name not in data:
            raise TrusteeError(f"{what}: the field {name!r} is missing")
    return data


def _whole(data: dict[str, Any], name: str, what: str) -> int:
    value = data[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise TrusteeError(f"{what}: {name} is not a whole number")
    return value


def _text(data: dict[str, Any], name: str, what: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise TrusteeError(f"{what}: {name} is not a string")
    return value


def _hex_bytes(text: Any, what: str, size: int | None = None) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except (TypeError, ValueError) as err:
        raise TrusteeError(f"{what}: not hexadecimal") from err
    if size is not None and len(raw) != size:
        raise TrusteeError(f"{what}: expected {size} bytes, got {len(raw)}")
    return raw


def _point(text: Any, what: str) -> Point:
    try:
        return Point.from_hex(text)
    except GroupError as err:
        raise TrusteeError(f"{what}: {err}") from err


def _scalar(text: Any, what: str) -> int:
    try:
        return scalar_from_hex(text)
    except GroupError as err:
        raise TrusteeError(f"{what}: {err}") from err


def _proof(data: Any, what: str) -> Proof:
    try:
        return Proof.from_json(data)
    except GroupError as err:
        raise TrusteeError(f"{what}: {err}") from err


# -- 1. keys --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrusteePublic:
    """What a trustee publishes first: their place and the key their shares are sealed to."""

    index: int
    box_public_key: bytes

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "box_public_key": self.box_public_key.hex()}

    @classmethod
    def from_json(cls, data: Any) -> TrusteePublic:
        data = _need(data, "trustee", ("index", "box_public_key"))
        index = _whole(data, "index", "trustee")
        key = _hex_bytes(data["box_public_key"], f"trustee {index}: box_public_key", BOX_KEY_BYTES)
        return cls(index, key)


@dataclass(slots=True)
class TrusteeSecret:
    """The file a trustee keeps on their own machine: their box key and, once the deals
    are checked, their share ``x_j`` of the election's secret key."""

    election_id: str
    index: int
    box_secret_key: bytes
    share: int | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"TrusteeSecret({self.election_id!r}, {self.index})"

    def public(self) -> TrusteePublic:
        key = bytes(PrivateKey(self.box_secret_key).public_key)
        return TrusteePublic(self.index, key)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "grassroots-trustee-secret",
            "election_id": self.election_id,
            "index": self.index,
            "box_secret_key": self.box_secret_key.hex(),
            "share": None if self.share is None else scalar_hex(self.share),
        }

    @classmethod
    def from_json(cls, data: Any) -> TrusteeSecret:
        what = "trustee secret"
        data = _need(data, what, ("election_id", "index", "box_secret_key"))
        if data.get("kind", "grassroots-trustee-secret") != "grassroots-trustee-secret":
            raise TrusteeError(f"{what}: this file is a {data['kind']!r}, not a trustee's secret")
        share = data.get("share")
        return cls(
            election_id=_text(data, "election_id", what),
            index=_whole(data, "index", what),
            box_secret_key=_hex_bytes(data["box_secret_key"], f"{what}: box_secret_key", 32),
            share=None if share is None else _scalar(share, f"{what}: share"),
        )


def trustee_keys_make(
    election_id: str, index: int, *, box_secret_key: bytes | None = None
) -> tuple[TrusteeSecret, TrusteePublic]:
    """A fresh X25519 box key pair for trustee ``index`` (1-based) of ``election_id``.

    ``box_secret_key`` is for test vectors only; otherwise the key comes from the
    operating system's randomness.
    """
    if not election_id:
        raise TrusteeError("election_id: must not be empty")
    if index < 1:
        raise TrusteeError(f"index: trustees are numbered from 1, not {index}")
    key = PrivateKey.generate() if box_secret_key is None else PrivateKey(box_secret_key)
    secret = TrusteeSecret(election_id, index, bytes(key))
    return secret, secret.public()


# -- 2. the setup and the deals -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setup:
    """The election, its threshold ``k`` and its ``n`` trustees' public keys (numbered 1..n)."""

    election_id: str
    threshold: int
    trustees: tuple[TrusteePublic, ...]

    def __post_init__(self) -> None:
        if not self.election_id:
            raise TrusteeError("setup: election_id must not be empty")
        indices = [trustee.index for trustee in self.trustees]
        if indices != list(range(1, len(indices) + 1)):
            raise TrusteeError(
                f"setup: trustees must be numbered 1..{len(indices)} in order, got {indices}"
            )
        if not 1 <= self.threshold <= len(indices):
            raise TrusteeError(
                f"setup: threshold {self.threshold} is not between 1 and the "
                f"{len(indices)} trustees"
            )
        keys = [trustee.box_public_key for trustee in self.trustees]
        for trustee in self.trustees:
            if keys.count(trustee.box_public_key) > 1:
                raise TrusteeError(f"setup: trustee {trustee.index}'s box key is used twice")

    @property
    def trustee_count(self) -> int:
        return len(self.trustees)

    def trustee(self, index: int) -> TrusteePublic:
        if not 1 <= index <= len(self.trustees):
            raise TrusteeError(f"there is no trustee {index} (trustees 1..{len(self.trustees)})")
        return self.trustees[index - 1]

    def digest(self) -> bytes:
        return hashing.digest(
            "grassroots-setup",
            self.election_id,
            self.threshold,
            [[trustee.index, trustee.box_public_key] for trustee in self.trustees],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "election_id": self.election_id,
            "threshold": self.threshold,
            "trustees": [trustee.to_json() for trustee in self.trustees],
        }

    @classmethod
    def from_json(cls, data: Any) -> Setup:
        data = _need(data, "setup", ("election_id", "threshold", "trustees"))
        if not isinstance(data["trustees"], list):
            raise TrusteeError("setup: trustees is not a list")
        return cls(
            election_id=_text(data, "election_id", "setup"),
            threshold=_whole(data, "threshold", "setup"),
            trustees=tuple(TrusteePublic.from_json(item) for item in data["trustees"]),
        )


@dataclass(frozen=True, slots=True)
class Deal:
    """One dealer's public commitments ``A_0..A_{k-1}``, proof of knowing ``a_0``, and the
    shares ``f(j)`` sealed to each recipient ``j`` (``shares[j - 1]``)."""

    dealer: int
    commitments: tuple[Point, ...]
    proof: Proof
    shares: tuple[bytes, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "dealer": self.dealer,
            "commitments": [point.hex() for point in self.commitments],
            "proof": self.proof.to_json(),
            "shares": [
                {"recipient": recipient, "sealed": sealed.hex()}
                for recipient, sealed in enumerate(self.shares, start=1)
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> Deal:
        data = _need(data, "deal", ("dealer", "commitments", "proof", "shares"))
        dealer = _whole(data, "dealer", "deal")
        what = f"deal of trustee {dealer}"
        if not isinstance(data["commitments"], list) or not data["commitments"]:
            raise TrusteeError(f"{what}: commitments is not a non-empty list")
        commitments = tuple(
            _point(text, f"{what}: commitment {position}")
            for position, text in enumerate(data["commitments"])
        )
        if not isinstance(data["shares"], list):
            raise TrusteeError(f"{what}: shares is not a list")
        shares = []
        for position, raw in enumerate(data["shares"], start=1):
            item = _need(raw, f"{what}: share {position}", ("recipient", "sealed"))
            if item["recipient"] != position:
                raise TrusteeError(
                    f"{what}: share {position} is addressed to {item['recipient']!r}; "
                    "shares are listed for recipients 1..n in order"
                )
            shares.append(_hex_bytes(item["sealed"], f"{what}: share for trustee {position}"))
        return cls(dealer, commitments, _proof(data["proof"], f"{what}: proof"), tuple(shares))


def deal_statement(
    setup: Setup, deal_dealer: int, commitments: Sequence[Point], shares: Sequence[bytes]
) -> list[hashing.Hashable]:
    return [setup.digest(), deal_dealer, list(commitments), list(shares)]


def _share_plaintext(election_id: str, dealer: int, recipient: int, value: int) -> bytes:
    return json.dumps(
        {
            "election_id": election_id,
            "dealer": dealer,
            "recipient": recipient,
            "share": scalar_hex(value),
        },
        sort_keys=True,
    ).encode()


def _evaluate(coefficients: Sequence[int], at: int) -> int:
    value = 0
    for coefficient in reversed(coefficients):
        value = (value * at + coefficient) % ORDER
    return value


def _commitments_at(commitments: Sequence[Point], at: int) -> Point:
    """``Σ_l A_l · at^l``: the public image of the dealt polynomial at ``at``."""
    return multi_mul((point, pow(at, power, ORDER)) for power, point in enumerate(commitments))


def _secret_check(secret: TrusteeSecret, setup: Setup) -> None:
    if secret.election_id != setup.election_id:
        raise TrusteeError(
            f"this secret file is for election {secret.election_id!r}, "
            f"the setup for {setup.election_id!r}"
        )
    mine = setup.trustee(secret.index)
    if mine.box_public_key != secret.public().box_public_key:
        raise TrusteeError(
            f"this secret file's box key is not the one the setup lists for trustee {secret.index}"
        )


def deal_make(
    secret: TrusteeSecret, setup: Setup, *, scalars: ScalarSource = random_scalar
) -> Deal:
    """This trustee's deal: a random polynomial of degree ``k - 1``, its commitments, a proof
    of knowing its constant term, and its value at each trustee sealed to them (to this
    trustee too). ``scalars`` is for test vectors only."""
    _secret_check(secret, setup)
    coefficients = [scalars() % ORDER for _ in range(setup.threshold)]
    commitments = tuple(base_mul(coefficient) for coefficient in coefficients)
    shares = tuple(
        SealedBox(PublicKey(trustee.box_public_key)).encrypt(
            _share_plaintext(
                setup.election_id,
                secret.index,
                trustee.index,
                _evaluate(coefficients, trustee.index),
            )
        )
        for trustee in setup.trustees
    )
    proof = schnorr_prove(
        coefficients[0],
        commitments[0],
        DEAL_DOMAIN,
        deal_statement(setup, secret.index, commitments, shares),
        scalars=scalars,
    )
    return Deal(secret.index, commitments, proof, shares)


def deal_check_public(setup: Setup, deal: Deal) -> None:
    """Check what anyone can: the dealer is a trustee, ``k`` commitments, one sealed share
    per trustee, and the proof of knowing ``a_0`` over the whole deal and setup."""
    what = f"deal of trustee {deal.dealer}"
    setup.trustee(deal.dealer)
    if len(deal.commitments) != setup.threshold:
        raise TrusteeError(
            f"{what}: {len(deal.commitments)} commitments for a threshold of {setup.threshold}"
        )
    if len(deal.shares) != setup.trustee_count:
        raise TrusteeError(
            f"{what}: {len(deal.shares)} sealed shares for {setup.trustee_count} trustees"
        )
    if deal.commitments[0].is_identity():
        raise TrusteeError(f"{what}: the constant commitment is the neutral element")
    statement = deal_statement(setup, deal.dealer, deal.commitments, deal.shares)
    if not schnorr_holds(deal.proof, deal.commitments[0], DEAL_DOMAIN, statement):
        raise TrusteeError(f"{what}: the proof of knowledge of its secret does not hold")


def _deals_in_order(setup: Setup, deals: Sequence[Deal]) -> list[Deal]:
    by_dealer: dict[int, Deal] = {}
    for deal in deals:
        if deal.dealer in by_dealer:
            raise TrusteeError(f"two deals from trustee {deal.dealer}")
        by_dealer[deal.dealer] = deal
    missing = [t.index for t in setup.trustees if t.index not in by_dealer]
    if missing:
        raise TrusteeError(f"no deal from trustee(s) {', '.join(map(str, missing))}")
    extra = sorted(set(by_dealer) - {t.index for t in setup.trustees})
    if extra:
        raise TrusteeError(f"deal from trustee {extra[0]}, who is not in the setup")
    return [by_dealer[t.index] for t in setup.trustees]


def deals_digest(deals: Sequence[Deal]) -> bytes:
    """The digest of the deals' public commitments, in dealer order, that confirmations name."""
    ordered = sorted(deals, key=lambda deal: deal.dealer)
    return hashing.digest(
        "grassroots-deals", [[deal.dealer, list(deal.commitments)] for deal in ordered]
    )


# -- 3. confirmations -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Confirmation:
    """Trustee ``index`` checked every deal: their verification key ``x_j·G`` and a proof of
    knowing ``x_j``, over the setup and the deals."""

    index: int
    verification_key: Point
    proof: Proof

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "verification_key": self.verification_key.hex(),
            "proof": self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> Confirmation:
        data = _need(data, "confirmation", ("index", "verification_key", "proof"))
        index = _whole(data, "index", "confirmation")
        what = f"confirmation of trustee {index}"
        return cls(
            index,
            _point(data["verification_key"], f"{what}: verification_key"),
            _proof(data["proof"], f"{what}: proof"),
        )


def _confirmation_statement(
    setup: Setup, deals: Sequence[Deal], index: int
) -> list[hashing.Hashable]:
    return [setup.digest(), deals_digest(deals), index]


def _share_open(secret: TrusteeSecret, setup: Setup, deal: Deal) -> int:
    box = SealedBox(PrivateKey(secret.box_secret_key))
    try:
        plaintext = box.decrypt(deal.shares[secret.index - 1])
    except CryptoError as err:
        raise BadShareError(deal.dealer, "it cannot be opened with this trustee's key") from err
    try:
        data = json.loads(plaintext)
        value = scalar_from_hex(data["share"])
        addressed = (data["election_id"], data["dealer"], data["recipient"])
    except (ValueError, KeyError, TypeError, GroupError) as err:
        raise BadShareError(deal.dealer, "its content is not a share") from err
    if addressed != (setup.election_id, deal.dealer, secret.index):
        raise BadShareError(
            deal.dealer, f"it is addressed to {addressed}, not to this trustee of this election"
        )
    return value


def deals_check(
    secret: TrusteeSecret,
    setup: Setup,
    deals: Sequence[Deal],
    *,
    scalars: ScalarSource = random_scalar,
) -> Confirmation:
    """Open this trustee's share of every deal, check each against its dealer's commitments
    (Feldman), sum them into ``x_j`` (kept in ``secret.share``: save the secret file after)
    and confirm with ``x_j·G`` and a proof of knowing ``x_j``.

    Raises:
        BadShareError: naming the dealer whose share is wrong.
        TrusteeError: a deal is missing, doubled or fails its public check.
    """
    _secret_check(secret, setup)
    ordered = _deals_in_order(setup, deals)
    total = 0
    for deal in ordered:
        deal_check_public(setup, deal)
        value = _share_open(secret, setup, deal)
        if base_mul(value) != _commitments_at(deal.commitments, secret.index):
            raise BadShareError(deal.dealer, "it does not match the dealer's commitments")
        total = (total + value) % ORDER
    key = base_mul(total)
    proof = schnorr_prove(
        total,
        key,
        CONFIRMATION_DOMAIN,
        _confirmation_statement(setup, ordered, secret.index),
        scalars=scalars,
    )
    secret.share = total
    return Confirmation(secret.index, key, proof)


def election_public_key(deals: Sequence[Deal]) -> Point:
    """The election's key: the sum of every dealer's constant commitment."""
    if not deals:
        raise TrusteeError("no deals: the election has no key yet")
    return point_sum(deal.commitments[0] for deal in deals)


def verification_key(deals: Sequence[Deal], index: int) -> Point:
    """Trustee ``index``'s verification key ``x_j·G``, from the public commitments alone."""
    return point_sum(_commitments_at(deal.commitments, index) for deal in deals)


def confirmation_check(setup: Setup, deals: Sequence[Deal], confirmation: Confirmation) -> None:
    """Check a confirmation: its key is the one the deals give that trustee, and its proof
    holds over the setup, the deals and the trustee's index."""
    setup.trustee(confirmation.index)
    ordered = _deals_in_order(setup, deals)
    expected = verification_key(ordered, confirmation.index)
    what = f"confirmation of trustee {confirmation.index}"
    if confirmation.verification_key != expected:
        raise TrusteeError(f"{what}: the verification key is not the one the deals give")
    statement = _confirmation_statement(setup, ordered, confirmation.index)
    if not schnorr_holds(confirmation.proof, expected, CONFIRMATION_DOMAIN, statement):
        raise TrusteeError(f"{what}: the proof of knowledge of the share does not hold")


def context_make(
    setup: Setup,
    deals: Sequence[Deal],
    confirmations: Sequence[Confirmation],
    width: int,
) -> ElectionContext:
    """The election's context once every deal and confirmation has been checked."""
    ordered = _deals_in_order(setup, deals)
    for deal in ordered:
        deal_check_public(setup, deal)
    confirmed = {confirmation.index for confirmation in confirmations}
    missing = [t.index for t in setup.trustees if t.index not in confirmed]
    if missing:
        raise TrusteeError(f"no confirmation from trustee(s) {', '.join(map(str, missing))}")
    for confirmation in confirmations:
        confirmation_check(setup, ordered, confirmation)
    return ElectionContext(
        election_id=setup.election_id,
        threshold=setup.threshold,
        trustee_count=setup.trustee_count,
        width=width,
        public_key=election_public_key(ordered),
        verification_keys=tuple(verification_key(ordered, t.index) for t in setup.trustees),
    )
