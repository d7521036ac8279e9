"""Fiat–Shamir challenges and fingerprints: SHA-512 over an unambiguous encoding.

Every value is written with a type tag and its length, so no two different statements
encode alike. A challenge hashes the whole statement and its context (the election, the
board, the public keys) as well as the commitments, never the commitments alone
(Bernhard, Pereira and Warinschi, "How not to prove yourself", 2012).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from grassroots.seal.group import ORDER, Point

Hashable = Point | int | str | bytes | Sequence["Hashable"]


def _write(value: Hashable, out: list[bytes]) -> None:
    if isinstance(value, Point):
        out += [b"P", bytes(value)]
    elif isinstance(value, bool):
        raise TypeError("a truth value is not hashed; say what it means as a string")
    elif isinstance(value, int):
        if value < 0:
            raise ValueError("only non-negative integers are hashed")
        raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
        out += [b"I", len(raw).to_bytes(4, "big"), raw]
    elif isinstance(value, str):
        raw = value.encode()
        out += [b"S", len(raw).to_bytes(4, "big"), raw]
    elif isinstance(value, bytes | bytearray):
        out += [b"B", len(value).to_bytes(4, "big"), bytes(value)]
    else:
        items = list(value)
        out += [b"L", len(items).to_bytes(4, "big")]
        for item in items:
            _write(item, out)


def encode(*parts: Hashable) -> bytes:
    """The unambiguous byte string that ``digest`` and ``challenge`` hash."""
    out: list[bytes] = []
    _write(list(parts), out)
    return b"".join(out)


def digest(domain: str, *parts: Hashable) -> bytes:
    """SHA-512 of a domain label and the parts: for fingerprints (the board's hash)."""
    return hashlib.sha512(encode(domain, *parts)).digest()


def challenge(domain: str, *parts: Hashable) -> int:
    """A Fiat–Shamir challenge: the digest read as an integer and reduced modulo the order."""
    return int.from_bytes(digest(domain, *parts), "big") % ORDER
