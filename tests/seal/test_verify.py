"""The verifier accepts an honest bundle and rejects each kind of tampering, by name."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grassroots.seal import hashing
from grassroots.seal.bundle import bundle_load
from grassroots.seal.elgamal import Ciphertext
from grassroots.seal.group import ORDER, Point, base_mul, random_scalar, scalar_hex
from grassroots.seal.verify import bundle_verify
from grassroots.seal.verify_shuffle import VerificationError
from tests.seal.helpers import honest_bundle


@pytest.fixture(scope="module")
def published() -> tuple[dict[str, Any], Any]:
    return honest_bundle()


@pytest.fixture
def bundle(published: tuple[dict[str, Any], Any]) -> dict[str, Any]:
    return copy.deepcopy(published[0])


def test_an_honest_bundle_passes_every_check(bundle: dict[str, Any]) -> None:
    report = bundle_verify(bundle)
    assert report.ballots == 5
    assert report.mixers == ["server", "trustee 1"]
    assert report.decrypting_trustees == [1, 3]  # trustee 2 absent
    assert report.elected == tuple(bundle["count"]["elected"])
    assert any(check.startswith("recount") for check in report.checks)
    assert len(report.checks) == 11


def test_the_bundle_reads_back_and_verifies_from_a_file(
    bundle: dict[str, Any], tmp_path: Path
) -> None:
    loaded = bundle_load(json.dumps(bundle))
    assert loaded.to_json() == bundle
    path = tmp_path / "bundle.json"
    path.write_text(loaded.dumps(), encoding="utf-8")
    assert bundle_verify(path).ballots == 5
    assert bundle_load(path).final_ballots == loaded.mixes[-1].ballots


def test_an_honest_bundle_without_mixes_passes(published: tuple[dict[str, Any], Any]) -> None:
    bundle, _ = honest_bundle(mixers=())
    assert bundle_verify(bundle).mixers == []


def _rejects(bundle: dict[str, Any], message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        bundle_verify(bundle)


def test_a_wrong_decryption_share_is_rejected(bundle: dict[str, Any]) -> None:
    share = bundle["decryption"]["shares"][1]
    assert share["trustee"] == 3
    factor = Point.from_hex(share["factors"][2][0])
    share["factors"][2][0] = (factor + base_mul(1)).hex()
    _rejects(
        bundle,
        "decryption share of trustee 3: ballot 2, chunk 0: the proof of decryption does not hold",
    )


def test_a_proof_whose_challenge_omits_the_statement_is_rejected(
    bundle: dict[str, Any], published: tuple[dict[str, Any], Any]
) -> None:
    """A decryption proof whose challenge hashes only its commitments (the weak Fiat–Shamir
    of Bernhard, Pereira and Warinschi) is a valid proof by that weak rule, and refused."""
    secret = published[1].secrets[0]
    share = bundle["decryption"]["shares"][0]
    assert share["trustee"] == 1
    a = Point.from_hex(bundle["mixes"][-1]["ballots"][0][0]["a"])
    nonce = random_scalar()
    first, second = base_mul(nonce), a * nonce
    weak = hashing.challenge("grassroots-decryption", first, second)
    response = (nonce + weak * secret.share) % ORDER
    # It holds by the weak rule: the commitments recomputed from it hash to its challenge.
    key = base_mul(secret.share)
    factor = Point.from_hex(share["factors"][0][0])
    assert base_mul(response) - key * weak == first
    assert a * response - factor * weak == second
    share["proofs"][0][0] = {"challenge": scalar_hex(weak), "response": scalar_hex(response)}
    _rejects(
        bundle,
        "decryption share of trustee 1: ballot 0, chunk 0: the proof of decryption does not hold",
    )


def test_a_deal_proof_whose_challenge_omits_the_statement_is_rejected(
    bundle: dict[str, Any],
) -> None:
    """The same for a dealer's proof of knowledge, made by one who knows a_0."""
    secret_coefficient = random_scalar()
    deal = bundle["deals"][0]
    nonce = random_scalar()
    commitment = base_mul(nonce)
    weak = hashing.challenge("grassroots-deal", commitment)
    deal["proof"] = {
        "challenge": scalar_hex(weak),
        "response": scalar_hex(nonce + weak * secret_coefficient),
    }
    deal["commitments"][0] = base_mul(secret_coefficient).hex()
    _rejects(bundle, "deal of trustee 1: the proof of knowledge of its secret does not hold")


def test_a_blt_that_differs_by_one_ballot_is_rejected(bundle: dict[str, Any]) -> None:
    lines = bundle["count"]["blt"].splitlines()
    weight, rest = lines[1].split(" ", 1)
    lines[1] = f"{int(weight) + 1} {rest}"
    bundle["count"]["blt"] = "\n".join(lines) + "\n"
    _rejects(bundle, "count: the BLT is not the decrypted ballots: the BLT has 1 more of ranking")


def test_a_blt_missing_one_ballot_is_rejected(bundle: dict[str, Any]) -> None:
    lines = bundle["count"]["blt"].splitlines()
    first = next(i for i, line in enumerate(lines[1:], start=1) if line.startswith("1 "))
    del lines[first]
    bundle["count"]["blt"] = "\n".join(lines) + "\n"
    _rejects(bundle, "count: the BLT is not the decrypted ballots: the decryption has 1 more")


def test_a_board_whose_digest_does_not_match_is_rejected(bundle: dict[str, Any]) -> None:
    bundle["board"]["digest"] = "00" + bundle["board"]["digest"][2:]
    _rejects(bundle, "board: its digest is not the hash of its ballots")


def test_a_board_with_a_ballot_replaced_is_rejected(bundle: dict[str, Any]) -> None:
    pk = Point.from_hex(bundle["election"]["public_key"])
    first = Ciphertext.from_json(bundle["board"]["ballots"][0][0])
    bundle["board"]["ballots"][0][0] = first.reencrypted(pk, random_scalar()).to_json()
    _rejects(bundle, "board: its digest is not the hash of its ballots")


def test_a_wrong_stated_result_is_rejected(bundle: dict[str, Any]) -> None:
    bundle["count"]["elected"] = list(reversed(bundle["count"]["elected"]))
    _rejects(bundle, "count: the recount elects")


def test_fewer_than_the_threshold_of_shares_is_rejected(bundle: dict[str, Any]) -> None:
    del bundle["decryption"]["shares"][0]
    _rejects(bundle, "decryption: 1 trustees' shares, decrypting needs 2")


def test_a_confirmation_with_another_key_is_rejected(bundle: dict[str, Any]) -> None:
    bundle["confirmations"][1]["verification_key"] = base_mul(5).hex()
    _rejects(bundle, "confirmation of trustee 2: its key is not the trustee's verification key")


def test_an_election_key_not_from_the_deals_is_rejected(bundle: dict[str, Any]) -> None:
    bundle["election"]["public_key"] = base_mul(5).hex()
    _rejects(bundle, "election key: not the sum of the deals' constant commitments")


def _swap(ballots: list[Any]) -> None:
    ballots[0], ballots[1] = ballots[1], ballots[0]


def _drop(ballots: list[Any]) -> None:
    del ballots[2]


def _duplicate(ballots: list[Any]) -> None:
    ballots[3] = copy.deepcopy(ballots[4])


def _alter(ballots: list[Any]) -> None:
    ballots[1][0]["b"] = (Point.from_hex(ballots[1][0]["b"]) + base_mul(1)).hex()


@pytest.mark.parametrize("tamper", [_swap, _drop, _duplicate, _alter])
@pytest.mark.parametrize("mix", [0, 1])
def test_a_tampered_shuffle_is_rejected(
    bundle: dict[str, Any], tamper: Callable[[list[Any]], None], mix: int
) -> None:
    """Tampering with a mix's output list breaks that mix's proof of shuffle."""
    tamper(bundle["mixes"][mix]["ballots"])
    mixer = bundle["mixes"][mix]["mixer"]
    _rejects(bundle, f"shuffle by {mixer}")


def test_a_malformed_bundle_names_the_field_and_ballot(bundle: dict[str, Any]) -> None:
    bundle["board"]["ballots"][3][0]["a"] = "zz"
    _rejects(bundle, "board: ballot 3: not a hexadecimal group element")
    del bundle["board"]
    _rejects(bundle, "bundle: the field 'board' is missing")


def test_worker_processes_check_the_decryption_alike(bundle: dict[str, Any]) -> None:
    """Large bundles check decryption proofs in worker processes: same verdicts, same names."""
    report = bundle_verify(bundle, workers=2)
    assert report.decrypting_trustees == [1, 3]
    assert report.checks == bundle_verify(bundle, workers=0).checks
    share = bundle["decryption"]["shares"][0]
    factor = Point.from_hex(share["factors"][4][0])
    share["factors"][4][0] = (factor + base_mul(1)).hex()
    with pytest.raises(VerificationError, match="trustee 1: ballot 4, chunk 0"):
        bundle_verify(bundle, workers=2)
