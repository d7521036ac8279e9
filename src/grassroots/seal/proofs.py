"""The prover's zero-knowledge proofs: Schnorr's proof of knowledge of a discrete logarithm
and Chaum–Pedersen's proof that two logarithms are equal (Chaum and Pedersen, 1992).

Both are made non-interactive by Fiat–Shamir: the challenge is ``hashing.challenge`` over
the caller's whole statement (the election's context, the list, the indices, the public
values) and the commitments, never the commitments alone (Bernhard, Pereira and
Warinschi, 2012). A proof is stored as its challenge and response; the checker recomputes
the commitments from them and the challenge from the statement (``seal.verify`` does so on
its own, without this module).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.seal import hashing
from grassroots.seal.group import (
    ORDER,
    GroupError,
    Point,
    base_mul,
    random_scalar,
    scalar_from_hex,
    scalar_hex,
)

ScalarSource = Callable[[], int]


@dataclass(frozen=True, slots=True)
class Proof:
    """A Fiat–Shamir proof as its challenge ``c`` and response ``s = w + c·x``."""

    challenge: int
    response: int

    def to_json(self) -> dict[str, str]:
        return {"challenge": scalar_hex(self.challenge), "response": scalar_hex(self.response)}

    @classmethod
    def from_json(cls, data: Any) -> Proof:
        if not isinstance(data, dict) or set(data) != {"challenge", "response"}:
            raise GroupError('a proof is {"challenge": "<hex>", "response": "<hex>"}')
        return cls(scalar_from_hex(data["challenge"]), scalar_from_hex(data["response"]))


def schnorr_prove(
    secret: int,
    public: Point,
    domain: str,
    statement: Sequence[hashing.Hashable],
    *,
    scalars: ScalarSource = random_scalar,
) -> Proof:
    """Prove knowledge of ``secret`` with ``public = secret·G``; the challenge hashes
    ``statement``, ``public`` and the commitment."""
    nonce = scalars()
    commitment = base_mul(nonce)
    challenge = hashing.challenge(domain, *statement, public, commitment)
    return Proof(challenge, (nonce + challenge * secret) % ORDER)


def schnorr_holds(
    proof: Proof, public: Point, domain: str, statement: Sequence[hashing.Hashable]
) -> bool:
    commitment = base_mul(proof.response) - public * proof.challenge
    return proof.challenge == hashing.challenge(domain, *statement, public, commitment)


def chaum_pedersen_prove(
    secret: int,
    public: Point,
    base: Point,
    domain: str,
    statement: Sequence[hashing.Hashable],
    *,
    scalars: ScalarSource = random_scalar,
) -> tuple[Point, Proof]:
    """``(secret·base, proof)`` that ``log_G(public) = log_base(secret·base)`` where
    ``public = secret·G``; the challenge hashes ``statement``, ``public``, ``base``, the
    product and both commitments."""
    product = base * secret
    nonce = scalars()
    challenge = hashing.challenge(
        domain, *statement, public, base, product, base_mul(nonce), base * nonce
    )
    return product, Proof(challenge, (nonce + challenge * secret) % ORDER)


def chaum_pedersen_holds(
    proof: Proof,
    public: Point,
    base: Point,
    product: Point,
    *,
    domain: str,
    statement: Sequence[hashing.Hashable],
) -> bool:
    first = base_mul(proof.response) - public * proof.challenge
    second = base * proof.response - product * proof.challenge
    return proof.challenge == hashing.challenge(
        domain, *statement, public, base, product, first, second
    )
