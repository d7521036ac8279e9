"""Sealed ballots for the tests: the trustees' steps run by calling ``grassroots.seal`` as
each trustee's own machine would, and their public files handed to the site's services."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import TestCase

from grassroots.seal.context import ElectionContext
from grassroots.seal.decryption import decryption_share_make
from grassroots.seal.elgamal import ballot_from_json, ballot_to_json
from grassroots.seal.shuffle import shuffle_prove
from grassroots.seal.trustee import (
    Deal,
    Setup,
    TrusteeSecret,
    deal_make,
    deals_check,
    trustee_keys_make,
)
from grassroots.web.ballots import sealed, services
from grassroots.web.ballots.models import Ballot, SealedElection, Trustee
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import User
from tests.web.ballot_factories import ballot_create
from tests.web.factories import supporter_create


@dataclass
class Ceremony:
    """A sealed ballot and its trustees' secret files (kept by the test, as on their
    machines)."""

    ballot: Ballot
    people: list[User]
    secrets: dict[int, TrusteeSecret] = field(default_factory=dict)

    def trustee(self, index: int) -> Trustee:
        return Trustee.objects.get(ballot=self.ballot, index=index)


def voter_create(name: str = "") -> User:
    """A verified supporter in a real CLP: on every supporters' roll."""
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    return supporter_create(clp=clp, **({"name": name} if name else {})).user


def sealed_ballot_create(*, trustees: int = 3, threshold: int = 2, **overrides: Any) -> Ceremony:
    """A sealed draft with ``trustees`` named (new supporters) and the threshold set."""
    ballot = ballot_create(sealed=True, **overrides)
    people = [voter_create(f"Trustee {i}") for i in range(1, trustees + 1)]
    for person in people:
        sealed.trustee_add(actor=None, ballot=ballot, person=person)
    sealed.threshold_set(actor=None, ballot=ballot, threshold=threshold)
    return Ceremony(ballot=ballot, people=people)


def election_id(ballot: Ballot) -> str:
    return str(SealedElection.objects.get(ballot=ballot).election_id)


def keys_send(ceremony: Ceremony) -> None:
    for index in range(1, len(ceremony.people) + 1):
        secret, public = trustee_keys_make(election_id(ceremony.ballot), index)
        ceremony.secrets[index] = secret
        sealed.trustee_keys_upload(
            actor=ceremony.people[index - 1],
            trustee=ceremony.trustee(index),
            text=json.dumps(public.to_json()),
        )


def deal_for(ceremony: Ceremony, index: int) -> Deal:
    setup = Setup.from_json(sealed.setup_for(ceremony.ballot))
    return deal_make(ceremony.secrets[index], setup)


def deals_send(ceremony: Ceremony) -> None:
    for index in ceremony.secrets:
        sealed.trustee_deal_upload(
            actor=ceremony.people[index - 1],
            trustee=ceremony.trustee(index),
            text=json.dumps(deal_for(ceremony, index).to_json()),
        )


def confirmations_send(ceremony: Ceremony) -> None:
    files = sealed.deals_for(ceremony.ballot)
    setup = Setup.from_json(files["setup"])
    deals = [Deal.from_json(item) for item in files["deals"]]
    for index, secret in ceremony.secrets.items():
        confirmation = deals_check(secret, setup, deals)
        sealed.trustee_confirmation_upload(
            actor=ceremony.people[index - 1],
            trustee=ceremony.trustee(index),
            text=json.dumps(confirmation.to_json()),
        )


def key_ceremony(ceremony: Ceremony) -> None:
    keys_send(ceremony)
    deals_send(ceremony)
    confirmations_send(ceremony)


def current_list(ballot: Ballot) -> tuple[ElectionContext, list[Any]]:
    files = sealed.list_for(ballot)
    context = ElectionContext.from_json(files["context"])
    return context, [ballot_from_json(item, context.width) for item in files["ballots"]]


def mix_file(ceremony: Ceremony, index: int) -> str:
    """Trustee ``index``'s mix of the current list, as the file they upload."""
    context, ballots = current_list(ceremony.ballot)
    mixer = f"trustee {index}"
    outputs, proof = shuffle_prove(context, ballots, mixer)
    return json.dumps(
        {"mixer": mixer, "ballots": [ballot_to_json(b) for b in outputs], "proof": proof.to_json()}
    )


def share_file(ceremony: Ceremony, index: int) -> str:
    context, ballots = current_list(ceremony.ballot)
    share = decryption_share_make(ceremony.secrets[index], context, ballots)
    return json.dumps(share.to_json())


def close_and_mix(ballot: Ballot) -> int:
    """Close the ballot; the server's mix task runs after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.ballot_close(actor=None, ballot=ballot)


def count(ballot: Ballot) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        sealed.count_request(actor=None, ballot=ballot, site_url="http://testserver")
