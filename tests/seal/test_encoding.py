"""Rankings to points and back: the encoding is reversible and refuses bad input by name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.seal.elgamal import decrypt_with_key
from grassroots.seal.encoding import (
    CHUNK_BYTES,
    MAX_WEIGHT,
    EncodingError,
    ballot_decode,
    ballot_encode,
    ballot_encrypt,
    ballot_fingerprint,
    ballot_width,
)
from grassroots.seal.group import Point, base_mul


@st.composite
def rankings(draw: st.DrawFn) -> tuple[list[int], int, int]:
    option_count = draw(st.integers(1, 255))
    ranking = draw(
        st.lists(st.integers(1, option_count), min_size=1, max_size=option_count, unique=True)
    )
    weight = draw(st.integers(1, MAX_WEIGHT))
    return ranking, weight, option_count


@settings(max_examples=60, deadline=None)
@given(rankings())
def test_every_ranking_and_weight_survives_encoding(case: tuple[list[int], int, int]) -> None:
    ranking, weight, option_count = case
    width = ballot_width(option_count, weight)
    points = ballot_encode(ranking, weight, width)
    assert len(points) == width
    assert ballot_decode(points, option_count) == (ranking, weight)


@settings(max_examples=15, deadline=None)
@given(rankings())
def test_a_ranking_survives_encryption_and_decryption(case: tuple[list[int], int, int]) -> None:
    ranking, weight, option_count = case
    width = ballot_width(option_count, weight)
    secret = 123456789
    sealed = ballot_encrypt(base_mul(secret), ranking, weight, width)
    points = [decrypt_with_key(secret, ciphertext) for ciphertext in sealed]
    assert ballot_decode(points, option_count) == (ranking, weight)


def test_the_width_holds_a_complete_ranking() -> None:
    assert ballot_width(20, 1) == 1  # 1 + 1 + 20 bytes
    assert ballot_width(26, 1) == 1  # exactly 28 bytes
    assert ballot_width(27, 1) == 2
    assert ballot_width(255, MAX_WEIGHT) == -(-(9 + 1 + 255) // CHUNK_BYTES)


@pytest.mark.parametrize(
    ("ranking", "weight", "message"),
    [
        ([], 1, "empty"),
        ([1, 1], 1, "preference 2: option 1 is ranked twice"),
        ([0], 1, "preference 1: option 0"),
        ([256], 1, "preference 1: option 256"),
        ([1], 0, "weight 0"),
        ([1], 2**63, "weight"),
        (list(range(1, 28)), 1, "needs 29 bytes"),
    ],
)
def test_a_bad_ranking_is_refused_saying_what(
    ranking: list[int], weight: int, message: str
) -> None:
    with pytest.raises(EncodingError, match=message):
        ballot_encode(ranking, weight, 1)


def test_decoding_refuses_an_option_beyond_the_ballot() -> None:
    points = ballot_encode([1, 9], 1, 1)
    with pytest.raises(EncodingError, match=r"preference 2: option 9 is not one of 1\.\.5"):
        ballot_decode(points, 5)


def test_decoding_refuses_a_point_that_is_no_chunk() -> None:
    with pytest.raises(EncodingError, match="chunk 1"):
        ballot_decode([base_mul(5)], 20)


def test_decoding_refuses_garbage_after_the_ranking() -> None:
    raw = bytearray(bytes(ballot_encode([1], 1, 1)[0]))
    raw[2 + 5] = 7  # a byte after weight, length and the one preference
    for counter in range(2**16):
        raw[0:2] = counter.to_bytes(2, "little")
        try:
            point = Point(bytes(raw))
        except ValueError:
            continue
        break
    with pytest.raises(EncodingError, match="not zero padding"):
        ballot_decode([point], 3)


def test_the_fingerprint_names_one_ciphertext() -> None:
    key = base_mul(99)
    first = ballot_encrypt(key, [1, 2], 1, 1)
    second = ballot_encrypt(key, [1, 2], 1, 1)
    assert len(ballot_fingerprint(first)) == 64
    assert ballot_fingerprint(first) == ballot_fingerprint(tuple(first))
    assert ballot_fingerprint(first) != ballot_fingerprint(second)
