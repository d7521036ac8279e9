"""Threshold decryption: any k trustees decrypt, fewer cannot, and a wrong share is caught."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations

import pytest

from grassroots.seal.decryption import (
    DecryptionError,
    DecryptionShare,
    decryption_share_check,
    decryption_share_make,
    lagrange_at_zero,
    plaintexts_combine,
)
from grassroots.seal.encoding import EncodingError, ballot_decode
from grassroots.seal.group import ORDER, base_mul
from grassroots.seal.trustee import TrusteeSecret
from tests.seal.helpers import RANKINGS, board, ceremony


def test_any_two_of_three_trustees_decrypt() -> None:
    run = ceremony(threshold=2, trustees=3)
    ballots = board(run.context, RANKINGS)
    shares = [decryption_share_make(secret, run.context, ballots) for secret in run.secrets]
    for share in shares:
        decryption_share_check(run.context, ballots, share)
    for pair in combinations(shares, 2):
        points = plaintexts_combine(run.context, ballots, list(pair))
        assert [ballot_decode(row, 3) for row in points] == RANKINGS


def test_one_trustee_cannot_decrypt() -> None:
    run = ceremony(threshold=2, trustees=3)
    ballots = board(run.context, RANKINGS)
    share = decryption_share_make(run.secrets[0], run.context, ballots)
    with pytest.raises(DecryptionError, match="1 trustees' shares; decrypting needs 2"):
        plaintexts_combine(run.context, ballots, [share])
    # Nor does a lone share, used as if it were the key, give any ballot back.
    lone = [ballot.b - share.factors[i][0] for i, (ballot,) in enumerate(ballots)]
    for point in lone:
        with pytest.raises(EncodingError, match=r"chunk 1|weight|preference|ballot"):
            ballot_decode([point], 3)


def test_wider_ballots_and_a_three_of_three_key() -> None:
    run = ceremony(threshold=3, trustees=3, width=2)
    rankings = [(list(range(30, 0, -1)), 1), ([7], 5)]
    ballots = board(run.context, rankings)
    shares = [decryption_share_make(secret, run.context, ballots) for secret in run.secrets]
    points = plaintexts_combine(run.context, ballots, shares)
    assert [ballot_decode(row, 30) for row in points] == rankings


def test_a_wrong_share_is_named_by_trustee_ballot_and_chunk() -> None:
    run = ceremony(threshold=2, trustees=3)
    ballots = board(run.context, RANKINGS)
    share = decryption_share_make(run.secrets[1], run.context, ballots)
    factors = list(share.factors)
    factors[3] = (factors[3][0] + base_mul(1),)
    wrong = replace(share, factors=tuple(factors))
    with pytest.raises(
        DecryptionError, match="trustee 2: ballot 3, chunk 0: the proof of decryption does not hold"
    ):
        decryption_share_check(run.context, ballots, wrong)


def test_a_share_of_another_list_is_refused() -> None:
    run = ceremony(threshold=2, trustees=3)
    ballots = board(run.context, RANKINGS)
    share = decryption_share_make(run.secrets[0], run.context, ballots)
    with pytest.raises(DecryptionError, match="trustee 1: it decrypts another list"):
        decryption_share_check(run.context, ballots[1:], share)


def test_a_secret_without_its_share_cannot_decrypt() -> None:
    run = ceremony(threshold=2, trustees=3)
    fresh = TrusteeSecret(run.context.election_id, 1, run.secrets[0].box_secret_key)
    with pytest.raises(DecryptionError, match="holds no share yet"):
        decryption_share_make(fresh, run.context, [])
    other = replace(run.secrets[0], share=(run.secrets[0].share or 0) + 1)
    with pytest.raises(DecryptionError, match="does not match the election's verification key"):
        decryption_share_make(other, run.context, [])


def test_a_share_survives_json() -> None:
    run = ceremony(threshold=2, trustees=3)
    ballots = board(run.context, RANKINGS[:2])
    share = decryption_share_make(run.secrets[2], run.context, ballots)
    assert DecryptionShare.from_json(json.loads(json.dumps(share.to_json()))) == share
    data = share.to_json()
    data["factors"][1][0] = "zz"
    with pytest.raises(DecryptionError, match="decryption share of trustee 3: ballot 1"):
        DecryptionShare.from_json(data)


def test_lagrange_coefficients_give_the_constant_term() -> None:
    coefficients = [11, 22, 33]

    def f(x: int) -> int:
        return sum(c * x**power for power, c in enumerate(coefficients)) % ORDER

    weights = lagrange_at_zero([2, 4, 5])
    assert sum(weights[j] * f(j) for j in (2, 4, 5)) % ORDER == 11
