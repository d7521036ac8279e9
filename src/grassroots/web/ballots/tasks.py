"""The ballots' background tasks, run by the worker (``grassroots worker``). Arguments are plain
ids and words: the credentials hold the state, and tokens are made inside the task."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.ballots import delivery


@task()
def credentials_deliver(ballot_id: int, first_id: int, last_id: int, reason: str) -> dict[str, int]:
    """Email a fresh voting link to each credential of the batch still to deliver
    (``ballots.delivery.credentials_deliver_batch``)."""
    return delivery.credentials_deliver_batch(
        ballot_id=ballot_id, first_id=first_id, last_id=last_id, reason=reason
    )


@task()
def credentials_deliver_plan(ballot_id: int, reason: str) -> int:
    """Queue the delivery batches of a ballot just opened (``ballots.delivery.batches_plan``)."""
    return delivery.batches_plan(ballot_id=ballot_id, reason=reason)


@task()
def voting_link_resend(ballot_id: int, email: str) -> str:
    """Send a new voting link to ``email`` if it is on the ballot's roll and has not voted
    (``ballots.delivery.voting_link_resend_for``)."""
    return delivery.voting_link_resend_for(ballot_id=ballot_id, email=email)
