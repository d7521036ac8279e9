"""The shuffle's checked-in test vectors: the prover, replaying their randomness, makes them
again byte for byte, and the verifier accepts each as stored."""

from __future__ import annotations

import json

import pytest

from grassroots.seal.context import ElectionContext
from grassroots.seal.elgamal import ballot_from_json, decrypt_with_key
from grassroots.seal.group import base_mul, scalar_from_hex
from grassroots.seal.verify_shuffle import VerificationError, shuffle_check
from tests.seal.shuffle_vectors import SHAPES, VECTORS, vector_make, vector_text


@pytest.mark.parametrize("name", SHAPES)
def test_the_prover_makes_the_vector_again_byte_for_byte(name: str) -> None:
    assert vector_text(vector_make(name)) == (VECTORS / f"{name}.json").read_text()


@pytest.mark.parametrize("name", SHAPES)
def test_the_stored_vector_verifies(name: str) -> None:
    vector = json.loads((VECTORS / f"{name}.json").read_text())
    count, width = SHAPES[name]
    election = ElectionContext.from_json(vector["election"])
    assert election.fingerprint().hex() == vector["fingerprint"]
    inputs = [ballot_from_json(ballot, width) for ballot in vector["inputs"]]
    outputs = [ballot_from_json(ballot, width) for ballot in vector["outputs"]]
    assert len(inputs) == len(outputs) == count
    shuffle_check(election, inputs, outputs, vector["proof"], vector["mixer"])

    secret_key = scalar_from_hex(vector["secret_key"])
    assert base_mul(secret_key) == election.public_key
    decrypted = sorted(
        [bytes(decrypt_with_key(secret_key, ciphertext)) for ciphertext in ballot]
        for ballot in outputs
    )
    assert decrypted == sorted(
        [bytes(base_mul(100 * i + k + 1)) for k in range(width)] for i in range(count)
    )
    with pytest.raises(VerificationError):
        shuffle_check(election, inputs, outputs[::-1], vector["proof"], vector["mixer"])
