"""Sealed ballots in the site, service by service: the key ceremony, casting, the board, the
mixes, decryption by two of three trustees and the count, on SQLite and PostgreSQL.

The trustees' steps run by calling ``grassroots.seal`` as their own machines would
(tests/web/sealed_factories.py); their public files go through the site's services.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from grassroots.seal.trustee import Deal
from grassroots.seal.verify import bundle_verify
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import sealed, selectors, services
from grassroots.web.ballots.models import (
    CastBallot,
    DecryptedBallot,
    Mix,
    SealedCast,
    SealedElection,
    SealedJob,
    SealedStage,
    Status,
    Trustee,
)
from grassroots.web.ballots.sealing import receipt_from_fingerprint
from grassroots.web.errors import DomainError
from tests.web.ballot_factories import SLATE, ballot_open_with_tokens, option_ids
from tests.web.sealed_factories import (
    Ceremony,
    close_and_mix,
    confirmations_send,
    count,
    deal_for,
    deals_send,
    key_ceremony,
    keys_send,
    mix_file,
    sealed_ballot_create,
    share_file,
    voter_create,
)

pytestmark = pytest.mark.django_db

RANKINGS = [
    ("Ann", "Cal"),
    ("Bea", "Ann", "Eve"),
    ("Cal",),
    ("Dev", "Eve", "Ann", "Bea", "Cal"),
    ("Ann", "Cal"),
    ("Eve", "Bea"),
]


def _voters(count: int) -> None:
    for _ in range(count):
        voter_create()


def _opened(ceremony: Ceremony) -> list[str]:
    """Every supporter (voters and trustees) is on the roll; returns their tokens."""
    return ballot_open_with_tokens(ceremony.ballot)


def _cast_all(ceremony: Ceremony, tokens: list[str]) -> list[list[int]]:
    rankings = [option_ids(ceremony.ballot, *names) for names in RANKINGS]
    for token, ranking in zip(tokens, rankings, strict=False):
        services.ballot_cast(credential_token=token, ranking=ranking)
    return rankings[: len(tokens)]


def _row_multiset(rows: list[tuple[list[int], int]]) -> Counter[tuple[tuple[int, ...], int]]:
    return Counter((tuple(ranking), weight) for ranking, weight in rows)


def test_sealed_ballot_full_flow_two_of_three_trustees_count_the_plaintext() -> None:
    _voters(3)
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    key_ceremony(ceremony)
    tokens = _opened(ceremony)
    assert len(tokens) == 6  # three voters and the three trustees, all supporters
    rankings = _cast_all(ceremony, tokens)
    ballot = ceremony.ballot

    # Only ciphertexts were stored: no plain ranking in any cast row.
    assert CastBallot.objects.filter(ballot=ballot).count() == 0
    assert SealedCast.objects.filter(ballot=ballot).count() == 6

    close_and_mix(ballot)
    election = SealedElection.objects.get(ballot=ballot)
    assert election.stage == SealedStage.MIXING
    assert [m.mixer for m in Mix.objects.filter(election=election)] == ["server"]
    assert len(election.board) == 6
    assert election.job == SealedJob.NONE

    # Trustee 1 mixes; trustee 2 is absent throughout; trustee 3 does not mix.
    assert sealed.trustee_mix_upload(
        actor=None, trustee=ceremony.trustee(1), text=mix_file(ceremony, 1)
    )
    assert list(Mix.objects.order_by("order").values_list("mixer", "order")) == [
        ("server", 0),
        ("trustee 1", 1),
    ]
    assert sealed.mixing_stop(actor=None, ballot=ballot) == 2

    for index in (1, 3):
        sealed.trustee_share_upload(
            actor=None, trustee=ceremony.trustee(index), text=share_file(ceremony, index)
        )
    count(ballot)

    ballot.refresh_from_db()
    assert ballot.status == Status.PUBLISHED
    plain = [(ranking, 1) for ranking in rankings]
    assert _row_multiset(selectors.counted_rows(ballot=ballot)) == _row_multiset(plain)
    assert ballot.result == services.ballot_count(ballot=ballot, rows=plain)
    assert selectors.receipt_list(ballot=ballot) == sorted(
        receipt_from_fingerprint(entry["fingerprint"]) for entry in election.board
    )
    election.refresh_from_db()
    assert election.stage == SealedStage.COUNTED
    report = bundle_verify(election.bundle)
    assert report.ballots == 6
    assert list(report.mixers) == ["server", "trustee 1"]
    assert list(report.decrypting_trustees) == [1, 3]
    assert list(report.elected) == ballot.result["elected"]


def test_sealed_receipt_is_the_start_of_the_fingerprint_on_the_board() -> None:
    _voters(1)
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    key_ceremony(ceremony)
    tokens = _opened(ceremony)
    receipt = services.ballot_cast(
        credential_token=tokens[0], ranking=option_ids(ceremony.ballot, "Bea")
    )

    close_and_mix(ceremony.ballot)

    board = SealedElection.objects.get(ballot=ceremony.ballot).board
    assert [entry["fingerprint"][:16] for entry in board] == [receipt.code.replace("-", "")]


def test_sealed_ballot_cannot_open_before_every_trustee_confirmed() -> None:
    _voters(1)
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    keys_send(ceremony)
    deals_send(ceremony)

    with pytest.raises(DomainError, match="have not finished"):
        services.ballot_open(actor=None, ballot=ceremony.ballot, site_url="http://testserver")

    ceremony.ballot.refresh_from_db()
    assert ceremony.ballot.status == Status.DRAFT


def test_tampered_deal_is_refused_and_changes_nothing() -> None:
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    keys_send(ceremony)
    deal = deal_for(ceremony, 2).to_json()
    deal["commitments"][0], deal["commitments"][1] = deal["commitments"][1], deal["commitments"][0]
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        sealed.trustee_deal_upload(actor=None, trustee=ceremony.trustee(2), text=json.dumps(deal))

    assert refused.value.message == (
        "The deal file: deal of trustee 2: the proof of knowledge of its secret does not hold."
    )
    assert refused.value.field == "file"
    assert ceremony.trustee(2).deal is None
    assert AuditEntry.objects.count() == audit_rows


def test_deal_of_another_trustee_is_refused() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    keys_send(ceremony)
    deal = deal_for(ceremony, 1)

    with pytest.raises(DomainError, match="trustee 1's; you are trustee 2"):
        sealed.trustee_deal_upload(
            actor=None, trustee=ceremony.trustee(2), text=json.dumps(deal.to_json())
        )


def test_not_json_is_refused_with_what_is_wrong() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)

    with pytest.raises(DomainError, match="The key file: this file is not JSON"):
        sealed.trustee_keys_upload(actor=None, trustee=ceremony.trustee(1), text="{not json")


def test_changing_the_threshold_clears_the_deals() -> None:
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    keys_send(ceremony)
    deals_send(ceremony)

    sealed.threshold_set(actor=None, ballot=ceremony.ballot, threshold=3)

    assert not Trustee.objects.filter(ballot=ceremony.ballot, deal__isnull=False).exists()
    assert AuditEntry.objects.filter(action="ballot.threshold").get().summary == (
        "threshold 2 -> 3; 3 deals cleared, to be made again"
    )


def test_threshold_outside_two_to_n_is_refused() -> None:
    ceremony = sealed_ballot_create(trustees=3, threshold=2)

    for threshold in (1, 4):
        with pytest.raises(DomainError, match="from 2 to the number of trustees"):
            sealed.threshold_set(actor=None, ballot=ceremony.ballot, threshold=threshold)


def _mixing(voters: int = 2) -> Ceremony:
    _voters(voters)
    ceremony = sealed_ballot_create(trustees=3, threshold=2)
    key_ceremony(ceremony)
    _cast_all(ceremony, _opened(ceremony))
    close_and_mix(ceremony.ballot)
    return ceremony


def test_bad_shuffle_proof_is_refused_and_changes_nothing() -> None:
    ceremony = _mixing()
    upload = json.loads(mix_file(ceremony, 1))
    upload["ballots"][0], upload["ballots"][1] = upload["ballots"][1], upload["ballots"][0]
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        sealed.trustee_mix_upload(actor=None, trustee=ceremony.trustee(1), text=json.dumps(upload))

    assert refused.value.message.startswith(
        "The mix file: its proof does not check against the current list (mix 1): "
    )
    assert list(Mix.objects.values_list("mixer", flat=True)) == ["server"]
    assert ceremony.trustee(1).mixed_at is None
    assert AuditEntry.objects.count() == audit_rows


def test_large_mix_is_checked_in_a_task_and_a_bad_one_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.test import TestCase

    ceremony = _mixing()
    monkeypatch.setattr(sealed, "MIX_CHECK_AT_ONCE", 0)
    upload = json.loads(mix_file(ceremony, 1))
    upload["ballots"] = upload["ballots"][::-1]

    with TestCase.captureOnCommitCallbacks(execute=True):
        accepted = sealed.trustee_mix_upload(
            actor=None, trustee=ceremony.trustee(1), text=json.dumps(upload)
        )

    assert accepted is False
    assert list(Mix.objects.values_list("mixer", flat=True)) == ["server"]
    assert ceremony.trustee(1).refusal.startswith("The mix file: its proof does not check")

    with TestCase.captureOnCommitCallbacks(execute=True):
        sealed.trustee_mix_upload(
            actor=None, trustee=ceremony.trustee(1), text=mix_file(ceremony, 1)
        )

    assert list(Mix.objects.order_by("order").values_list("mixer", flat=True)) == [
        "server",
        "trustee 1",
    ]
    assert ceremony.trustee(1).refusal == ""


def test_wrong_decryption_share_is_refused_and_changes_nothing() -> None:
    ceremony = _mixing()
    sealed.mixing_stop(actor=None, ballot=ceremony.ballot)
    share = json.loads(share_file(ceremony, 1))
    share["factors"][1][0] = share["factors"][0][0]
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        sealed.trustee_share_upload(actor=None, trustee=ceremony.trustee(1), text=json.dumps(share))

    assert refused.value.message == (
        "The decryption file: decryption share of trustee 1: ballot 1, chunk 0: the proof of "
        "decryption does not hold."
    )
    assert ceremony.trustee(1).share is None
    assert AuditEntry.objects.count() == audit_rows


def test_count_waits_for_k_shares() -> None:
    ceremony = _mixing()
    sealed.mixing_stop(actor=None, ballot=ceremony.ballot)
    sealed.trustee_share_upload(
        actor=None, trustee=ceremony.trustee(2), text=share_file(ceremony, 2)
    )

    with pytest.raises(DomainError, match="1 of the 2 decryption shares needed are in"):
        sealed.count_request(actor=None, ballot=ceremony.ballot)

    assert DecryptedBallot.objects.count() == 0


def test_sealed_ballot_refuses_the_plain_publish() -> None:
    ceremony = _mixing()

    with pytest.raises(DomainError, match="counted from the trustees' decryption"):
        services.ballot_publish(actor=None, ballot=ceremony.ballot)


def test_sealed_ballot_refuses_receipts_beside_rankings() -> None:
    with pytest.raises(DomainError, match="cannot publish receipts beside rankings"):
        sealed_ballot_create(publish_receipts_with_rankings=True)


def test_confirmations_before_every_deal_are_refused() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    keys_send(ceremony)
    sealed.trustee_deal_upload(
        actor=None,
        trustee=ceremony.trustee(1),
        text=json.dumps(deal_for(ceremony, 1).to_json()),
    )

    with pytest.raises(DomainError, match="Trustee\\(s\\) 2 have not sent their deal yet"):
        confirmations_send(ceremony)


def test_slate_sized_ballot_names_options_in_order() -> None:
    # The encoding numbers options by their place on the ballot: the decrypted ranking
    # names the same options the voter ranked, whatever their ids.
    _voters(1)
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    key_ceremony(ceremony)
    tokens = _opened(ceremony)
    ranking = option_ids(ceremony.ballot, *(name for name, _ in reversed(SLATE)))
    services.ballot_cast(credential_token=tokens[0], ranking=ranking)
    close_and_mix(ceremony.ballot)
    sealed.mixing_stop(actor=None, ballot=ceremony.ballot)
    for index in (1, 2):
        sealed.trustee_share_upload(
            actor=None, trustee=ceremony.trustee(index), text=share_file(ceremony, index)
        )

    assert sealed.rows_decrypt(ceremony.ballot) == [(ranking, 1)]


def test_deal_files_hold_every_deal() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    keys_send(ceremony)
    deals_send(ceremony)

    files = sealed.deals_for(ceremony.ballot)

    assert [Deal.from_json(item).dealer for item in files["deals"]] == [1, 2]


def test_sealed_ballots_cannot_be_exported_before_the_count() -> None:
    ceremony = _mixing()
    ceremony.ballot.refresh_from_db()

    with pytest.raises(DomainError, match="known once its trustees have decrypted them"):
        selectors.ballot_blt(ballot=ceremony.ballot)
