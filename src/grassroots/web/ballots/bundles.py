"""A sealed ballot's bundle: everything ``grassroots ballots verify`` needs to check the
count from the published files alone (docs/sealed-ballots.md)."""

from __future__ import annotations

from typing import Any

from grassroots.web.ballots import sealing, selectors
from grassroots.web.ballots.models import Ballot, SealedElection, Trustee


def bundle_parts(*, ballot: Ballot, election: SealedElection) -> dict[str, Any]:
    """The bundle's parts, read from the ballot's rows: the context, the setup with every
    deal and confirmation, the board, the mixes in order, the decryption shares, the options
    and the published BLT with the count's rule and quotas."""
    trustees = list(Trustee.objects.filter(ballot=ballot).order_by("index"))
    setup = sealing.setup_make(election=election, trustees=trustees)
    return {
        "context": election.context,
        "setup": setup.to_json(),
        "deals": [trustee.deal for trustee in trustees],
        "confirmations": [trustee.confirmation for trustee in trustees],
        "board": [entry["ciphertexts"] for entry in election.board or []],
        "board_digest": election.board_digest,
        "mixes": [
            {"mixer": mix.mixer, "output": mix.output, "proof": mix.proof}
            for mix in sealing.mixes_accepted(election)
        ],
        "shares": [trustee.share for trustee in trustees if trustee.share is not None],
        "options": [option.name for option in selectors.ballot_options(ballot=ballot)],
        "blt": selectors.ballot_blt(ballot=ballot),
        "rule": selectors.ballot_rule(ballot=ballot),
        "quotas": ballot.quotas,
        "categories": [option.category for option in selectors.ballot_options(ballot=ballot)],
        "result": ballot.result,
    }


def bundle_for(*, ballot: Ballot, election: SealedElection) -> dict[str, Any]:
    """The bundle as published at ``/ballots/<slug>/bundle.json``."""
    return bundle_parts(ballot=ballot, election=election)
