"""A sealed ballot's bundle: everything ``grassroots ballots verify`` needs to check the
count from the published file alone (docs/sealed-ballots.md)."""

from __future__ import annotations

from typing import Any

from grassroots.seal.bundle import CountRecord, Mix, bundle_make
from grassroots.seal.decryption import DecryptionShare
from grassroots.web.ballots import sealing, selectors
from grassroots.web.ballots.models import Ballot, SealedElection, Trustee


def bundle_for(*, ballot: Ballot, election: SealedElection) -> dict[str, Any]:
    """The bundle as published at ``/ballots/<slug>/bundle.json``, read from the ballot's
    rows once its result is stored: the context, the setup with every deal and
    confirmation, the board, the mixes in order, the decryption shares, and the count (the
    published BLT, the rule, quotas and categories, and who was elected)."""
    trustees = list(Trustee.objects.filter(ballot=ballot).order_by("index"))
    options = selectors.ballot_options(ballot=ballot)
    categories = {option.name: option.category for option in options}
    width = election.width or 0
    bundle = bundle_make(
        context=sealing.context_of(election),
        setup=sealing.setup_make(election=election, trustees=trustees),
        deals=sealing.deals_of(trustees),
        confirmations=sealing.confirmations_of(trustees),
        board=sealing.board_ballots(election),
        mixes=[
            Mix(
                mixer=mix.mixer,
                ballots=sealing.ballots_from_json(mix.output, width, what=f"mix {mix.order}"),
                proof=mix.proof,
            )
            for mix in sealing.mixes_accepted(election)
        ],
        shares=[DecryptionShare.from_json(t.share) for t in trustees if t.share is not None],
        count=CountRecord(
            options=tuple(option.name for option in options),
            rule=selectors.ballot_rule(ballot=ballot),
            blt=selectors.ballot_blt(ballot=ballot),
            elected=tuple((ballot.result or {}).get("elected", [])),
            quotas=ballot.quotas,
            categories=categories if all(categories.values()) else None,
        ),
    )
    if bundle.board_digest != election.board_digest:  # the board published at the close
        raise ValueError("the board changed since the close")
    return bundle.to_json()
