"""A mixer's step: re-encrypt and shuffle the sealed ballots, and prove it was done honestly.

The proof is Terelius and Wikström's proof of a shuffle, following the pseudo-code of Haenni,
Locher, Koenig and Dubuis, "Pseudo-code algorithms for verifiable re-encryption mix-nets"
(FC 2017 workshops; GenShuffleProof), written additively and for ballots of ``width``
ciphertexts: one permutation for the whole list, each ciphertext re-encrypted with its own
randomness, so the ciphertext part of the proof has one commitment and one response per
component. docs/sealed-ballots.md ("Mixing: the proof of shuffle") gives the equations in the
names used here. The verifier, ``verify_shuffle``, is written apart and shares none of this
code.

Output ballot ``i`` is input ballot ``sources[i]`` re-encrypted; the proof shows that some
such permutation exists without saying which.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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
    random_scalar,
    scalar_from_hex,
    scalar_hex,
)

SCHEME = "terelius-wikstrom-haenni-2017"
_PROGRESS_STEP = 250


class Randomness(Protocol):
    """Where the prover's secrets come from: the operating system, except in the test
    vectors, which replay a fixed sequence."""

    def scalar(self) -> int: ...

    def below(self, bound: int) -> int: ...


class _SystemRandomness:
    def scalar(self) -> int:
        return random_scalar()

    def below(self, bound: int) -> int:
        return secrets.randbelow(bound)


@dataclass(frozen=True, slots=True)
class ShuffleProof:
    """The commitments (``t…``) and responses (``s…``) of the proof, with the permutation
    commitment and the commitment chain they speak about. Lists of length N are indexed
    like the output list; ``t4`` and ``s4`` have one entry per ciphertext of a ballot."""

    permutation_commitment: tuple[Point, ...]
    commitment_chain: tuple[Point, ...]
    t1: Point
    t2: Point
    t3: Point
    t4: tuple[Ciphertext, ...]
    t_hat: tuple[Point, ...]
    s1: int
    s2: int
    s3: int
    s4: tuple[int, ...]
    s_hat: tuple[int, ...]
    s_prime: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": SCHEME,
            "permutation_commitment": [point.hex() for point in self.permutation_commitment],
            "commitment_chain": [point.hex() for point in self.commitment_chain],
            "t1": self.t1.hex(),
            "t2": self.t2.hex(),
            "t3": self.t3.hex(),
            "t4": [pair.to_json() for pair in self.t4],
            "t_hat": [point.hex() for point in self.t_hat],
            "s1": scalar_hex(self.s1),
            "s2": scalar_hex(self.s2),
            "s3": scalar_hex(self.s3),
            "s4": [scalar_hex(s) for s in self.s4],
            "s_hat": [scalar_hex(s) for s in self.s_hat],
            "s_prime": [scalar_hex(s) for s in self.s_prime],
        }

    @classmethod
    def from_json(cls, data: Any) -> ShuffleProof:
        """Read a proof written by ``to_json``; ``GroupError`` or ``ValueError`` naming the
        field (and index) that is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a shuffle proof is a JSON object")
        missing = sorted(set(_FIELDS) - set(data))
        unknown = sorted(set(data) - set(_FIELDS))
        if missing or unknown:
            raise ValueError(
                "shuffle proof: "
                + "; ".join(
                    part
                    for part in (
                        f"missing field(s) {', '.join(missing)}" if missing else "",
                        f"unknown field(s) {', '.join(unknown)}" if unknown else "",
                    )
                    if part
                )
            )
        if data["scheme"] != SCHEME:
            raise ValueError(f"shuffle proof field scheme: expected {SCHEME!r}")
        proof = cls(
            permutation_commitment=tuple(_points(data, "permutation_commitment")),
            commitment_chain=tuple(_points(data, "commitment_chain")),
            t1=_point(data["t1"], "t1"),
            t2=_point(data["t2"], "t2"),
            t3=_point(data["t3"], "t3"),
            t4=tuple(_pairs(data, "t4")),
            t_hat=tuple(_points(data, "t_hat")),
            s1=_scalar(data["s1"], "s1"),
            s2=_scalar(data["s2"], "s2"),
            s3=_scalar(data["s3"], "s3"),
            s4=tuple(_scalars(data, "s4")),
            s_hat=tuple(_scalars(data, "s_hat")),
            s_prime=tuple(_scalars(data, "s_prime")),
        )
        count = len(proof.permutation_commitment)
        for name in ("commitment_chain", "t_hat", "s_hat", "s_prime"):
            if len(getattr(proof, name)) != count:
                raise ValueError(
                    f"shuffle proof field {name}: {len(getattr(proof, name))} entries, but the "
                    f"permutation commitment has {count}"
                )
        if len(proof.s4) != len(proof.t4) or not proof.t4:
            raise ValueError("shuffle proof fields t4 and s4: one entry per ciphertext of a ballot")
        return proof


_FIELDS = (
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
)


def _point(value: Any, where: str) -> Point:
    try:
        return Point.from_hex(value)
    except GroupError as err:
        raise GroupError(f"shuffle proof field {where}: {err}") from err


def _scalar(value: Any, where: str) -> int:
    try:
        return scalar_from_hex(value)
    except GroupError as err:
        raise GroupError(f"shuffle proof field {where}: {err}") from err


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data[name]
    if not isinstance(value, list):
        raise ValueError(f"shuffle proof field {name}: a list is expected")
    return value


def _points(data: dict[str, Any], name: str) -> list[Point]:
    return [_point(item, f"{name}[{index}]") for index, item in enumerate(_list(data, name))]


def _scalars(data: dict[str, Any], name: str) -> list[int]:
    return [_scalar(item, f"{name}[{index}]") for index, item in enumerate(_list(data, name))]


def _pairs(data: dict[str, Any], name: str) -> list[Ciphertext]:
    pairs = []
    for index, item in enumerate(_list(data, name)):
        try:
            pairs.append(Ciphertext.from_json(item))
        except GroupError as err:
            raise GroupError(f"shuffle proof field {name}[{index}]: {err}") from err
    return pairs


def shuffle_generators(fingerprint: bytes, count: int) -> tuple[list[Point], Point]:
    """The generators h_1..h_N of the permutation commitment and the chain's base h, which
    nobody knows a discrete logarithm of, drawn afresh for each election."""
    label = fingerprint.hex() + "|shuffle"
    return independent_generators(label, count), independent_generators(label + "-h", 1)[0]


def _statement_digest(
    context: ElectionContext,
    mixer: str,
    inputs: Sequence[SealedBallot],
    outputs: Sequence[SealedBallot],
    permutation_commitment: Sequence[Point],
) -> bytes:
    """The digest of the whole statement: the election, the mixer, both lists and the
    permutation commitment. Both kinds of challenge hash it."""
    return hashing.digest(
        "grassroots-shuffle-statement",
        context.fingerprint(),
        mixer,
        context.public_key,
        [[[c.a, c.b] for c in ballot] for ballot in inputs],
        [[[c.a, c.b] for c in ballot] for ballot in outputs],
        list(permutation_commitment),
    )


@dataclass(frozen=True, slots=True)
class _Commitments:
    """What the prover commits to before the challenge c."""

    chain: Sequence[Point]
    t1: Point
    t2: Point
    t3: Point
    t4: Sequence[Ciphertext]
    t_hat: Sequence[Point]


def _main_challenge(statement: bytes, commitments: _Commitments) -> int:
    """The challenge c: the statement's digest with every commitment, never the commitments
    alone (Bernhard, Pereira and Warinschi, "How not to prove yourself", 2012)."""
    return hashing.challenge(
        "grassroots-shuffle-challenge",
        statement,
        list(commitments.chain),
        commitments.t1,
        commitments.t2,
        commitments.t3,
        [[pair.a, pair.b] for pair in commitments.t4],
        list(commitments.t_hat),
    )


def shuffle_prove(
    context: ElectionContext,
    inputs: Sequence[SealedBallot],
    mixer: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[SealedBallot], ShuffleProof]:
    """Re-encrypt every ballot, shuffle the list by a secret permutation, and prove it.

    ``mixer`` names who mixes; it enters the challenges, so a proof cannot be passed off as
    another mixer's. ``progress(done, total)`` is called now and then over the four passes.
    """
    return _shuffle_prove(context, inputs, mixer, progress=progress, randomness=_SystemRandomness())


def _shuffle_prove(
    context: ElectionContext,
    inputs: Sequence[SealedBallot],
    mixer: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    randomness: Randomness,
    main_challenge: Callable[[bytes, _Commitments], int] = _main_challenge,
) -> tuple[list[SealedBallot], ShuffleProof]:
    """The prover with its randomness passed in. Only tests pass anything but the operating
    system's randomness (to replay the test vectors), and only a test of the verifier passes
    a (wrong) ``main_challenge``, to forge the proof a careless prover would make."""
    ballots = [tuple(ballot) for ballot in inputs]
    count = len(ballots)
    if count == 0:
        raise ValueError("there are no ballots to shuffle")
    width = context.width
    for index, ballot in enumerate(ballots):
        if len(ballot) != width:
            raise ValueError(
                f"input ballot {index} has {len(ballot)} ciphertexts; this election's ballots "
                f"have {width}"
            )
    public_key = context.public_key
    total = 4 * count

    def report(done: int) -> None:
        if progress is not None and (done % _PROGRESS_STEP == 0 or done == total):
            progress(done, total)

    scalar = randomness.scalar
    generators, chain_base = shuffle_generators(context.fingerprint(), count)

    # The permutation (Fisher–Yates): output i is input sources[i].
    sources = list(range(count))
    for i in range(count - 1, 0, -1):
        j = randomness.below(i + 1)
        sources[i], sources[j] = sources[j], sources[i]

    # Re-encryption, one randomness per ciphertext.
    reencryption = [[scalar() for _ in range(width)] for _ in range(count)]
    outputs: list[SealedBallot] = []
    for i in range(count):
        outputs.append(
            tuple(
                ciphertext.reencrypted(public_key, r)
                for ciphertext, r in zip(ballots[sources[i]], reencryption[i], strict=True)
            )
        )
        report(i + 1)

    # Permutation commitment: c_{sources[i]} = r_{sources[i]}·G + h_i.
    commitment_randomness = [0] * count
    permutation_commitment: list[Point] = [generators[0]] * count
    for i in range(count):
        j = sources[i]
        commitment_randomness[j] = scalar()
        permutation_commitment[j] = base_mul(commitment_randomness[j]) + generators[i]
        report(count + i + 1)

    statement = _statement_digest(context, mixer, ballots, outputs, permutation_commitment)
    u = [hashing.challenge("grassroots-shuffle-u", statement, j) for j in range(count)]
    u_permuted = [u[sources[i]] for i in range(count)]

    # Commitment chain: ĉ_0 = h, ĉ_i = r̂_i·G + u'_i·ĉ_{i-1}.
    chain_randomness = [scalar() for _ in range(count)]
    chain: list[Point] = []
    previous = chain_base
    for i in range(count):
        previous = base_mul(chain_randomness[i]) + previous * u_permuted[i]
        chain.append(previous)
        report(2 * count + i + 1)

    # Commitments.
    w1, w2, w3 = scalar(), scalar(), scalar()
    w4 = [scalar() for _ in range(width)]
    w_hat = [scalar() for _ in range(count)]
    w_prime = [scalar() for _ in range(count)]
    t1 = base_mul(w1)
    t2 = base_mul(w2)
    t3 = base_mul(w3) + point_sum(h * w for h, w in zip(generators, w_prime, strict=True))
    t4 = tuple(
        Ciphertext(
            base_mul(-w4[k]) + point_sum(o[k].a * w for o, w in zip(outputs, w_prime, strict=True)),
            public_key * -w4[k]
            + point_sum(o[k].b * w for o, w in zip(outputs, w_prime, strict=True)),
        )
        for k in range(width)
    )
    t_hat = []
    previous = chain_base
    for i in range(count):
        t_hat.append(base_mul(w_hat[i]) + previous * w_prime[i])
        previous = chain[i]
        report(3 * count + i + 1)

    c = main_challenge(statement, _Commitments(chain, t1, t2, t3, t4, t_hat))

    # Responses.
    r_bar = sum(commitment_randomness) % ORDER
    r_hat = 0
    v = 1  # v_i = u'_{i+1}·…·u'_N, from the end of the chain backwards
    for i in range(count - 1, -1, -1):
        r_hat = (r_hat + chain_randomness[i] * v) % ORDER
        v = v * u_permuted[i] % ORDER
    r_tilde = sum(r * uj for r, uj in zip(commitment_randomness, u, strict=True)) % ORDER
    r_prime = [
        sum(reencryption[i][k] * u_permuted[i] for i in range(count)) % ORDER for k in range(width)
    ]
    proof = ShuffleProof(
        permutation_commitment=tuple(permutation_commitment),
        commitment_chain=tuple(chain),
        t1=t1,
        t2=t2,
        t3=t3,
        t4=t4,
        t_hat=tuple(t_hat),
        s1=(w1 + c * r_bar) % ORDER,
        s2=(w2 + c * r_hat) % ORDER,
        s3=(w3 + c * r_tilde) % ORDER,
        s4=tuple((w4[k] + c * r_prime[k]) % ORDER for k in range(width)),
        s_hat=tuple((w_hat[i] + c * chain_randomness[i]) % ORDER for i in range(count)),
        s_prime=tuple((w_prime[i] + c * u_permuted[i]) % ORDER for i in range(count)),
    )
    return outputs, proof


__all__ = ["SCHEME", "ShuffleProof", "shuffle_generators", "shuffle_prove"]
