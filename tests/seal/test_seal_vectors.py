"""Recompute the checked-in vectors (tests/seal/seal_vectors.py made them) from their inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nacl.public import PrivateKey, SealedBox

from grassroots.seal.context import ElectionContext
from grassroots.seal.decryption import (
    DecryptionShare,
    decryption_share_make,
    plaintexts_combine,
)
from grassroots.seal.elgamal import ballot_to_json, encrypt
from grassroots.seal.encoding import ballot_decode, ballot_encode
from grassroots.seal.group import ORDER, base_mul, scalar_from_hex
from grassroots.seal.proofs import schnorr_prove
from grassroots.seal.trustee import (
    DEAL_DOMAIN,
    Confirmation,
    Deal,
    Setup,
    TrusteeSecret,
    context_make,
    deal_check_public,
    deal_statement,
    deals_check,
)

VECTORS = Path(__file__).parent / "vectors"


def _load(name: str) -> Any:
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def _source(hexes: list[str]) -> Any:
    return iter([scalar_from_hex(text) for text in hexes]).__next__


@pytest.mark.parametrize("case", _load("encoding")["cases"])
def test_encoding_vectors(case: dict[str, Any]) -> None:
    points = ballot_encode(case["ranking"], case["weight"], case["width"])
    assert [point.hex() for point in points] == case["points"]
    assert ballot_decode(points, max(case["ranking"])) == (case["ranking"], case["weight"])


def test_dkg_vectors() -> None:
    data = _load("dkg")
    setup = Setup.from_json(data["setup"])
    keys = [bytes.fromhex(text) for text in data["box_secret_keys"]]
    deals = []
    for record in data["deals"]:
        deal = Deal.from_json(record["deal"])
        coefficients = [scalar_from_hex(text) for text in record["coefficients"]]
        assert deal.commitments == tuple(base_mul(c) for c in coefficients)
        statement = deal_statement(setup, deal.dealer, deal.commitments, deal.shares)
        nonce = _source([record["nonce"]])
        proof = schnorr_prove(
            coefficients[0], deal.commitments[0], DEAL_DOMAIN, statement, scalars=nonce
        )
        assert proof.to_json() == record["deal"]["proof"]
        deal_check_public(setup, deal)
        for recipient, sealed in enumerate(deal.shares, start=1):
            opened = json.loads(SealedBox(PrivateKey(keys[recipient - 1])).decrypt(sealed))
            value = sum(c * recipient**power for power, c in enumerate(coefficients))
            assert scalar_from_hex(opened["share"]) == value % ORDER
        deals.append(deal)
    confirmations = []
    for record in data["confirmations"]:
        secret = TrusteeSecret(setup.election_id, record["index"], keys[record["index"] - 1])
        confirmation = deals_check(secret, setup, deals, scalars=_source([record["nonce"]]))
        assert confirmation.to_json() == record["confirmation"]
        assert secret.share == scalar_from_hex(record["share"])
        confirmations.append(Confirmation.from_json(record["confirmation"]))
    context = context_make(setup, deals, confirmations, 1)
    assert context.to_json() == data["election"]


def test_decryption_vectors() -> None:
    data = _load("decryption")
    dkg = _load("dkg")
    context = ElectionContext.from_json(data["election"])
    ballots = []
    for record in data["ballots"]:
        points = ballot_encode(record["ranking"], record["weight"], context.width)
        randomness = [scalar_from_hex(text) for text in record["randomness"]]
        ballot = tuple(
            encrypt(context.public_key, p, r) for p, r in zip(points, randomness, strict=True)
        )
        assert ballot_to_json(ballot) == record["ciphertexts"]
        ballots.append(ballot)
    shares = []
    for record in data["shares"]:
        index = record["trustee"]
        secret = TrusteeSecret(
            context.election_id,
            index,
            bytes.fromhex(dkg["box_secret_keys"][index - 1]),
            scalar_from_hex(dkg["confirmations"][index - 1]["share"]),
        )
        share = decryption_share_make(secret, context, ballots, scalars=_source(record["nonces"]))
        assert share.to_json() == record["share"]
        shares.append(DecryptionShare.from_json(record["share"]))
    plaintexts = plaintexts_combine(context, ballots, shares)
    assert [[p.hex() for p in row] for row in plaintexts] == data["plaintexts"]
    decoded = [ballot_decode(row, 3) for row in plaintexts]
    assert decoded == [(r["ranking"], r["weight"]) for r in data["ballots"]]
