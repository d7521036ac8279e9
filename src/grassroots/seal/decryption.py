"""Threshold decryption: each trustee's partial decryption with Chaum–Pedersen proofs, and
the combination of any ``k`` of them by Lagrange interpolation at zero.

Trustee ``j`` publishes ``d = x_j·a`` for every ciphertext ``(a, b)`` of the final list, with
a proof that ``log_G(vk_j) = log_a(d)`` (Chaum and Pedersen, 1992). Its challenge hashes the
election's context, the digest of the list decrypted, the trustee, the ballot and chunk
index, ``vk_j``, ``a``, ``d`` and both commitments. With shares from a set ``S`` of ``k``
trustees, ``m = b - Σ_{j∈S} λ_j·d_j``, where ``λ_j = Π_{m∈S, m≠j} m / (m - j)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.seal.context import ElectionContext, ballots_digest
from grassroots.seal.elgamal import SealedBallot
from grassroots.seal.group import ORDER, GroupError, Point, base_mul, multi_mul, random_scalar
from grassroots.seal.hashing import Hashable
from grassroots.seal.proofs import (
    Proof,
    ScalarSource,
    chaum_pedersen_holds,
    chaum_pedersen_prove,
)
from grassroots.seal.trustee import TrusteeSecret

DECRYPTION_DOMAIN = "grassroots-decryption"


class DecryptionError(ValueError):
    """A decryption share is malformed or wrong (the message names the trustee and ballot)."""


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    """Trustee ``trustee``'s partial decryptions of the list with digest ``list_digest``:
    ``factors[i][c] = x_j·a`` for chunk ``c`` of ballot ``i``, each with its proof."""

    trustee: int
    list_digest: bytes
    factors: tuple[tuple[Point, ...], ...]
    proofs: tuple[tuple[Proof, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "list_digest": self.list_digest.hex(),
            "factors": [[point.hex() for point in row] for row in self.factors],
            "proofs": [[proof.to_json() for proof in row] for row in self.proofs],
        }

    @classmethod
    def from_json(cls, data: Any) -> DecryptionShare:
        if not isinstance(data, dict):
            raise DecryptionError("decryption share: expected a JSON object")
        for name in ("trustee", "list_digest", "factors", "proofs"):
            if name not in data:
                raise DecryptionError(f"decryption share: the field {name!r} is missing")
        trustee = data["trustee"]
        if not isinstance(trustee, int) or isinstance(trustee, bool):
            raise DecryptionError("decryption share: trustee is not a whole number")
        what = f"decryption share of trustee {trustee}"
        try:
            digest = bytes.fromhex(data["list_digest"])
        except (TypeError, ValueError) as err:
            raise DecryptionError(f"{what}: list_digest is not hexadecimal") from err
        factors, proofs = data["factors"], data["proofs"]
        if not isinstance(factors, list) or not isinstance(proofs, list):
            raise DecryptionError(f"{what}: factors and proofs are lists")
        if len(factors) != len(proofs):
            raise DecryptionError(
                f"{what}: {len(factors)} ballots of factors but {len(proofs)} of proofs"
            )
        factor_rows, proof_rows = [], []
        for index, (factor_row, proof_row) in enumerate(zip(factors, proofs, strict=True)):
            if not isinstance(factor_row, list) or not isinstance(proof_row, list):
                raise DecryptionError(f"{what}: ballot {index}: expected lists")
            if len(factor_row) != len(proof_row):
                raise DecryptionError(f"{what}: ballot {index}: as many proofs as factors")
            try:
                factor_rows.append(tuple(Point.from_hex(text) for text in factor_row))
                proof_rows.append(tuple(Proof.from_json(item) for item in proof_row))
            except GroupError as err:
                raise DecryptionError(f"{what}: ballot {index}: {err}") from err
        return cls(trustee, digest, tuple(factor_rows), tuple(proof_rows))


def _shape_check(context: ElectionContext, ballots: Sequence[SealedBallot]) -> None:
    for index, ballot in enumerate(ballots):
        if len(ballot) != context.width:
            raise DecryptionError(
                f"ballot {index}: {len(ballot)} ciphertexts, the election's width is "
                f"{context.width}"
            )


def decryption_share_make(
    secret: TrusteeSecret,
    context: ElectionContext,
    ballots: Sequence[SealedBallot],
    *,
    scalars: ScalarSource = random_scalar,
    progress: Callable[[int, int], None] | None = None,
) -> DecryptionShare:
    """This trustee's partial decryption of every ciphertext, each with its proof.

    Raises:
        DecryptionError: the secret file holds no share (run ``trustee confirm``) or one that
            is not this election's trustee's.
    """
    if secret.election_id != context.election_id:
        raise DecryptionError(
            f"this secret file is for election {secret.election_id!r}, not {context.election_id!r}"
        )
    if secret.share is None:
        raise DecryptionError(
            f"trustee {secret.index}'s secret file holds no share yet: check the deals first"
        )
    if not 1 <= secret.index <= context.trustee_count:
        raise DecryptionError(f"there is no trustee {secret.index} in this election")
    key = context.verification_keys[secret.index - 1]
    if base_mul(secret.share) != key:
        raise DecryptionError(
            f"trustee {secret.index}'s share does not match the election's verification key"
        )
    _shape_check(context, ballots)
    fingerprint = context.fingerprint()
    digest = ballots_digest(ballots)
    factors, proofs = [], []
    for index, ballot in enumerate(ballots):
        factor_row, proof_row = [], []
        for chunk, ciphertext in enumerate(ballot):
            statement: list[Hashable] = [fingerprint, digest, secret.index, index, chunk]
            factor, proof = chaum_pedersen_prove(
                secret.share, key, ciphertext.a, DECRYPTION_DOMAIN, statement, scalars=scalars
            )
            factor_row.append(factor)
            proof_row.append(proof)
        factors.append(tuple(factor_row))
        proofs.append(tuple(proof_row))
        if progress is not None:
            progress(index + 1, len(ballots))
    return DecryptionShare(secret.index, digest, tuple(factors), tuple(proofs))


def decryption_share_check(
    context: ElectionContext, ballots: Sequence[SealedBallot], share: DecryptionShare
) -> None:
    """Check every proof of a share against the list (the server does before combining).

    Raises:
        DecryptionError: naming the trustee and the first ballot and chunk that fail.
    """
    what = f"decryption share of trustee {share.trustee}"
    if not 1 <= share.trustee <= context.trustee_count:
        raise DecryptionError(f"{what}: there is no trustee {share.trustee}")
    digest = ballots_digest(ballots)
    if share.list_digest != digest:
        raise DecryptionError(f"{what}: it decrypts another list (its digest differs)")
    if len(share.factors) != len(ballots):
        raise DecryptionError(f"{what}: {len(share.factors)} ballots for a list of {len(ballots)}")
    key = context.verification_keys[share.trustee - 1]
    fingerprint = context.fingerprint()
    for index, ballot in enumerate(ballots):
        if len(share.factors[index]) != len(ballot):
            raise DecryptionError(f"{what}: ballot {index}: wrong number of factors")
        for chunk, ciphertext in enumerate(ballot):
            statement: list[Hashable] = [fingerprint, digest, share.trustee, index, chunk]
            if not chaum_pedersen_holds(
                share.proofs[index][chunk],
                key,
                ciphertext.a,
                share.factors[index][chunk],
                domain=DECRYPTION_DOMAIN,
                statement=statement,
            ):
                raise DecryptionError(
                    f"{what}: ballot {index}, chunk {chunk}: the proof of decryption does not hold"
                )


def lagrange_at_zero(indices: Sequence[int]) -> dict[int, int]:
    """The coefficients ``λ_j`` that give a polynomial's value at 0 from its values at
    ``indices``."""
    coefficients = {}
    for j in indices:
        numerator, denominator = 1, 1
        for m in indices:
            if m != j:
                numerator = numerator * m % ORDER
                denominator = denominator * (m - j) % ORDER
        coefficients[j] = numerator * pow(denominator, -1, ORDER) % ORDER
    return coefficients


def plaintexts_combine(
    context: ElectionContext,
    ballots: Sequence[SealedBallot],
    shares: Sequence[DecryptionShare],
) -> list[list[Point]]:
    """The plaintext points of every ballot from any ``k`` trustees' shares (the first ``k``
    by trustee number are used). Check the shares first (``decryption_share_check``): a
    wrong share gives wrong points here, not an error.

    Raises:
        DecryptionError: fewer than ``k`` distinct trustees, or shares of another list.
    """
    by_trustee: dict[int, DecryptionShare] = {}
    for share in shares:
        if share.trustee in by_trustee:
            raise DecryptionError(f"two decryption shares from trustee {share.trustee}")
        by_trustee[share.trustee] = share
    if len(by_trustee) < context.threshold:
        raise DecryptionError(
            f"{len(by_trustee)} trustees' shares; decrypting needs {context.threshold}"
        )
    _shape_check(context, ballots)
    digest = ballots_digest(ballots)
    chosen = sorted(by_trustee)[: context.threshold]
    for trustee in chosen:
        share = by_trustee[trustee]
        if share.list_digest != digest or len(share.factors) != len(ballots):
            raise DecryptionError(
                f"decryption share of trustee {trustee}: it decrypts another list"
            )
    weights = lagrange_at_zero(chosen)
    plaintexts = []
    for index, ballot in enumerate(ballots):
        row = []
        for chunk, ciphertext in enumerate(ballot):
            mask = multi_mul(
                (by_trustee[trustee].factors[index][chunk], weights[trustee]) for trustee in chosen
            )
            row.append(ciphertext.b - mask)
        plaintexts.append(row)
    return plaintexts
