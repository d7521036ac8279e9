"""An election's cryptographic context, which every proof's challenge hashes.

A proof made for one election, one set of keys or one ballot width means nothing for
another: every Fiat–Shamir challenge includes :meth:`ElectionContext.fingerprint`, so a
proof cannot be replayed elsewhere (Bernhard, Pereira and Warinschi, 2012).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.seal import hashing
from grassroots.seal.elgamal import Ciphertext
from grassroots.seal.group import GroupError, Point


class ContextError(ValueError):
    """An election context read from outside is malformed (the message names the field)."""


@dataclass(frozen=True, slots=True)
class ElectionContext:
    """What a sealed election's proofs are about.

    ``public_key`` is the joint key the ballots are encrypted to (the sum of the dealers'
    constant commitments); ``verification_keys[j - 1]`` is ``x_j·G`` for trustee ``j``'s
    share ``x_j`` of the secret key, against which decryption proofs are checked.
    """

    election_id: str
    threshold: int
    trustee_count: int
    width: int
    public_key: Point
    verification_keys: tuple[Point, ...]

    def __post_init__(self) -> None:
        if not self.election_id:
            raise ContextError("election_id: must not be empty")
        if not 1 <= self.threshold <= self.trustee_count:
            raise ContextError(
                f"threshold: {self.threshold} is not between 1 and the "
                f"{self.trustee_count} trustees"
            )
        if self.width < 1:
            raise ContextError(f"width: {self.width} is not a positive number of ciphertexts")
        if len(self.verification_keys) != self.trustee_count:
            raise ContextError(
                f"verification_keys: {len(self.verification_keys)} keys for "
                f"{self.trustee_count} trustees"
            )

    def fingerprint(self) -> bytes:
        """SHA-512 of every field: what challenges hash to name this election."""
        return hashing.digest(
            "grassroots-election",
            self.election_id,
            self.threshold,
            self.trustee_count,
            self.width,
            self.public_key,
            list(self.verification_keys),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "election_id": self.election_id,
            "threshold": self.threshold,
            "trustee_count": self.trustee_count,
            "width": self.width,
            "public_key": self.public_key.hex(),
            "verification_keys": [key.hex() for key in self.verification_keys],
        }

    @classmethod
    def from_json(cls, data: Any) -> ElectionContext:
        """Read a context; a ``ContextError`` names the missing or malformed field."""
        if not isinstance(data, dict):
            raise ContextError("election context: expected a JSON object")
        fields = ("election_id", "threshold", "trustee_count", "width")
        for name in (*fields, "public_key", "verification_keys"):
            if name not in data:
                raise ContextError(f"election context: the field {name!r} is missing")
        if not isinstance(data["election_id"], str):
            raise ContextError("election context: election_id is not a string")
        for name in fields[1:]:
            if not isinstance(data[name], int) or isinstance(data[name], bool):
                raise ContextError(f"election context: {name} is not a whole number")
        try:
            public_key = Point.from_hex(data["public_key"])
        except GroupError as err:
            raise ContextError(f"election context: public_key: {err}") from err
        keys = data["verification_keys"]
        if not isinstance(keys, list):
            raise ContextError("election context: verification_keys is not a list")
        verification_keys = []
        for position, text in enumerate(keys, start=1):
            try:
                verification_keys.append(Point.from_hex(text))
            except GroupError as err:
                raise ContextError(
                    f"election context: verification key of trustee {position}: {err}"
                ) from err
        return cls(
            election_id=data["election_id"],
            threshold=data["threshold"],
            trustee_count=data["trustee_count"],
            width=data["width"],
            public_key=public_key,
            verification_keys=tuple(verification_keys),
        )


def ballots_digest(ballots: Sequence[Sequence[Ciphertext]]) -> bytes:
    """SHA-512 of a list of sealed ballots in order: the board's hash, and what decryption
    proofs name as the list they decrypt."""
    return hashing.digest(
        "grassroots-ballot-list",
        [[[ciphertext.a, ciphertext.b] for ciphertext in ballot] for ballot in ballots],
    )


def board_digest(ballots: Sequence[Sequence[Ciphertext]]) -> str:
    """The published hash of the frozen board: :func:`ballots_digest` in hexadecimal."""
    return ballots_digest(ballots).hex()
