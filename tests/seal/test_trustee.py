"""The key ceremony: k-of-n keys nobody holds whole, and bad deals named by their dealer."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from grassroots.seal.group import ORDER, base_mul
from grassroots.seal.proofs import schnorr_prove
from grassroots.seal.trustee import (
    DEAL_DOMAIN,
    BadShareError,
    Confirmation,
    Deal,
    Setup,
    TrusteeError,
    TrusteePublic,
    TrusteeSecret,
    confirmation_check,
    deal_check_public,
    deal_make,
    deal_statement,
    deals_check,
    election_public_key,
    trustee_keys_make,
    verification_key,
)
from tests.seal.helpers import ceremony


def test_the_shares_interpolate_to_the_key_nobody_holds() -> None:
    run = ceremony(threshold=2, trustees=3)
    shares = {secret.index: secret.share for secret in run.secrets}
    assert all(share is not None for share in shares.values())
    for pair in ((1, 2), (1, 3), (2, 3)):
        a, b = pair
        # λ_a = b / (b - a), λ_b = a / (a - b)
        whole = (
            shares[a] * b * pow(b - a, -1, ORDER) + shares[b] * a * pow(a - b, -1, ORDER)  # type: ignore[operator]
        ) % ORDER
        assert base_mul(whole) == run.context.public_key
    assert base_mul(shares[1]) != run.context.public_key  # type: ignore[arg-type]


def test_public_values_agree_with_the_confirmations() -> None:
    run = ceremony(threshold=2, trustees=3)
    assert election_public_key(run.deals) == run.context.public_key
    for confirmation in run.confirmations:
        assert verification_key(run.deals, confirmation.index) == confirmation.verification_key
        confirmation_check(run.setup, run.deals, confirmation)


def test_every_file_survives_json() -> None:
    run = ceremony(threshold=2, trustees=3)
    secret = run.secrets[0]
    assert TrusteeSecret.from_json(json.loads(json.dumps(secret.to_json()))) == secret
    assert Setup.from_json(json.loads(json.dumps(run.setup.to_json()))) == run.setup
    for deal in run.deals:
        assert Deal.from_json(json.loads(json.dumps(deal.to_json()))) == deal
    for confirmation in run.confirmations:
        assert Confirmation.from_json(confirmation.to_json()) == confirmation


def test_a_bad_share_names_its_dealer() -> None:
    pairs = [trustee_keys_make("e", index) for index in (1, 2, 3)]
    setup = Setup("e", 2, tuple(public for _, public in pairs))
    secrets = [secret for secret, _ in pairs]
    deals = [deal_make(secret, setup) for secret in secrets]
    # Trustee 2 seals to trustee 3 a share of another polynomial.
    other = deal_make(secrets[1], setup)
    shares = (deals[1].shares[0], deals[1].shares[1], other.shares[2])
    swapped = replace(deals[1], shares=shares)
    with pytest.raises(TrusteeError, match="deal of trustee 2: the proof of knowledge"):
        deal_check_public(setup, swapped)  # the proof covers the sealed shares too
    # A dealer who cheats re-proves: the public check passes, the recipient's check does not.
    coefficients = [1001, 1002]
    commitments = tuple(base_mul(c) for c in coefficients)
    honest = deal_make(secrets[1], setup, scalars=iter([*coefficients, 5]).__next__)
    assert honest.commitments == commitments
    shares = (honest.shares[0], honest.shares[1], other.shares[2])
    statement = deal_statement(setup, 2, commitments, shares)
    proof = schnorr_prove(coefficients[0], commitments[0], DEAL_DOMAIN, statement)
    cheat = Deal(2, commitments, proof, shares)
    deal_check_public(setup, cheat)
    with pytest.raises(BadShareError) as caught:
        deals_check(secrets[2], setup, [deals[0], cheat, deals[2]])
    assert caught.value.dealer == 2
    assert str(caught.value) == (
        "the share from trustee 2: it does not match the dealer's commitments"
    )
    deals_check(secrets[0], setup, [deals[0], cheat, deals[2]])  # trustee 1's share is fine


def test_a_deal_is_refused_field_by_field() -> None:
    run = ceremony(threshold=2, trustees=3)
    data = run.deals[1].to_json()
    del data["proof"]
    with pytest.raises(TrusteeError, match="deal: the field 'proof' is missing"):
        Deal.from_json(data)
    data = run.deals[1].to_json()
    data["commitments"][1] = "00" * 32
    with pytest.raises(TrusteeError, match="deal of trustee 2: commitment 1"):
        Deal.from_json(data)
    short = replace(run.deals[1], commitments=run.deals[1].commitments[:1])
    with pytest.raises(TrusteeError, match="deal of trustee 2: 1 commitments for a threshold of 2"):
        deal_check_public(run.setup, short)


def test_deals_must_come_from_every_trustee_once() -> None:
    run = ceremony(threshold=2, trustees=3)
    with pytest.raises(TrusteeError, match=r"no deal from trustee\(s\) 3"):
        deals_check(run.secrets[0], run.setup, run.deals[:2])
    with pytest.raises(TrusteeError, match="two deals from trustee 1"):
        deals_check(run.secrets[0], run.setup, [*run.deals, run.deals[0]])


def test_a_confirmation_with_another_key_is_refused() -> None:
    run = ceremony(threshold=2, trustees=3)
    wrong = replace(run.confirmations[0], verification_key=base_mul(7))
    with pytest.raises(TrusteeError, match="confirmation of trustee 1: the verification key"):
        confirmation_check(run.setup, run.deals, wrong)
    swapped = replace(run.confirmations[0], proof=run.confirmations[1].proof)
    with pytest.raises(TrusteeError, match="confirmation of trustee 1: the proof"):
        confirmation_check(run.setup, run.deals, swapped)


def test_a_secret_file_of_another_trustee_is_refused() -> None:
    run = ceremony(threshold=2, trustees=3)
    stranger, _ = trustee_keys_make(run.setup.election_id, 2)
    with pytest.raises(TrusteeError, match="not the one the setup lists for trustee 2"):
        deal_make(stranger, run.setup)


def test_a_setup_needs_trustees_numbered_in_order() -> None:
    publics = [trustee_keys_make("e", index)[1] for index in (1, 3)]
    with pytest.raises(TrusteeError, match=r"numbered 1..2 in order, got \[1, 3\]"):
        Setup("e", 2, tuple(publics))
    with pytest.raises(TrusteeError, match="threshold 3"):
        Setup("e", 3, (publics[0], TrusteePublic(2, publics[1].box_public_key)))
