"""Test vectors for the encoding, the key ceremony and decryption: fixed keys and scalars, so
the same values come out every time.

    .venv/bin/python -m tests.seal.seal_vectors

writes tests/seal/vectors/{encoding,dkg,decryption}.json.

Run once; the files are checked in, and tests/seal/test_seal_vectors.py recomputes every value
from the inputs the files hold. A sealed box's ephemeral key comes from libsodium's own
randomness, so the sealed shares are inputs here (kept as first made): the deal's proof,
which hashes them, is recomputed over them, and each is opened with its recipient's fixed key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from grassroots.seal.elgamal import ballot_to_json, encrypt
from grassroots.seal.encoding import ballot_encode
from grassroots.seal.group import ORDER, scalar_hex

VECTORS = Path(__file__).parent / "vectors"

ENCODING_CASES = [
    ([1], 1, 1),
    ([3, 1, 2], 1, 1),
    (list(range(20, 11, -1)), 1, 1),
    (list(range(1, 27)), 1, 1),
    ([5, 4], 300, 1),
    (list(range(40, 0, -1)), 2**63 - 1, 2),
]
RANKINGS = [([1, 2, 3], 1), ([3], 2), ([2, 1], 1)]


def fixed_scalars(seed: str) -> Iterator[int]:
    """SHA-512 of a seed and a counter, reduced: stands in for the OS's randomness."""
    counter = 0
    while True:
        counter += 1
        raw = hashlib.sha512(f"grassroots-vectors|{seed}|{counter}".encode()).digest()
        yield int.from_bytes(raw, "little") % ORDER or 1


def recorder(seed: str) -> tuple[Callable[[], int], list[int]]:
    """A scalar source and the list of what it gave."""
    source = fixed_scalars(seed)
    given: list[int] = []

    def draw() -> int:
        given.append(next(source))
        return given[-1]

    return draw, given


def box_secret_key(index: int) -> bytes:
    return hashlib.sha256(f"grassroots-vectors|box|{index}".encode()).digest()


def encoding_vectors() -> dict[str, Any]:
    return {
        "cases": [
            {
                "ranking": ranking,
                "weight": weight,
                "width": width,
                "points": [point.hex() for point in ballot_encode(ranking, weight, width)],
            }
            for ranking, weight, width in ENCODING_CASES
        ]
    }


def dkg_vectors() -> dict[str, Any]:
    from grassroots.seal.trustee import (
        Setup,
        context_make,
        deal_make,
        deals_check,
        trustee_keys_make,
    )

    election_id = "vectors-2026"
    pairs = [
        trustee_keys_make(election_id, index, box_secret_key=box_secret_key(index))
        for index in (1, 2, 3)
    ]
    setup = Setup(election_id, 2, tuple(public for _, public in pairs))
    deals, deal_records = [], []
    for secret, _ in pairs:
        draw, given = recorder(f"deal|{secret.index}")
        deal = deal_make(secret, setup, scalars=draw)
        deals.append(deal)
        deal_records.append(
            {
                "dealer": secret.index,
                "coefficients": [scalar_hex(s) for s in given[: setup.threshold]],
                "nonce": scalar_hex(given[setup.threshold]),
                "deal": deal.to_json(),
            }
        )
    confirmations, confirmation_records = [], []
    for secret, _ in pairs:
        draw, given = recorder(f"confirm|{secret.index}")
        confirmation = deals_check(secret, setup, deals, scalars=draw)
        confirmations.append(confirmation)
        confirmation_records.append(
            {
                "index": secret.index,
                "nonce": scalar_hex(given[0]),
                "share": scalar_hex(secret.share or 0),
                "confirmation": confirmation.to_json(),
            }
        )
    context = context_make(setup, deals, confirmations, 1)
    return {
        "setup": setup.to_json(),
        "box_secret_keys": [box_secret_key(index).hex() for index in (1, 2, 3)],
        "deals": deal_records,
        "confirmations": confirmation_records,
        "election": context.to_json(),
    }


def decryption_vectors(dkg: dict[str, Any]) -> dict[str, Any]:
    from grassroots.seal.context import ElectionContext
    from grassroots.seal.decryption import decryption_share_make, plaintexts_combine
    from grassroots.seal.trustee import TrusteeSecret

    context = ElectionContext.from_json(dkg["election"])
    draw, _ = recorder("ballots")
    ballots, ballot_records = [], []
    for ranking, weight in RANKINGS:
        points = ballot_encode(ranking, weight, context.width)
        randomness = [draw() for _ in points]
        ballot = tuple(
            encrypt(context.public_key, point, r)
            for point, r in zip(points, randomness, strict=True)
        )
        ballots.append(ballot)
        ballot_records.append(
            {
                "ranking": ranking,
                "weight": weight,
                "randomness": [scalar_hex(r) for r in randomness],
                "ciphertexts": ballot_to_json(ballot),
            }
        )
    shares, share_records = [], []
    for index in (1, 3):
        record = dkg["confirmations"][index - 1]
        secret = TrusteeSecret(
            context.election_id,
            index,
            bytes.fromhex(dkg["box_secret_keys"][index - 1]),
            int(record["share"], 16),
        )
        draw, given = recorder(f"decrypt|{index}")
        share = decryption_share_make(secret, context, ballots, scalars=draw)
        shares.append(share)
        share_records.append(
            {"trustee": index, "nonces": [scalar_hex(s) for s in given], "share": share.to_json()}
        )
    plaintexts = plaintexts_combine(context, ballots, shares)
    return {
        "election": context.to_json(),
        "ballots": ballot_records,
        "shares": share_records,
        "plaintexts": [[point.hex() for point in row] for row in plaintexts],
    }


def main() -> None:
    VECTORS.mkdir(exist_ok=True)
    dkg = dkg_vectors()
    for name, data in (
        ("encoding", encoding_vectors()),
        ("dkg", dkg),
        ("decryption", decryption_vectors(dkg)),
    ):
        (VECTORS / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {VECTORS / name}.json")


if __name__ == "__main__":
    main()
