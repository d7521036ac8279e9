"""A sealed ballot against a reader of the whole PostgreSQL database: the pairings that link
voters to rankings in a plain ballot (tests/web/test_ballots_secrecy.py) find only
ciphertexts, no ranking is stored anywhere before the trustees decrypt (ballot tables, audit
log, the task queue's rows), and the decrypted ballots cannot be paired with credentials."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from grassroots.web.ballots import sealed, services
from grassroots.web.ballots.models import SealedElection, SealedStage, Status
from grassroots.web.ballots.selectors import token_hash
from grassroots.web.constituencies.services import constituency_load
from tests.web.ballot_factories import SLATE, ballot_open_with_tokens, option_ids
from tests.web.sealed_factories import (
    key_ceremony,
    mix_file,
    sealed_ballot_create,
    share_file,
    voter_create,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="transaction ids (xmin) and physical row addresses (ctid) are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]

VOTERS = 20  # 17 voters and the 3 trustees, all supporters
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _worker_run() -> None:
    """Run every queued task with the real database worker, in this process, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def _tables() -> list[str]:
    """Every table a cast, a mix or a count could write to: the ballots app's, the audit
    log and the task queue's."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return [name for name in names if name.startswith(("ballots_", "audit_"))] + [
        DBTaskResult._meta.db_table
    ]


def _rows_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} AS t")  # noqa: S608 (ours)
        return "\n".join(row[0] for row in cursor.fetchall())


def _forms(ranking: list[int], names: tuple[str, ...]) -> list[str]:
    """How a ranking could be written down: option ids as JSON, with and without spaces,
    and the names in order."""
    return [json.dumps(ranking), json.dumps(ranking, separators=(",", ":")), ", ".join(names)]


def _rankings_found(
    truth: dict[str, tuple[list[int], tuple[str, ...]]], *, skip: str = ""
) -> list[str]:
    found = []
    for table in _tables():
        if table == skip:
            continue
        text = _rows_text(table)
        found += [
            f"{table}: {form}"
            for ranking, names in truth.values()
            for form in _forms(ranking, names)
            if form in text
        ]
    return found


def _xmin_pairings(ballot_id: int, table: str, column: str) -> dict[str, dict[str, list[str]]]:
    """For each join of a used credential's transaction id with a row's of ``table``
    (equal, one above, one below), what each credential is paired with."""
    pairings: dict[str, dict[str, list[str]]] = {}
    with connection.cursor() as cursor:
        for name, offset in (("xmin equal", 0), ("xmin + 1", 1), ("xmin - 1", -1)):
            cursor.execute(
                f"SELECT c.token_hash, b.{column}::text FROM ballots_credential c "  # noqa: S608
                f"JOIN {table} b ON b.ballot_id = c.ballot_id "
                "AND b.xmin::text::bigint = c.xmin::text::bigint + %s "
                "WHERE c.ballot_id = %s AND c.used",
                [offset, ballot_id],
            )
            found: dict[str, list[str]] = {}
            for hashed, value in cursor.fetchall():
                found.setdefault(hashed, []).append(value)
            pairings[name] = found
    return pairings


def _ctid_order(ballot_id: int, table: str, column: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token_hash FROM ballots_credential WHERE ballot_id = %s AND used ORDER BY ctid",
            [ballot_id],
        )
        credentials = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT {column}::text FROM {table} WHERE ballot_id = %s ORDER BY ctid",  # noqa: S608
            [ballot_id],
        )
        rows = [row[0] for row in cursor.fetchall()]
    return list(zip(credentials, rows, strict=True))


def test_sealed_ballot_database_reader_finds_only_ciphertexts(settings: Any) -> None:
    constituency_load()
    for _ in range(VOTERS - 3):
        voter_create()
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    key_ceremony(ceremony)
    ballot = ceremony.ballot
    tokens = ballot_open_with_tokens(ballot)
    names = [name for name, _ in SLATE]
    distinct = list(itertools.permutations(names, 3))[:VOTERS]
    truth: dict[str, tuple[list[int], tuple[str, ...]]] = {}
    receipts: dict[str, str] = {}
    # Cast in an order unlike the order the credentials were issued in.
    for token, ranking in zip(reversed(tokens), distinct, strict=True):
        ids = option_ids(ballot, *ranking)
        receipts[token_hash(token)] = services.ballot_cast(credential_token=token, ranking=ids).code
        truth[token_hash(token)] = (ids, ranking)

    # While voting is open a reader pairs each credential with the row its cast wrote,
    # and finds only ciphertexts under the voter's receipt.
    open_pairs = _xmin_pairings(ballot.pk, "ballots_sealedcast", "receipt")["xmin equal"]
    assert open_pairs == {hashed: [code] for hashed, code in receipts.items()}
    assert _rankings_found(truth) == []

    settings.TASKS = DATABASE_QUEUE  # the server's mix goes through the real queue
    services.ballot_close(actor=None, ballot=ballot)
    _worker_run()

    election = SealedElection.objects.get(ballot=ballot)
    assert election.mixes.filter(mixer="server").exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    # After the close: no pairing names any one receipt, the row order no better than
    # chance, and still no ranking anywhere.
    closed = _xmin_pairings(ballot.pk, "ballots_sealedcast", "receipt")
    for name, pairs in closed.items():
        unique = sum(1 for hashed, codes in pairs.items() if codes == [receipts[hashed]])
        assert unique == 0, name
    in_place = sum(
        1
        for hashed, code in _ctid_order(ballot.pk, "ballots_sealedcast", "receipt")
        if code == receipts[hashed]
    )
    # A shuffle of 20 leaves about one in place by chance; 8 or more happens about once
    # in 100,000 runs, while the order of casting would pair all 20.
    assert in_place < 8
    assert _rankings_found(truth) == []

    sealed.trustee_mix_upload(actor=None, trustee=ceremony.trustee(3), text=mix_file(ceremony, 3))
    sealed.mixing_stop(actor=None, ballot=ballot)
    for index in (2, 3):
        sealed.trustee_share_upload(
            actor=None, trustee=ceremony.trustee(index), text=share_file(ceremony, index)
        )
    assert _rankings_found(truth) == []  # shares decrypt nothing alone
    sealed.count_request(actor=None, ballot=ballot, site_url="http://testserver")
    _worker_run()

    ballot.refresh_from_db()
    assert ballot.status == Status.PUBLISHED
    assert SealedElection.objects.get(ballot=ballot).stage == SealedStage.COUNTED
    # Decrypted, the rankings are where they are published: the decrypted ballots (and the
    # result and bundle, which count them). Nowhere else: not in the audit log, the task
    # rows, the casts or the trustees' rows.
    # The search itself finds rankings where they are: in the decrypted ballots.
    assert any(leak.startswith("ballots_decryptedballot:") for leak in _rankings_found(truth))
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    leaks = [
        leak
        for leak in _rankings_found(truth, skip="ballots_decryptedballot")
        if not leak.startswith("ballots_ballot:") and not leak.startswith("ballots_sealedelection:")
    ]
    assert leaks == []
    decrypted = _xmin_pairings(ballot.pk, "ballots_decryptedballot", "ranking")
    for name, pairs in decrypted.items():
        unique = sum(
            1 for hashed, rankings in pairs.items() if rankings == [json.dumps(truth[hashed][0])]
        )
        assert unique == 0, name
    in_place = sum(
        1
        for hashed, ranking in _ctid_order(ballot.pk, "ballots_decryptedballot", "ranking")
        if ranking == json.dumps(truth[hashed][0])
    )
    assert in_place < 8
