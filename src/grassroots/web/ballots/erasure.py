"""The ballot side of a person's data: erasing them (``people.services.person_erase``) and
what their data export holds (``people.exports``).

A person erased while on a voter roll leaves the roll as it was, but nameless:

* their roll entry stays with no person, so the roll's size and the turnout already shown
  stay true (they were entitled to vote, and did or did not);
* an unused credential is deleted, so the link they were emailed no longer works and nobody
  can vote in their place; a used one stays (it is what counts them as having voted);
* a ballot they cast stays: it never pointed to them, so nothing in it changes.

The same holds in every state of the ballot (open, closed, published, cancelled); nothing
the ballot publishes changes. A ballot they ran as returning officer keeps running without
them (administrators run any ballot); they stop being anyone's scrutineer. Nothing is
audited here: the erasure's own audit row says what was done, in counts.
"""

from __future__ import annotations

from typing import Any

from grassroots.web.ballots.models import Ballot, Credential, Scrutineer, VoterRollEntry
from grassroots.web.people.models import User


def person_erase_from_ballots(person: User) -> None:
    """Unlink ``person`` from every roll and ballot, voiding their unused credentials."""
    entries = VoterRollEntry.objects.filter(person=person)
    Credential.objects.filter(roll_entry__in=entries, used=False).delete()
    entries.update(person=None)
    Ballot.objects.filter(returning_officer=person).update(returning_officer=None)
    Scrutineer.objects.filter(person=person).delete()


def person_ballots_export(person: User) -> dict[str, list[dict[str, Any]]]:
    """The rolls the person is on, each with whether they voted (never how: nothing links
    a cast ballot to anyone), and the ballots they run as returning officer."""
    entries = (
        VoterRollEntry.objects.filter(person=person)
        .select_related("ballot", "credential")
        .order_by("ballot__opens_at", "pk")
    )
    rolls = []
    for entry in entries:
        credential = getattr(entry, "credential", None)
        rolls.append(
            {
                "ballot": entry.ballot.slug,
                "question": entry.ballot.question,
                "status": entry.ballot.status,
                "weight": entry.weight,
                "voted": bool(credential is not None and credential.used),
            }
        )
    run = [
        {"ballot": ballot.slug, "question": ballot.question, "status": ballot.status}
        for ballot in Ballot.objects.filter(returning_officer=person).order_by("opens_at", "pk")
    ]
    scrutinised = [
        {"ballot": row.ballot.slug, "question": row.ballot.question}
        for row in Scrutineer.objects.filter(person=person).select_related("ballot")
    ]
    return {"voter_rolls": rolls, "returning_officer_of": run, "scrutineer_of": scrutinised}
