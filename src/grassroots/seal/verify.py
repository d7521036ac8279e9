"""Check a published bundle from its own data alone (``grassroots ballots verify BUNDLE``).

Written apart from the prover: this module imports only the group, the hashing, the
ciphertexts, the encoding, the election context and the counting engine, and the shuffle
check (itself written apart from the mixer). It reads the bundle's JSON itself and
recomputes every Fiat–Shamir challenge from the whole statement, so a bug in the prover's
code cannot hide in code the check shares with it. The checks, in order:

1. the bundle's form, the election context and the setup;
2. every deal's proof of knowledge of its secret, and that the election's key and each
   trustee's verification key are the ones the deals' commitments give;
3. every trustee's confirmation (its key and its proof);
4. the board: its digest is the hash of its ballots;
5. every mix's proof of shuffle, each from the list before it;
6. every decryption share's proofs against the last list, at least ``k`` trustees;
7. the plaintexts, combined from ``k`` shares and decoded, are exactly the BLT's ballots
   (as a multiset of rankings, weights included) with the options as its candidates;
8. a recount of the BLT by the stated rule elects the stated candidates.

The first failure raises ``VerificationError`` saying which check failed and where.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grassroots.seal import hashing
from grassroots.seal.context import ContextError, ElectionContext
from grassroots.seal.elgamal import Ciphertext, SealedBallot, ballot_from_json
from grassroots.seal.encoding import EncodingError, ballot_decode
from grassroots.seal.group import (
    ORDER,
    GroupError,
    Point,
    base_mul,
    point_sum,
    scalar_from_hex,
)
from grassroots.seal.verify_shuffle import VerificationError, shuffle_check

FORMAT = "grassroots-sealed-ballots"
VERSION = 1

Progress = Callable[[str], None]


@dataclass
class Report:
    """What the verifier checked and found, for the summary the command prints."""

    election_id: str = ""
    threshold: int = 0
    trustee_count: int = 0
    ballots: int = 0
    mixers: list[str] = field(default_factory=list)
    decrypting_trustees: list[int] = field(default_factory=list)
    elected: tuple[str, ...] = ()
    rule: str = ""
    board_digest: str = ""
    checks: list[str] = field(default_factory=list)


def _fail(message: str) -> VerificationError:
    return VerificationError(message)


def _get(data: Any, name: str, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise _fail(f"{where}: expected a JSON object")
    if name not in data:
        raise _fail(f"{where}: the field {name!r} is missing")
    return data[name]


def _list(data: Any, name: str, where: str) -> list[Any]:
    value = _get(data, name, where)
    if not isinstance(value, list):
        raise _fail(f"{where}: {name} is not a list")
    return value


def _int(data: Any, name: str, where: str) -> int:
    value = _get(data, name, where)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(f"{where}: {name} is not a whole number")
    return value


def _point(text: Any, where: str) -> Point:
    try:
        return Point.from_hex(text)
    except GroupError as err:
        raise _fail(f"{where}: {err}") from err


def _scalar(text: Any, where: str) -> int:
    try:
        return scalar_from_hex(text)
    except GroupError as err:
        raise _fail(f"{where}: {err}") from err


def _bytes(text: Any, where: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except (TypeError, ValueError) as err:
        raise _fail(f"{where}: not hexadecimal") from err


def _proof(data: Any, where: str) -> tuple[int, int]:
    return (
        _scalar(_get(data, "challenge", where), f"{where}: challenge"),
        _scalar(_get(data, "response", where), f"{where}: response"),
    )


def _ballots(data: Any, width: int, where: str) -> list[SealedBallot]:
    if not isinstance(data, list):
        raise _fail(f"{where}: the ballots are not a list")
    ballots = []
    for index, item in enumerate(data):
        try:
            ballots.append(ballot_from_json(item, width))
        except GroupError as err:
            raise _fail(f"{where}: ballot {index}: {err}") from err
    return ballots


def _list_digest(ballots: Sequence[Sequence[Ciphertext]]) -> bytes:
    return hashing.digest(
        "grassroots-ballot-list", [[[c.a, c.b] for c in ballot] for ballot in ballots]
    )


def _schnorr_holds(
    proof: tuple[int, int], public: Point, domain: str, statement: list[hashing.Hashable]
) -> bool:
    """``c == H(statement, public, s·G - c·public)``: the challenge recomputed in full."""
    challenge, response = proof
    commitment = base_mul(response) - public * challenge
    return challenge == hashing.challenge(domain, *statement, public, commitment)


def _horner(commitments: Sequence[Point], at: int) -> Point:
    return point_sum(point * pow(at, power, ORDER) for power, point in enumerate(commitments))


def _keys_check(data: Mapping[str, Any], context: ElectionContext, report: Report) -> None:
    setup = _get(data, "setup", "bundle")
    if _get(setup, "election_id", "setup") != context.election_id:
        raise _fail("setup: its election_id is not the election context's")
    threshold = _int(setup, "threshold", "setup")
    if threshold != context.threshold:
        raise _fail(f"setup: threshold {threshold}, the election context says {context.threshold}")
    trustees = _list(setup, "trustees", "setup")
    if len(trustees) != context.trustee_count:
        raise _fail(
            f"setup: {len(trustees)} trustees, the election context says {context.trustee_count}"
        )
    box_keys: list[hashing.Hashable] = []
    for position, trustee in enumerate(trustees, start=1):
        where = f"setup: trustee {position}"
        if _int(trustee, "index", where) != position:
            raise _fail(f"{where}: trustees are listed 1..n in order")
        box_key = _bytes(_get(trustee, "box_public_key", where), f"{where}: box_public_key")
        if len(box_key) != 32:
            raise _fail(f"{where}: a box key is 32 bytes")
        box_keys.append([position, box_key])
    setup_digest = hashing.digest("grassroots-setup", context.election_id, threshold, box_keys)
    report.checks.append(f"setup: {len(trustees)} trustees, threshold {threshold}")

    deals_data = _list(data, "deals", "bundle")
    dealers: dict[int, list[Point]] = {}
    for deal in deals_data:
        dealer = _int(deal, "dealer", "deal")
        where = f"deal of trustee {dealer}"
        if not 1 <= dealer <= context.trustee_count or dealer in dealers:
            raise _fail(f"{where}: no such trustee, or a second deal")
        commitments = [
            _point(text, f"{where}: commitment {power}")
            for power, text in enumerate(_list(deal, "commitments", where))
        ]
        if len(commitments) != threshold:
            raise _fail(f"{where}: {len(commitments)} commitments for a threshold of {threshold}")
        shares = _list(deal, "shares", where)
        if len(shares) != context.trustee_count:
            raise _fail(
                f"{where}: {len(shares)} sealed shares for {context.trustee_count} trustees"
            )
        sealed = []
        for recipient, item in enumerate(shares, start=1):
            if _int(item, "recipient", f"{where}: share {recipient}") != recipient:
                raise _fail(f"{where}: share {recipient} is addressed out of order")
            sealed.append(_bytes(_get(item, "sealed", where), f"{where}: share {recipient}"))
        statement: list[hashing.Hashable] = [setup_digest, dealer, commitments, sealed]
        proof = _proof(_get(deal, "proof", where), f"{where}: proof")
        if commitments[0].is_identity() or not _schnorr_holds(
            proof, commitments[0], "grassroots-deal", statement
        ):
            raise _fail(f"{where}: the proof of knowledge of its secret does not hold")
        dealers[dealer] = commitments
    missing = [j for j in range(1, context.trustee_count + 1) if j not in dealers]
    if missing:
        raise _fail(f"deals: none from trustee(s) {', '.join(map(str, missing))}")
    report.checks.append(f"deals: {len(dealers)} proofs of knowledge hold")

    ordered = [dealers[j] for j in sorted(dealers)]
    if point_sum(commitments[0] for commitments in ordered) != context.public_key:
        raise _fail("election key: not the sum of the deals' constant commitments")
    for j in range(1, context.trustee_count + 1):
        if point_sum(_horner(c, j) for c in ordered) != context.verification_keys[j - 1]:
            raise _fail(f"verification key of trustee {j}: not the one the deals give")
    report.checks.append("election key and verification keys: the ones the deals give")

    deals_digest = hashing.digest("grassroots-deals", [[j, dealers[j]] for j in sorted(dealers)])
    confirmed = set()
    for confirmation in _list(data, "confirmations", "bundle"):
        index = _int(confirmation, "index", "confirmation")
        where = f"confirmation of trustee {index}"
        if not 1 <= index <= context.trustee_count or index in confirmed:
            raise _fail(f"{where}: no such trustee, or a second confirmation")
        key = _point(_get(confirmation, "verification_key", where), f"{where}: verification_key")
        if key != context.verification_keys[index - 1]:
            raise _fail(f"{where}: its key is not the trustee's verification key")
        proof = _proof(_get(confirmation, "proof", where), f"{where}: proof")
        statement = [setup_digest, deals_digest, index]
        if not _schnorr_holds(proof, key, "grassroots-confirmation", statement):
            raise _fail(f"{where}: the proof of knowledge of the share does not hold")
        confirmed.add(index)
    missing = [j for j in range(1, context.trustee_count + 1) if j not in confirmed]
    if missing:
        raise _fail(f"confirmations: none from trustee(s) {', '.join(map(str, missing))}")
    report.checks.append(f"confirmations: {len(confirmed)} trustees confirmed their shares")


def _shares_form(
    context: ElectionContext, digest: bytes, count: int, shares_data: list[Any]
) -> list[tuple[int, list[Any], list[Any]]]:
    """Each share's trustee, factor rows and proof rows, after checking their form: a
    trustee of this election, once each, of this list (by digest), one row per ballot."""
    shares: list[tuple[int, list[Any], list[Any]]] = []
    for share in shares_data:
        trustee = _int(share, "trustee", "decryption share")
        where = f"decryption share of trustee {trustee}"
        if not 1 <= trustee <= context.trustee_count or trustee in [t for t, _, _ in shares]:
            raise _fail(f"{where}: no such trustee, or a second share")
        if _bytes(_get(share, "list_digest", where), f"{where}: list_digest") != digest:
            raise _fail(f"{where}: it decrypts another list than the last one (digest differs)")
        factors = _list(share, "factors", where)
        proofs = _list(share, "proofs", where)
        if len(factors) != count or len(proofs) != count:
            raise _fail(f"{where}: not one row of factors and proofs per ballot")
        shares.append((trustee, factors, proofs))
    if len(shares) < context.threshold:
        raise _fail(
            f"decryption: {len(shares)} trustees' shares, decrypting needs {context.threshold}"
        )
    return sorted(shares, key=lambda share: share[0])


def _slice_decrypt(
    context_json: dict[str, Any],
    ballots_json: list[Any],
    offset: int,
    digest: bytes,
    shares: list[tuple[int, list[Any], list[Any]]],
    *,
    option_count: int,
) -> Counter[tuple[int, ...]]:
    """Check every decryption proof for ballots ``offset..`` and decode their plaintexts,
    combined from the first ``k`` shares: total weight by ranking (1-based options). A
    module-level function so that a worker process can run it on its part of the list."""
    context = ElectionContext.from_json(context_json)
    fingerprint = context.fingerprint()
    ballots = _ballots(ballots_json, context.width, "the last list")
    factors_by_trustee: dict[int, list[list[Point]]] = {}
    for trustee, factors, proofs in shares:
        where = f"decryption share of trustee {trustee}"
        key = context.verification_keys[trustee - 1]
        rows = []
        for position, ballot in enumerate(ballots):
            index = offset + position
            at = f"{where}: ballot {index}"
            if not isinstance(factors[position], list) or not isinstance(proofs[position], list):
                raise _fail(f"{at}: factors and proofs are lists")
            if len(factors[position]) != len(ballot) or len(proofs[position]) != len(ballot):
                raise _fail(f"{at}: not one factor and proof per ciphertext")
            row = []
            for chunk, ciphertext in enumerate(ballot):
                factor = _point(factors[position][chunk], f"{at}, chunk {chunk}")
                challenge, response = _proof(proofs[position][chunk], f"{at}, chunk {chunk}")
                first = base_mul(response) - key * challenge
                second = ciphertext.a * response - factor * challenge
                expected = hashing.challenge(
                    "grassroots-decryption",
                    fingerprint,
                    digest,
                    trustee,
                    index,
                    chunk,
                    key,
                    ciphertext.a,
                    factor,
                    first,
                    second,
                )
                if challenge != expected:
                    raise _fail(f"{at}, chunk {chunk}: the proof of decryption does not hold")
                row.append(factor)
            rows.append(row)
        factors_by_trustee[trustee] = rows

    chosen = sorted(factors_by_trustee)[: context.threshold]
    weights = {}
    for j in chosen:
        numerator, denominator = 1, 1
        for m in chosen:
            if m != j:
                numerator = numerator * m % ORDER
                denominator = denominator * (m - j) % ORDER
        weights[j] = numerator * pow(denominator, -1, ORDER) % ORDER
    totals: Counter[tuple[int, ...]] = Counter()
    for position, ballot in enumerate(ballots):
        points = [
            ciphertext.b
            - point_sum(factors_by_trustee[j][position][chunk] * weights[j] for j in chosen)
            for chunk, ciphertext in enumerate(ballot)
        ]
        try:
            ranking, weight = ballot_decode(points, option_count)
        except EncodingError as err:
            raise _fail(f"decrypted ballot {offset + position}: {err}") from err
        totals[tuple(ranking)] += weight
    return totals


def _count_check(count_data: Any, decrypted: Counter[tuple[int, ...]], report: Report) -> None:
    from grassroots.count import CountError, Quotas
    from grassroots.count import count as run_count
    from grassroots.count.formats.blt import parse_blt

    options = _list(count_data, "options", "count")
    blt = _get(count_data, "blt", "count")
    if not isinstance(blt, str):
        raise _fail("count: blt is not a string")
    try:
        profile = parse_blt(blt, path="count.blt")
    except CountError as err:
        raise _fail(f"count: the BLT does not read: {err}") from err
    if list(profile.candidates) != options:
        raise _fail("count: the BLT's candidates are not the ballot's options in order")
    stated: Counter[tuple[int, ...]] = Counter()
    for ranking, weight in profile.ballots():
        stated[tuple(option + 1 for option in ranking)] += weight
    stated = +stated
    if stated != decrypted:
        extra = stated - decrypted
        lacking = decrypted - stated
        detail = []
        if extra:
            ranking, weight = next(iter(extra.items()))
            detail.append(f"the BLT has {weight} more of ranking {list(ranking)}")
        if lacking:
            ranking, weight = next(iter(lacking.items()))
            detail.append(f"the decryption has {weight} more of ranking {list(ranking)}")
        raise _fail(f"count: the BLT is not the decrypted ballots: {'; '.join(detail)}")
    report.checks.append(
        f"BLT: exactly the {sum(decrypted.values())} decrypted ballots (weights included)"
    )

    rule = _get(count_data, "rule", "count")
    seed = count_data.get("seed", 0)
    categories = count_data.get("categories")
    quotas = count_data.get("quotas") or {}
    elected = _list(count_data, "elected", "count")
    try:
        if categories is not None:
            profile = profile.with_categories(categories)
        limits = Quotas.build(
            {name: limit.get("min", 0) for name, limit in quotas.items()},
            {name: limit["max"] for name, limit in quotas.items() if "max" in limit},
        )
        result = run_count(profile, rule=rule, quotas=limits, seed=seed)
    except (CountError, AttributeError, TypeError) as err:
        raise _fail(f"count: the recount cannot run: {err}") from err
    if list(result.elected) != list(elected):
        raise _fail(
            f"count: the recount elects {', '.join(result.elected)}; the bundle states "
            f"{', '.join(map(str, elected))}"
        )
    report.rule = rule
    report.elected = tuple(result.elected)
    report.checks.append(f"recount ({rule}): elects the stated {len(elected)} candidates")


def bundle_verify(
    bundle_json: str | Path | Mapping[str, Any],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Report:
    """Check a bundle (a path, its JSON text or its parsed JSON); return what was checked.

    ``workers`` processes check the decryption proofs while this one checks the shuffles
    (default: 2 from 2,000 ballots, else none).

    Raises:
        VerificationError: naming the first check that fails, and where.
    """
    say = progress or (lambda _step: None)
    data: Any
    if isinstance(bundle_json, Mapping):
        data = bundle_json
    else:
        if isinstance(bundle_json, str) and bundle_json.lstrip().startswith("{"):
            text = bundle_json
        else:
            try:
                text = Path(bundle_json).read_text(encoding="utf-8")
            except OSError as err:
                raise _fail(f"cannot read the bundle {bundle_json}: {err.strerror}") from err
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise _fail(f"the bundle is not JSON: line {err.lineno}: {err.msg}") from err
    if _get(data, "format", "bundle") != FORMAT or _get(data, "version", "bundle") != VERSION:
        raise _fail(f"bundle: not a {FORMAT} file of version {VERSION}")

    report = Report()
    try:
        context = ElectionContext.from_json(_get(data, "election", "bundle"))
    except ContextError as err:
        raise _fail(str(err)) from err
    report.election_id = context.election_id
    report.threshold = context.threshold
    report.trustee_count = context.trustee_count

    say("keys")
    _keys_check(data, context, report)

    say("board")
    board = _get(data, "board", "bundle")
    board_json = _get(board, "ballots", "board")
    ballots = _ballots(board_json, context.width, "board")
    digest = _list_digest(ballots).hex()
    if _get(board, "digest", "board") != digest:
        raise _fail("board: its digest is not the hash of its ballots")
    report.ballots = len(ballots)
    report.board_digest = digest
    report.checks.append(f"board: {len(ballots)} ballots, digest {digest[:16]}… matches")

    mixes = _list(data, "mixes", "bundle")
    lists = [ballots]
    final_json = board_json
    for position, mix in enumerate(mixes, start=1):
        where = f"mix {position}"
        final_json = _get(mix, "ballots", where)
        lists.append(_ballots(final_json, context.width, where))
    final = lists[-1]

    # The decryption proofs concern only the last list: they are checked in worker
    # processes while this one checks the shuffles.
    count_data = _get(data, "count", "bundle")
    option_count = len(_list(count_data, "options", "count"))
    final_digest = _list_digest(final)
    shares_data = _list(_get(data, "decryption", "bundle"), "shares", "decryption")
    form_error: VerificationError | None = None
    try:
        shares = _shares_form(context, final_digest, len(final), shares_data)
    except VerificationError as err:  # raised after the shuffles' checks, which come first
        shares, form_error = [], err
    if workers is None:
        workers = 2 if len(final) >= 2000 else 0
    parts = max(workers, 1)
    bounds = [len(final) * part // parts for part in range(parts + 1)]
    jobs = [
        (
            context.to_json(),
            final_json[lo:hi],
            lo,
            final_digest,
            [(t, factors[lo:hi], proofs[lo:hi]) for t, factors, proofs in shares],
        )
        for lo, hi in itertools.pairwise(bounds)
    ]
    if form_error is not None:
        jobs = []
    pool = (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        if workers
        else None
    )
    try:
        futures = (
            [pool.submit(_slice_decrypt, *job, option_count=option_count) for job in jobs]
            if pool
            else []
        )
        for position, mix in enumerate(mixes, start=1):
            where = f"mix {position}"
            mixer = _get(mix, "mixer", where)
            if not isinstance(mixer, str):
                raise _fail(f"{where}: mixer is not a name")
            say(f"mix {position} ({mixer})")
            shuffle_check(
                context, lists[position - 1], lists[position], _get(mix, "proof", where), mixer
            )
            report.mixers.append(mixer)
            report.checks.append(f"{where} by {mixer}: the proof of shuffle holds")
        say("decryption")
        if form_error is not None:
            raise form_error
        decrypted: Counter[tuple[int, ...]] = Counter()
        for part in (
            [future.result() for future in futures]
            if pool
            else [_slice_decrypt(*job, option_count=option_count) for job in jobs]
        ):
            decrypted.update(part)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    report.decrypting_trustees = [trustee for trustee, _, _ in shares]
    names = ", ".join(map(str, report.decrypting_trustees))
    report.checks.append(f"decryption: every proof of trustees {names} holds")
    report.checks.append(f"plaintexts: {len(final)} ballots decode")

    say("count")
    _count_check(count_data, decrypted, report)
    return report
