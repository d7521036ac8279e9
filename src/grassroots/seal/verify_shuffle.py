"""Check a mixer's proof of shuffle from public data alone.

Written apart from the prover (``seal.shuffle``), from the same source: CheckShuffleProof in
Haenni, Locher, Koenig and Dubuis, "Pseudo-code algorithms for verifiable re-encryption
mix-nets" (FC 2017 workshops), the Terelius–Wikström proof, written additively and for
ballots of several ciphertexts (docs/sealed-ballots.md, "Mixing: the proof of shuffle").
It shares only the group, the hashing and the ciphertexts with the prover; the challenges
are recomputed here from the whole statement, never taken from the proof.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from grassroots.seal import hashing
from grassroots.seal.context import ElectionContext
from grassroots.seal.elgamal import Ciphertext, SealedBallot
from grassroots.seal.group import (
    ORDER,
    GroupError,
    Point,
    base_mul,
    independent_generators,
    point_sum,
    scalar_from_hex,
)

SCHEME = "terelius-wikstrom-haenni-2017"


class VerificationError(ValueError):
    """A published proof does not hold; the message says which check and where."""


class _Proof:
    """The proof's fields, read and checked for form (not yet for truth)."""

    def __init__(self, data: Any, count: int, width: int) -> None:
        if not isinstance(data, dict):
            raise VerificationError("shuffle proof: not a JSON object")
        expected = {
            "scheme",
            "permutation_commitment",
            "commitment_chain",
            "t1",
            "t2",
            "t3",
            "t4",
            "t_hat",
            "s1",
            "s2",
            "s3",
            "s4",
            "s_hat",
            "s_prime",
        }
        if set(data) != expected:
            wrong = sorted(expected - set(data)) + sorted(set(data) - expected)
            raise VerificationError(
                f"shuffle proof: missing or unknown field(s): {', '.join(wrong)}"
            )
        if data["scheme"] != SCHEME:
            raise VerificationError(f"shuffle proof field scheme is not {SCHEME!r}")
        self.data = data
        self.c = self.point_list("permutation_commitment", count)
        self.chain = self.point_list("commitment_chain", count)
        self.t1 = self.point("t1", data["t1"])
        self.t2 = self.point("t2", data["t2"])
        self.t3 = self.point("t3", data["t3"])
        self.t4 = [self.pair(f"t4[{k}]", item) for k, item in enumerate(self.items("t4", width))]
        self.t_hat = self.point_list("t_hat", count)
        self.s1 = self.scalar("s1", data["s1"])
        self.s2 = self.scalar("s2", data["s2"])
        self.s3 = self.scalar("s3", data["s3"])
        self.s4 = self.scalar_list("s4", width)
        self.s_hat = self.scalar_list("s_hat", count)
        self.s_prime = self.scalar_list("s_prime", count)

    def items(self, name: str, length: int) -> list[Any]:
        value = self.data[name]
        if not isinstance(value, list) or len(value) != length:
            raise VerificationError(f"shuffle proof field {name}: not a list of {length}")
        return value

    @staticmethod
    def point(where: str, text: Any) -> Point:
        try:
            return Point.from_hex(text)
        except GroupError as err:
            raise VerificationError(f"shuffle proof field {where}: {err}") from err

    @staticmethod
    def scalar(where: str, text: Any) -> int:
        try:
            return scalar_from_hex(text)
        except GroupError as err:
            raise VerificationError(f"shuffle proof field {where}: {err}") from err

    @staticmethod
    def pair(where: str, item: Any) -> Ciphertext:
        try:
            return Ciphertext.from_json(item)
        except GroupError as err:
            raise VerificationError(f"shuffle proof field {where}: {err}") from err

    def point_list(self, name: str, length: int) -> list[Point]:
        return [self.point(f"{name}[{i}]", x) for i, x in enumerate(self.items(name, length))]

    def scalar_list(self, name: str, length: int) -> list[int]:
        return [self.scalar(f"{name}[{i}]", x) for i, x in enumerate(self.items(name, length))]


def _weighted(bases: Sequence[Point], weights: Sequence[int]) -> Point:
    return point_sum([base * weight for base, weight in zip(bases, weights, strict=True)])


def shuffle_check(
    context: ElectionContext,
    inputs: Sequence[SealedBallot],
    outputs: Sequence[SealedBallot],
    proof_json: dict[str, Any],
    mixer: str,
) -> None:
    """Check that ``outputs`` is ``inputs`` re-encrypted and permuted, by ``proof_json``.

    Raises ``VerificationError`` naming the first check that fails (and the index when a
    check is about one ballot); returns nothing when the proof holds.
    """
    count = len(inputs)
    if count == 0:
        raise VerificationError(f"shuffle by {mixer}: the input list is empty")
    if len(outputs) != count:
        raise VerificationError(
            f"shuffle by {mixer}: {len(outputs)} output ballots for {count} input ballots"
        )
    width = context.width
    for side, ballots in (("input", inputs), ("output", outputs)):
        for index, ballot in enumerate(ballots):
            if len(ballot) != width:
                raise VerificationError(
                    f"shuffle by {mixer}: {side} ballot {index} has {len(ballot)} ciphertexts, "
                    f"not {width}"
                )
    proof = _Proof(proof_json, count, width)

    fingerprint = context.fingerprint()
    public_key = context.public_key
    label = fingerprint.hex() + "|shuffle"
    h = independent_generators(label, count)
    chain_base = independent_generators(label + "-h", 1)[0]

    # The challenges, from the whole statement (and, for c, every commitment as well).
    statement = hashing.digest(
        "grassroots-shuffle-statement",
        fingerprint,
        mixer,
        public_key,
        [[[ct.a, ct.b] for ct in ballot] for ballot in inputs],
        [[[ct.a, ct.b] for ct in ballot] for ballot in outputs],
        proof.c,
    )
    u = [hashing.challenge("grassroots-shuffle-u", statement, j) for j in range(count)]
    c = hashing.challenge(
        "grassroots-shuffle-challenge",
        statement,
        proof.chain,
        proof.t1,
        proof.t2,
        proof.t3,
        [[pair.a, pair.b] for pair in proof.t4],
        proof.t_hat,
    )
    minus_c = ORDER - c

    def fail(equation: str, meaning: str) -> VerificationError:
        return VerificationError(
            f"shuffle by {mixer}: equation {equation} ({meaning}) fails for these inputs, "
            "outputs and election"
        )

    # t1 = s1·G − c·(Σ c_j − Σ h_i)
    c_bar = point_sum(proof.c) - point_sum(h)
    if proof.t1 != base_mul(proof.s1) + c_bar * minus_c:
        raise fail("t1", "the permutation commitment sums to the generators")

    # t2 = s2·G − c·(ĉ_N − (Π u_j)·h)
    u_product = 1
    for uj in u:
        u_product = u_product * uj % ORDER
    c_hat = proof.chain[-1] - chain_base * u_product
    if proof.t2 != base_mul(proof.s2) + c_hat * minus_c:
        raise fail("t2", "the commitment chain ends at the product of the challenges")

    # t3 = s3·G + Σ s'_i·h_i − c·Σ u_j·c_j
    c_tilde = _weighted(proof.c, u)
    if proof.t3 != base_mul(proof.s3) + _weighted(h, proof.s_prime) + c_tilde * minus_c:
        raise fail("t3", "the challenges are permuted as committed")

    # t4, per ciphertext k of a ballot:
    #   a: −s4_k·G  + Σ s'_i·a'_{i,k} − c·Σ u_j·a_{j,k}
    #   b: −s4_k·pk + Σ s'_i·b'_{i,k} − c·Σ u_j·b_{j,k}
    for k in range(width):
        a_in = _weighted([ballot[k].a for ballot in inputs], u)
        a_out = _weighted([ballot[k].a for ballot in outputs], proof.s_prime)
        if proof.t4[k].a != base_mul(ORDER - proof.s4[k]) + a_out + a_in * minus_c:
            raise fail(f"t4[{k}].a", f"ciphertext {k} of the outputs re-encrypts the inputs")
        b_in = _weighted([ballot[k].b for ballot in inputs], u)
        b_out = _weighted([ballot[k].b for ballot in outputs], proof.s_prime)
        if proof.t4[k].b != public_key * (ORDER - proof.s4[k]) + b_out + b_in * minus_c:
            raise fail(f"t4[{k}].b", f"ciphertext {k} of the outputs re-encrypts the inputs")

    # t̂_i = ŝ_i·G + s'_i·ĉ_{i-1} − c·ĉ_i, with ĉ_0 = h
    previous = chain_base
    for i in range(count):
        expected = base_mul(proof.s_hat[i]) + previous * proof.s_prime[i]
        if proof.t_hat[i] != expected + proof.chain[i] * minus_c:
            raise fail(f"t_hat[{i}]", f"link {i} of the commitment chain")
        previous = proof.chain[i]


__all__ = ["SCHEME", "VerificationError", "shuffle_check"]
