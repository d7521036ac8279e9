"""ElGamal encryption in the prime-order group, and its JSON form.

A ciphertext of the point ``m`` under the public key ``pk`` is ``(a, b) = (r·G, m + r·pk)``.
Re-encryption adds an encryption of the identity, which is what a mix-net does to each
ciphertext it shuffles. A sealed ballot is a tuple of ciphertexts of one width per election
(its encoding, ``seal.encoding``): they travel together through every shuffle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.seal.group import GENERATOR, GroupError, Point, base_mul, random_scalar


@dataclass(frozen=True, slots=True)
class Ciphertext:
    a: Point  # r·G
    b: Point  # m + r·pk

    def reencrypted(self, public_key: Point, randomness: int) -> Ciphertext:
        """The same plaintext under fresh randomness: add an encryption of the identity."""
        return Ciphertext(self.a + base_mul(randomness), self.b + public_key * randomness)

    def to_json(self) -> dict[str, str]:
        return {"a": self.a.hex(), "b": self.b.hex()}

    @classmethod
    def from_json(cls, data: Any) -> Ciphertext:
        if not isinstance(data, dict) or set(data) != {"a", "b"}:
            raise GroupError('a ciphertext is {"a": "<hex>", "b": "<hex>"}')
        return cls(Point.from_hex(data["a"]), Point.from_hex(data["b"]))


SealedBallot = tuple[Ciphertext, ...]


def encrypt(public_key: Point, message: Point, randomness: int | None = None) -> Ciphertext:
    r = random_scalar() if randomness is None else randomness
    return Ciphertext(base_mul(r), message + public_key * r)


def decrypt_with_key(secret_key: int, ciphertext: Ciphertext) -> Point:
    """Decrypt with the whole secret key: for tests only, since no one ever holds it
    (``seal.decryption`` combines trustees' shares instead)."""
    return ciphertext.b - ciphertext.a * secret_key


def ballot_to_json(ballot: Sequence[Ciphertext]) -> list[dict[str, str]]:
    return [ciphertext.to_json() for ciphertext in ballot]


def ballot_from_json(data: Any, width: int) -> SealedBallot:
    """Read one sealed ballot; refuse one of the wrong width or with a non-element."""
    if not isinstance(data, list) or len(data) != width:
        raise GroupError(f"a sealed ballot here is a list of {width} ciphertexts")
    return tuple(Ciphertext.from_json(item) for item in data)


__all__ = [
    "GENERATOR",
    "Ciphertext",
    "SealedBallot",
    "ballot_from_json",
    "ballot_to_json",
    "decrypt_with_key",
    "encrypt",
]
