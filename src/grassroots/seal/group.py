"""The prime-order group every sealed-ballot computation works in.

Edwards25519's subgroup of prime order ``ORDER`` (ℓ = 2²⁵² + 2774231777737235353585193779088364
8493), with libsodium's audited arithmetic through PyNaCl. Ristretto255 would hide the cofactor in
its encoding, but PyNaCl (1.6.2) binds no ristretto255 function; instead every point read
from outside is checked to be canonical, on the curve and in the prime-order subgroup
(``crypto_core_ed25519_is_valid_point``), so the cofactor never enters
(docs/sealed-ballots.md, "The group"). Scalars are Python integers modulo ``ORDER``.

This module, ``hashing`` and the encoding are all that the prover and the verifier share.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from nacl import bindings as sodium
from nacl.exceptions import RuntimeError as SodiumRuntimeError

ORDER = 2**252 + 27742317777372353535851937790883648493
POINT_BYTES = 32
# The encoding of the neutral element (x = 0, y = 1).
_IDENTITY = (1).to_bytes(POINT_BYTES, "little")


class GroupError(ValueError):
    """A value from outside is not an element of the group (or not a scalar)."""


class Point:
    """An element of the prime-order group, immutable, held as its canonical 32 bytes."""

    __slots__ = ("_bytes",)

    def __init__(self, encoded: bytes, *, checked: bool = False) -> None:
        if not checked:
            if not isinstance(encoded, bytes | bytearray) or len(encoded) != POINT_BYTES:
                raise GroupError("a group element is 32 bytes")
            encoded = bytes(encoded)
            if encoded != _IDENTITY and not sodium.crypto_core_ed25519_is_valid_point(encoded):
                raise GroupError("not an element of the prime-order group")
        self._bytes = encoded

    @classmethod
    def from_hex(cls, text: str) -> Point:
        """Read a point written by ``hex()``; a clear ``GroupError`` for anything else."""
        try:
            raw = bytes.fromhex(text)
        except (TypeError, ValueError) as err:
            raise GroupError(f"not a hexadecimal group element: {str(text)[:80]!r}") from err
        return cls(raw)

    def hex(self) -> str:
        return self._bytes.hex()

    def __bytes__(self) -> bytes:
        return self._bytes

    def is_identity(self) -> bool:
        return self._bytes == _IDENTITY

    def __add__(self, other: Point) -> Point:
        if self._bytes == _IDENTITY:
            return other
        if other._bytes == _IDENTITY:
            return self
        return Point(sodium.crypto_core_ed25519_add(self._bytes, other._bytes), checked=True)

    def __sub__(self, other: Point) -> Point:
        if other._bytes == _IDENTITY:
            return self
        if self._bytes == other._bytes:
            return IDENTITY
        return Point(sodium.crypto_core_ed25519_sub(self._bytes, other._bytes), checked=True)

    def __neg__(self) -> Point:
        return IDENTITY - self

    def __mul__(self, scalar: int) -> Point:
        """``scalar`` times this point (the group is written additively)."""
        scalar %= ORDER
        if scalar == 0 or self._bytes == _IDENTITY:
            return IDENTITY
        if self is GENERATOR:
            return base_mul(scalar)
        try:
            product = sodium.crypto_scalarmult_ed25519_noclamp(_scalar_bytes(scalar), self._bytes)
        except SodiumRuntimeError:  # only the identity, impossible in a prime-order group
            return IDENTITY
        return Point(product, checked=True)

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and self._bytes == other._bytes

    def __hash__(self) -> int:
        return hash(self._bytes)

    def __repr__(self) -> str:
        return f"Point({self._bytes.hex()[:16]}…)"


def _scalar_bytes(scalar: int) -> bytes:
    return scalar.to_bytes(32, "little")


def base_mul(scalar: int) -> Point:
    """``scalar`` times the standard generator, by libsodium's precomputed table."""
    scalar %= ORDER
    if scalar == 0:
        return IDENTITY
    return Point(sodium.crypto_scalarmult_ed25519_base_noclamp(_scalar_bytes(scalar)), checked=True)


def point_sum(points: Iterable[Point]) -> Point:
    total = IDENTITY
    for point in points:
        total = total + point
    return total


def multi_mul(pairs: Iterable[tuple[Point, int]]) -> Point:
    """The sum of ``scalar × point`` over the pairs (naive: one multiplication each)."""
    return point_sum(point * scalar for point, scalar in pairs)


def random_scalar() -> int:
    """A uniform nonzero scalar from the operating system's randomness."""
    while True:
        scalar = int.from_bytes(secrets.token_bytes(64), "little") % ORDER
        if scalar:
            return scalar


def scalar_from_hex(text: str) -> int:
    """Read a scalar written as 64 hexadecimal digits; refuse one not below ``ORDER``."""
    try:
        value = int(text, 16)
    except (TypeError, ValueError) as err:
        raise GroupError(f"not a hexadecimal scalar: {str(text)[:80]!r}") from err
    if not 0 <= value < ORDER or len(text) != 64:
        raise GroupError("a scalar is 64 hexadecimal digits below the group's order")
    return value


def scalar_hex(scalar: int) -> str:
    return f"{scalar % ORDER:064x}"


def independent_generators(label: str, count: int) -> list[Point]:
    """``count`` generators whose discrete logarithms nobody knows: each is libsodium's
    hash-to-curve map (Elligator 2, cofactor cleared) of SHA-512 of ``label`` and its index,
    so anyone can recompute them."""
    found = []
    for index in range(count):
        digest = hashlib.sha512(f"grassroots-generator|{label}|{index}".encode()).digest()
        found.append(Point(sodium.crypto_core_ed25519_from_uniform(digest[:32])))
    return found


IDENTITY = Point(_IDENTITY, checked=True)
GENERATOR = Point(sodium.crypto_scalarmult_ed25519_base_noclamp(_scalar_bytes(1)), checked=True)
