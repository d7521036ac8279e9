"""The published bundle: everything anyone needs to check a sealed ballot, in one JSON file.

Layout (``format`` ``grassroots-sealed-ballots``, ``version`` 1)::

    election       the election context (seal.context)
    setup          the election id, threshold and trustees' box keys
    deals          each trustee's deal (commitments, proof, sealed shares)
    confirmations  each trustee's verification key and proof
    board          {"digest": hex, "ballots": [[{"a", "b"}, ...], ...]}: the cast ballots'
                   ciphertexts in the order frozen at the close, and their digest
    mixes          [{"mixer", "ballots", "proof"}, ...] in order; each mix's input is the
                   previous list (the first's is the board)
    decryption     {"shares": [...]}: at least k trustees' partial decryptions of the last list
    count          {"options", "rule", "seed", "quotas", "categories", "blt", "elected"}:
                   the option names in ballot order, the count's rule and parameters, the BLT
                   of the decrypted ballots and who was elected

``seal.verify`` reads this file on its own (it imports none of this module).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grassroots.seal.context import ContextError, ElectionContext, board_digest
from grassroots.seal.decryption import DecryptionError, DecryptionShare
from grassroots.seal.elgamal import SealedBallot, ballot_from_json, ballot_to_json
from grassroots.seal.group import GroupError
from grassroots.seal.trustee import Confirmation, Deal, Setup, TrusteeError

FORMAT = "grassroots-sealed-ballots"
VERSION = 1


class BundleError(ValueError):
    """A bundle cannot be read or made; the message names the field (and ballot index)."""


@dataclass(frozen=True)
class Mix:
    """One mixer's shuffle: who, the list it produced, and its proof (as published)."""

    mixer: str
    ballots: list[SealedBallot]
    proof: dict[str, Any]


@dataclass(frozen=True)
class CountRecord:
    """What a recount needs: the options in ballot order, the rule and its parameters, the
    BLT of the decrypted ballots, and the elected as the count stated them."""

    options: tuple[str, ...]
    rule: str
    blt: str
    elected: tuple[str, ...]
    seed: int = 0
    quotas: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    categories: Mapping[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "options": list(self.options),
            "rule": self.rule,
            "seed": self.seed,
            "quotas": {name: dict(limit) for name, limit in self.quotas.items()},
            "categories": None if self.categories is None else dict(self.categories),
            "blt": self.blt,
            "elected": list(self.elected),
        }


@dataclass(frozen=True)
class Bundle:
    context: ElectionContext
    setup: Setup
    deals: list[Deal]
    confirmations: list[Confirmation]
    board: list[SealedBallot]
    board_digest: str
    mixes: list[Mix]
    shares: list[DecryptionShare]
    count: CountRecord

    @property
    def final_ballots(self) -> list[SealedBallot]:
        """The list the trustees decrypt: the last mix's output (the board if none)."""
        return self.mixes[-1].ballots if self.mixes else self.board

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "election": self.context.to_json(),
            "setup": self.setup.to_json(),
            "deals": [deal.to_json() for deal in self.deals],
            "confirmations": [confirmation.to_json() for confirmation in self.confirmations],
            "board": {
                "digest": self.board_digest,
                "ballots": [ballot_to_json(ballot) for ballot in self.board],
            },
            "mixes": [
                {
                    "mixer": mix.mixer,
                    "ballots": [ballot_to_json(ballot) for ballot in mix.ballots],
                    "proof": mix.proof,
                }
                for mix in self.mixes
            ],
            "decryption": {"shares": [share.to_json() for share in self.shares]},
            "count": self.count.to_json(),
        }

    def dumps(self) -> str:
        """The bundle's text, as published (one line per top-level field is not needed:
        compact JSON keeps 100,000 ballots small)."""
        return json.dumps(self.to_json(), separators=(",", ":"))


def bundle_make(
    *,
    context: ElectionContext,
    setup: Setup,
    deals: Sequence[Deal],
    confirmations: Sequence[Confirmation],
    board: Sequence[SealedBallot],
    mixes: Sequence[Mix],
    shares: Sequence[DecryptionShare],
    count: CountRecord,
) -> Bundle:
    """Assemble the bundle; the board's digest is computed here (it is what was published
    at the close, so the caller may compare)."""
    return Bundle(
        context=context,
        setup=setup,
        deals=list(deals),
        confirmations=list(confirmations),
        board=[tuple(ballot) for ballot in board],
        board_digest=board_digest(board),
        mixes=list(mixes),
        shares=list(shares),
        count=count,
    )


def ballots_blt(
    options: Sequence[str],
    seats: int,
    decrypted: Sequence[tuple[Sequence[int], int]],
    *,
    title: str = "",
    withdrawn: Sequence[int] = (),
) -> str:
    """The BLT text of decrypted ballots (rankings of 1-based option numbers, weights), for
    the bundle's ``count.blt`` and the count; ``withdrawn`` are 1-based option numbers."""
    from grassroots.count import Profile
    from grassroots.count.formats.blt import format_blt

    profile = Profile.from_rankings(
        list(options),
        seats,
        [[option - 1 for option in ranking] for ranking, _ in decrypted],
        [weight for _, weight in decrypted],
        withdrawn=[option - 1 for option in withdrawn],
        title=title,
    )
    return format_blt(profile)


def _field(data: Mapping[str, Any], name: str, where: str = "bundle") -> Any:
    if name not in data:
        raise BundleError(f"{where}: the field {name!r} is missing")
    return data[name]


def _ballots(data: Any, width: int, where: str) -> list[SealedBallot]:
    if not isinstance(data, list):
        raise BundleError(f"{where}: ballots is not a list")
    ballots = []
    for index, item in enumerate(data):
        try:
            ballots.append(ballot_from_json(item, width))
        except GroupError as err:
            raise BundleError(f"{where}: ballot {index}: {err}") from err
    return ballots


def bundle_load(source: str | Path | Mapping[str, Any]) -> Bundle:
    """Read a bundle from a path, its JSON text or its parsed JSON.

    Raises:
        BundleError: naming the field, and the ballot index, of the first problem.
    """
    if isinstance(source, Mapping):
        data: Any = source
    else:
        text = source if isinstance(source, str) and source.lstrip().startswith("{") else None
        if text is None:
            try:
                text = Path(source).read_text(encoding="utf-8")
            except OSError as err:
                raise BundleError(f"cannot read the bundle {source}: {err.strerror}") from err
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise BundleError(
                f"the bundle is not JSON: line {err.lineno}, column {err.colno}: {err.msg}"
            ) from err
    if not isinstance(data, Mapping):
        raise BundleError("the bundle is not a JSON object")
    if _field(data, "format") != FORMAT:
        raise BundleError(f"format: expected {FORMAT!r}, got {data['format']!r}")
    if _field(data, "version") != VERSION:
        raise BundleError(f"version: this reader knows version {VERSION}, not {data['version']!r}")
    try:
        context = ElectionContext.from_json(_field(data, "election"))
        setup = Setup.from_json(_field(data, "setup"))
        deals = [Deal.from_json(item) for item in _list(data, "deals")]
        confirmations = [Confirmation.from_json(item) for item in _list(data, "confirmations")]
        shares = [
            DecryptionShare.from_json(item)
            for item in _list(_field(data, "decryption"), "shares", "decryption")
        ]
    except (ContextError, TrusteeError, DecryptionError) as err:
        raise BundleError(str(err)) from err
    board = _field(data, "board")
    if not isinstance(board, Mapping):
        raise BundleError("board: expected a JSON object")
    digest = _field(board, "digest", "board")
    if not isinstance(digest, str):
        raise BundleError("board: digest is not a string")
    mixes = []
    for position, item in enumerate(_list(data, "mixes"), start=1):
        where = f"mix {position}"
        if not isinstance(item, Mapping):
            raise BundleError(f"{where}: expected a JSON object")
        mixer, proof = _field(item, "mixer", where), _field(item, "proof", where)
        if not isinstance(mixer, str) or not isinstance(proof, dict):
            raise BundleError(f"{where}: mixer is a string and proof an object")
        ballots = _ballots(_field(item, "ballots", where), context.width, where)
        mixes.append(Mix(mixer, ballots, proof))
    return Bundle(
        context=context,
        setup=setup,
        deals=deals,
        confirmations=confirmations,
        board=_ballots(_field(board, "ballots", "board"), context.width, "board"),
        board_digest=digest,
        mixes=mixes,
        shares=shares,
        count=_count(_field(data, "count")),
    )


def _list(data: Any, name: str, where: str = "bundle") -> list[Any]:
    value = _field(data, name, where)
    if not isinstance(value, list):
        raise BundleError(f"{where}: {name} is not a list")
    return value


def _count(data: Any) -> CountRecord:
    if not isinstance(data, Mapping):
        raise BundleError("count: expected a JSON object")
    options = _list(data, "options", "count")
    elected = _list(data, "elected", "count")
    if not all(isinstance(name, str) for name in [*options, *elected]):
        raise BundleError("count: options and elected are lists of names")
    rule, blt = _field(data, "rule", "count"), _field(data, "blt", "count")
    seed = data.get("seed", 0)
    if not isinstance(rule, str) or not isinstance(blt, str) or not isinstance(seed, int):
        raise BundleError("count: rule and blt are strings, seed a whole number")
    quotas = data.get("quotas") or {}
    categories = data.get("categories")
    if not isinstance(quotas, Mapping) or not (
        categories is None or isinstance(categories, Mapping)
    ):
        raise BundleError("count: quotas and categories are JSON objects")
    return CountRecord(
        options=tuple(options),
        rule=rule,
        blt=blt,
        elected=tuple(elected),
        seed=seed,
        quotas=quotas,
        categories=categories,
    )
