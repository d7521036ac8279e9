"""A mixer's shuffle: an honest one verifies and keeps every plaintext; the verifier refuses
every way of cheating that the issue names, and a proof with a challenge over its
commitments only."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from grassroots.seal import hashing
from grassroots.seal.context import ElectionContext
from grassroots.seal.decryption import decryption_share_make, plaintexts_combine
from grassroots.seal.elgamal import SealedBallot, decrypt_with_key, encrypt
from grassroots.seal.encoding import ballot_decode
from grassroots.seal.group import (
    GENERATOR,
    ORDER,
    GroupError,
    Point,
    base_mul,
    point_sum,
    scalar_from_hex,
    scalar_hex,
)
from grassroots.seal.shuffle import (
    ShuffleProof,
    _shuffle_prove,
    shuffle_generators,
    shuffle_prove,
)
from grassroots.seal.verify_shuffle import VerificationError, shuffle_check
from tests.seal.helpers import RANKINGS, board, ceremony
from tests.seal.shuffle_vectors import ReplayedRandomness, election_make

SECRET_KEY = 0x1234567890ABCDEF * 7919
PUBLIC_KEY = base_mul(SECRET_KEY)
MIXER = "returning officer"


def election(width: int) -> ElectionContext:
    return election_make("shuffle tests", width, PUBLIC_KEY)


def ballots_make(count: int, width: int) -> list[SealedBallot]:
    return [
        tuple(encrypt(PUBLIC_KEY, base_mul(1000 * i + k + 1)) for k in range(width))
        for i in range(count)
    ]


def plaintexts(ballots: list[SealedBallot]) -> Counter[tuple[bytes, ...]]:
    return Counter(
        tuple(bytes(decrypt_with_key(SECRET_KEY, ciphertext)) for ciphertext in ballot)
        for ballot in ballots
    )


@pytest.fixture(scope="module", params=[1, 3], ids=["width1", "width3"])
def mixed(
    request: pytest.FixtureRequest,
) -> tuple[list[SealedBallot], list[SealedBallot], dict[str, Any]]:
    inputs = ballots_make(6, request.param)
    outputs, proof = shuffle_prove(election(request.param), inputs, MIXER)
    return inputs, outputs, proof.to_json()


def rejected(
    inputs: list[SealedBallot],
    outputs: list[SealedBallot],
    proof: dict[str, Any],
    *,
    context: ElectionContext | None = None,
    mixer: str = MIXER,
) -> str:
    context = context or election(len(inputs[0]))
    with pytest.raises(VerificationError) as caught:
        shuffle_check(context, inputs, outputs, proof, mixer)
    return str(caught.value)


def test_an_honest_shuffle_verifies_and_is_a_permutation_of_reencryptions(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    shuffle_check(election(len(inputs[0])), inputs, outputs, proof, MIXER)
    assert plaintexts(outputs) == plaintexts(inputs)
    assert len(set(plaintexts(inputs))) == len(inputs)
    input_ciphertexts = {ciphertext for ballot in inputs for ciphertext in ballot}
    assert not any(ciphertext in input_ciphertexts for ballot in outputs for ciphertext in ballot)


def test_a_shuffle_of_one_ballot_verifies() -> None:
    inputs = ballots_make(1, 2)
    outputs, proof = shuffle_prove(election(2), inputs, MIXER)
    shuffle_check(election(2), inputs, outputs, proof.to_json(), MIXER)
    assert plaintexts(outputs) == plaintexts(inputs)


def test_the_permutation_is_secret_and_varies() -> None:
    inputs = ballots_make(8, 1)
    orders = set()
    for _ in range(4):
        outputs, _proof = shuffle_prove(election(1), inputs, MIXER)
        orders.add(tuple(bytes(decrypt_with_key(SECRET_KEY, ballot[0])) for ballot in outputs))
    assert len(orders) > 1


def test_progress_is_reported_up_to_the_total() -> None:
    calls: list[tuple[int, int]] = []
    shuffle_prove(
        election(1), ballots_make(3, 1), MIXER, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (12, 12)
    assert all(done <= total for done, total in calls)


def test_two_outputs_swapped_after_proving_are_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    swapped = list(outputs)
    swapped[0], swapped[3] = swapped[3], swapped[0]
    assert "equation t1" in rejected(inputs, swapped, proof)


def test_a_dropped_output_is_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    message = rejected(inputs, outputs[:2] + outputs[3:], proof)
    assert "5 output ballots for 6 input ballots" in message


def test_a_duplicated_output_replacing_another_is_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    duplicated = list(outputs)
    duplicated[4] = duplicated[1]
    rejected(inputs, duplicated, proof)
    # Even when the copy is re-encrypted, so it does not look like one.
    disguised = list(outputs)
    disguised[4] = tuple(c.reencrypted(PUBLIC_KEY, 12345) for c in outputs[1])
    assert plaintexts(disguised) != plaintexts(inputs)
    rejected(inputs, disguised, proof)


def test_an_altered_ciphertext_is_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    width = len(inputs[0])
    reencrypted = list(outputs)
    reencrypted[2] = (
        *outputs[2][: width - 1],
        outputs[2][width - 1].reencrypted(PUBLIC_KEY, 777),
    )
    assert plaintexts(reencrypted) == plaintexts(inputs)  # same plaintexts, still refused
    rejected(inputs, reencrypted, proof)
    replaced = list(outputs)
    replaced[2] = (*outputs[2][: width - 1], encrypt(PUBLIC_KEY, base_mul(99)))
    rejected(inputs, replaced, proof)


def test_changed_inputs_are_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    changed = list(inputs)
    changed[5] = tuple(encrypt(PUBLIC_KEY, base_mul(424242)) for _ in inputs[5])
    rejected(changed, outputs, proof)
    rejected(inputs[1:] + inputs[:1], outputs, proof)  # the same ballots in another order


def test_a_proof_from_another_election_or_mixer_is_rejected(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    width = len(inputs[0])
    other = election_make("another election", width, PUBLIC_KEY)
    assert other.fingerprint() != election(width).fingerprint()
    rejected(inputs, outputs, proof, context=other)
    rejected(inputs, outputs, proof, mixer="someone else")


def _altered(value: Any, *, scalar: bool) -> Any:
    """A well-formed value different from ``value``: a scalar, a point or a pair."""
    if isinstance(value, dict):
        return {"a": value["a"], "b": _altered(value["b"], scalar=False)}
    if scalar:
        return scalar_hex(scalar_from_hex(value) + 1)
    return (Point.from_hex(value) + GENERATOR).hex()


# field: the equation that must then fail (the commitments enter the challenge, so a change
# to any of them fails the first equation; a response fails the equation it belongs to).
FIELDS = {
    "permutation_commitment": "t1",
    "commitment_chain": "t1",
    "t1": "t1",
    "t2": "t1",
    "t3": "t1",
    "t4": "t1",
    "t_hat": "t1",
    "s1": "t1",
    "s2": "t2",
    "s3": "t3",
    "s4": "t4[0].a",
    "s_hat": "t_hat[0]",
    "s_prime": "t3",
}


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_of_the_proof_altered_is_rejected(mixed: Any, field: str) -> None:
    inputs, outputs, proof = mixed
    forged = copy.deepcopy(proof)
    scalar = field.startswith("s")
    if isinstance(forged[field], list):
        forged[field][0] = _altered(forged[field][0], scalar=scalar)
    else:
        forged[field] = _altered(forged[field], scalar=scalar)
    assert f"equation {FIELDS[field]} " in rejected(inputs, outputs, forged)


def test_a_last_response_of_the_chain_altered_names_its_link(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    forged = copy.deepcopy(proof)
    forged["s_hat"][5] = _altered(forged["s_hat"][5], scalar=True)
    assert "equation t_hat[5] (link 5 of the commitment chain)" in rejected(inputs, outputs, forged)


def test_an_ill_formed_proof_is_rejected_naming_the_field(mixed: Any) -> None:
    inputs, outputs, proof = mixed
    for change, where in [
        ({"scheme": "bayer-groth"}, "field scheme"),
        ({"t2": "zz"}, "field t2"),
        ({"s_prime": proof["s_prime"][:-1]}, "field s_prime"),
        ({"t_hat": [*proof["t_hat"][:-1], "00" * 32]}, "field t_hat[5]"),
        ({"s1": f"{ORDER:064x}"}, "field s1"),
        ({"extra": 1}, "extra"),
    ]:
        assert where in rejected(inputs, outputs, {**proof, **change})
    without = dict(proof)
    del without["s3"]
    assert "s3" in rejected(inputs, outputs, without)
    wider = [(*ballot, ballot[0]) for ballot in outputs]
    assert "output ballot 0 has" in rejected(inputs, wider, proof)


def test_a_challenge_over_the_commitments_only_is_rejected() -> None:
    """The weak Fiat–Shamir of "How not to prove yourself": a proof whose challenge c hashes
    the commitments but not the statement. It holds under that weak challenge, and the
    verifier refuses it because it recomputes c over the statement too."""
    weak_challenges: list[int] = []

    def commitments_only(statement: bytes, commitments: Any) -> int:
        del statement  # the mistake
        value = hashing.challenge(
            "grassroots-shuffle-challenge",
            list(commitments.chain),
            commitments.t1,
            commitments.t2,
            commitments.t3,
            [[pair.a, pair.b] for pair in commitments.t4],
            list(commitments.t_hat),
        )
        weak_challenges.append(value)
        return value

    inputs = ballots_make(4, 2)
    outputs, forged = _shuffle_prove(
        election(2),
        inputs,
        MIXER,
        randomness=ReplayedRandomness("weak"),
        main_challenge=commitments_only,
    )
    # Under the weak challenge the first equation holds: the proof is consistent with it.
    (weak,) = weak_challenges
    generators, _h = shuffle_generators(election(2).fingerprint(), len(inputs))
    c_bar = point_sum(forged.permutation_commitment) - point_sum(generators)
    assert forged.t1 == base_mul(forged.s1) - c_bar * weak
    message = rejected(inputs, outputs, forged.to_json())
    assert "equation t1" in message
    # The same randomness with the right challenge gives a proof that verifies.
    outputs, honest = _shuffle_prove(
        election(2), inputs, MIXER, randomness=ReplayedRandomness("weak")
    )
    assert honest.t1 == forged.t1
    shuffle_check(election(2), inputs, outputs, honest.to_json(), MIXER)


def test_proof_json_round_trips_and_names_bad_fields(mixed: Any) -> None:
    _inputs, _outputs, proof = mixed
    assert ShuffleProof.from_json(proof).to_json() == proof
    with pytest.raises(GroupError, match=r"field commitment_chain\[2\]"):
        ShuffleProof.from_json({**proof, "commitment_chain": [*proof["commitment_chain"][:2], "x"]})
    with pytest.raises(GroupError, match=r"field s4\[0\]"):
        ShuffleProof.from_json({**proof, "s4": ["1"] * len(proof["s4"])})
    with pytest.raises(ValueError, match="field t_hat: 5 entries"):
        ShuffleProof.from_json({**proof, "t_hat": proof["t_hat"][:5]})
    with pytest.raises(ValueError, match=r"missing field.* s2"):
        ShuffleProof.from_json({k: v for k, v in proof.items() if k != "s2"})
    with pytest.raises(ValueError, match="field t4: a list"):
        ShuffleProof.from_json({**proof, "t4": "none"})


def test_the_prover_refuses_an_empty_list_or_mixed_widths() -> None:
    with pytest.raises(ValueError, match="no ballots"):
        shuffle_prove(election(1), [], MIXER)
    mixed_widths = [*ballots_make(2, 2), ballots_make(1, 1)[0]]
    with pytest.raises(
        ValueError, match="input ballot 2 has 1 ciphertexts; this election's ballots have 2"
    ):
        shuffle_prove(election(2), mixed_widths, MIXER)


def test_two_mixers_in_turn_keep_every_ranking_of_a_real_election() -> None:
    """The whole path a board takes: trustees' joint key, encoded rankings, two mixes each
    checked against the list before it, then threshold decryption of the last list."""
    run = ceremony(threshold=2, trustees=3, width=2)
    ballots = board(run.context, RANKINGS)
    first, first_proof = shuffle_prove(run.context, ballots, "server")
    second, second_proof = shuffle_prove(run.context, first, "trustee 2")
    shuffle_check(run.context, ballots, first, first_proof.to_json(), "server")
    shuffle_check(run.context, first, second, second_proof.to_json(), "trustee 2")
    with pytest.raises(VerificationError):
        shuffle_check(run.context, ballots, second, second_proof.to_json(), "trustee 2")
    shares = [decryption_share_make(secret, run.context, second) for secret in run.secrets[1:]]
    rows = plaintexts_combine(run.context, second, shares)
    decoded = [ballot_decode(row, 3) for row in rows]
    assert sorted(decoded) == sorted(RANKINGS)
