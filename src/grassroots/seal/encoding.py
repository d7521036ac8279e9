"""A ranking and its weight as group elements, reversibly (docs/sealed-ballots.md, "Encoding").

The plaintext is ``varint(weight) + bytes([len(ranking)]) + bytes(ranking)``: the weight as an
unsigned LEB128 number, then the count of preferences, then the 1-based option numbers, one
byte each. It is padded with zeros to ``width × CHUNK_BYTES`` bytes and cut into ``width``
chunks. A chunk becomes a point by try-and-increment: the 32-byte little-endian ``y``
encoding holds a two-byte counter in bytes 0–1, the chunk in bytes 2–29 and zeros in bytes
30–31; the first counter that gives an element of the prime-order subgroup wins (about one
in sixteen does). Decoding reads bytes 2–29 back from the point's canonical bytes.

Every ballot of an election has the same width, so a ciphertext's size says nothing about
how many preferences it holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from nacl import bindings as sodium

from grassroots.seal import hashing
from grassroots.seal.elgamal import SealedBallot, encrypt
from grassroots.seal.group import POINT_BYTES, Point

CHUNK_BYTES = 28
MAX_OPTIONS = 255
MAX_WEIGHT = 2**63 - 1
_COUNTER_LIMIT = 2**16


class EncodingError(ValueError):
    """A ranking cannot be encoded, or points do not decode to a ballot (says what is wrong)."""


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _varint_read(data: bytes) -> tuple[int, int]:
    """The number at the start of ``data`` and how many bytes it took."""
    value = 0
    for position in range(10):
        if position >= len(data):
            break
        byte = data[position]
        value |= (byte & 0x7F) << (7 * position)
        if not byte & 0x80:
            if position and byte == 0:
                raise EncodingError("the weight is not written in its shortest form")
            return value, position + 1
    raise EncodingError("the weight is not a complete number")


def ballot_width(option_count: int, max_weight: int = 1) -> int:
    """How many ciphertexts a ballot needs to hold a complete ranking of ``option_count``
    options at any weight up to ``max_weight``."""
    if not 1 <= option_count <= MAX_OPTIONS:
        raise EncodingError(f"a sealed ballot has 1 to {MAX_OPTIONS} options, not {option_count}")
    if not 1 <= max_weight <= MAX_WEIGHT:
        raise EncodingError(f"a weight is from 1 to {MAX_WEIGHT}, not {max_weight}")
    size = len(_varint(max_weight)) + 1 + option_count
    return -(-size // CHUNK_BYTES)


def _ranking_check(ranking: Sequence[int], option_count: int | None) -> None:
    if not ranking:
        raise EncodingError("the ranking is empty: a ballot ranks at least one option")
    top = MAX_OPTIONS if option_count is None else option_count
    seen: set[int] = set()
    for place, option in enumerate(ranking, start=1):
        if not isinstance(option, int) or isinstance(option, bool) or not 1 <= option <= top:
            raise EncodingError(f"preference {place}: option {option!r} is not one of 1..{top}")
        if option in seen:
            raise EncodingError(f"preference {place}: option {option} is ranked twice")
        seen.add(option)


def _chunk_point(chunk: bytes) -> Point:
    for counter in range(_COUNTER_LIMIT):
        candidate = counter.to_bytes(2, "little") + chunk + b"\x00\x00"
        if sodium.crypto_core_ed25519_is_valid_point(candidate):
            return Point(candidate, checked=True)
    raise EncodingError("no counter maps this chunk into the group")  # pragma: no cover


def ballot_encode(ranking: Sequence[int], weight: int, width: int) -> list[Point]:
    """The ``width`` points that carry this ranking (1-based option numbers) and weight."""
    _ranking_check(ranking, None)
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= MAX_WEIGHT:
        raise EncodingError(f"the weight {weight!r} is not a whole number from 1 to {MAX_WEIGHT}")
    data = _varint(weight) + bytes([len(ranking)]) + bytes(ranking)
    if len(data) > width * CHUNK_BYTES:
        raise EncodingError(
            f"a ranking of {len(ranking)} preferences at weight {weight} needs "
            f"{len(data)} bytes; a ballot of width {width} holds {width * CHUNK_BYTES}"
        )
    data = data.ljust(width * CHUNK_BYTES, b"\x00")
    return [_chunk_point(data[i : i + CHUNK_BYTES]) for i in range(0, len(data), CHUNK_BYTES)]


def ballot_decode(points: Sequence[Point], option_count: int) -> tuple[list[int], int]:
    """The ranking (1-based option numbers) and weight the points carry.

    Raises:
        EncodingError: saying which chunk or which preference is not a valid ballot's.
    """
    data = bytearray()
    for position, point in enumerate(points, start=1):
        raw = bytes(point)
        if len(raw) != POINT_BYTES or raw[30:] != b"\x00\x00":
            raise EncodingError(f"chunk {position}: the point is not an encoded chunk")
        data += raw[2:30]
    if not data:
        raise EncodingError("no points to decode")
    weight, used = _varint_read(bytes(data))
    if not 1 <= weight <= MAX_WEIGHT:
        raise EncodingError(f"the weight {weight} is not from 1 to {MAX_WEIGHT}")
    if used >= len(data):
        raise EncodingError("the ballot ends before its number of preferences")
    length = data[used]
    ranking = list(data[used + 1 : used + 1 + length])
    if len(ranking) != length:
        raise EncodingError(f"the ballot holds fewer than its {length} preferences")
    if any(data[used + 1 + length :]):
        raise EncodingError("bytes after the ranking are not zero padding")
    _ranking_check(ranking, option_count)
    return ranking, weight


def ballot_encrypt(
    public_key: Point, ranking: Sequence[int], weight: int, width: int
) -> SealedBallot:
    """Encode and encrypt a ranking under the election's key, fresh randomness per chunk."""
    return tuple(encrypt(public_key, point) for point in ballot_encode(ranking, weight, width))


def ballot_fingerprint(ballot: SealedBallot) -> str:
    """Hex SHA-256 of the ballot's ciphertexts: the receipt by which a voter finds their
    ballot on the board (the site shows its first 16 digits)."""
    encoded = hashing.encode(
        "grassroots-ballot", [[ciphertext.a, ciphertext.b] for ciphertext in ballot]
    )
    return hashlib.sha256(encoded).hexdigest()
