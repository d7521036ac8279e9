"""The shuffle's test vectors: a fixed election, fixed ballots and a replayed randomness, so
the same proof comes out byte for byte every time.

    .venv/bin/python -m tests.seal.shuffle_vectors    # (re)write tests/seal/vectors/shuffle-*.json

Run once; the files are checked in, and tests/seal/test_shuffle_vectors.py recomputes them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from grassroots.seal.context import ElectionContext
from grassroots.seal.elgamal import SealedBallot, ballot_to_json, encrypt
from grassroots.seal.group import ORDER, Point, base_mul, scalar_hex
from grassroots.seal.shuffle import _shuffle_prove

VECTORS = Path(__file__).parent / "vectors"
# name: (ballots, width)
SHAPES = {"shuffle-w1": (5, 1), "shuffle-w3": (4, 3)}


class ReplayedRandomness:
    """A fixed sequence standing in for the operating system's randomness: SHA-512 of a seed
    and a counter. For test vectors only."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        raw = hashlib.sha512(f"{self.seed}|{self.counter}".encode()).digest()
        return int.from_bytes(raw, "little")

    def scalar(self) -> int:
        while True:
            value = self._next() % ORDER
            if value:
                return value

    def below(self, bound: int) -> int:
        return self._next() % bound


def election_make(name: str, width: int, public_key: Point) -> ElectionContext:
    """An election of one trustee, which is all a shuffle needs."""
    return ElectionContext(name, 1, 1, width, public_key, (public_key,))


def vector_make(name: str) -> dict[str, Any]:
    """The vector ``name`` computed afresh, as the JSON object stored for it."""
    count, width = SHAPES[name]
    randomness = ReplayedRandomness(f"grassroots test vector {name}")
    secret_key = randomness.scalar()
    election = election_make(name, width, base_mul(secret_key))
    inputs: list[SealedBallot] = [
        tuple(
            encrypt(election.public_key, base_mul(100 * i + k + 1), randomness.scalar())
            for k in range(width)
        )
        for i in range(count)
    ]
    outputs, proof = _shuffle_prove(election, inputs, "test mixer", randomness=randomness)
    return {
        "about": (
            f"A shuffle of {count} ballots of {width} ciphertext(s) with its proof; the "
            "randomness is SHA-512 of the seed and a counter (tests/seal/shuffle_vectors.py)."
        ),
        "election": election.to_json(),
        "fingerprint": election.fingerprint().hex(),
        "secret_key": scalar_hex(secret_key),
        "mixer": "test mixer",
        "inputs": [ballot_to_json(ballot) for ballot in inputs],
        "outputs": [ballot_to_json(ballot) for ballot in outputs],
        "proof": proof.to_json(),
    }


def vector_text(vector: dict[str, Any]) -> str:
    return json.dumps(vector, indent=1) + "\n"


def main() -> None:
    VECTORS.mkdir(exist_ok=True)
    for name in SHAPES:
        (VECTORS / f"{name}.json").write_text(vector_text(vector_make(name)))


if __name__ == "__main__":
    main()
