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
def ballot_open_finish(ballot_id: int, actor_id: int | None, site_url: str) -> str:
    """Freeze the roll of a large ballot whose opening was asked for, and open it
    (``ballots.services.ballot_open_finish``)."""
    from grassroots.web.ballots import services

    return services.ballot_open_finish(ballot_id=ballot_id, actor_id=actor_id, site_url=site_url)


@task()
def credentials_deliver_plan(ballot_id: int, reason: str) -> int:
    """Queue the delivery batches of a ballot just opened (``ballots.delivery.batches_plan``)."""
    return delivery.batches_plan(ballot_id=ballot_id, reason=reason)


@task()
def voting_link_resend(ballot_id: int, email: str) -> str:
    """Send a new voting link to ``email`` if it is on the ballot's roll and has not voted
    (``ballots.delivery.voting_link_resend_for``)."""
    return delivery.voting_link_resend_for(ballot_id=ballot_id, email=email)


@task()
def sealed_server_mix(ballot_id: int) -> str:
    """The server's mix of a sealed ballot's frozen board, with its proof
    (``ballots.sealed.server_mix_run``)."""
    from grassroots.web.ballots import sealed

    return sealed.server_mix_run(ballot_id=ballot_id)


@task()
def sealed_mix_check(ballot_id: int, mix_id: int) -> str:
    """Check a trustee's large mix and append or refuse it (``ballots.sealed.mix_check_run``)."""
    from grassroots.web.ballots import sealed

    return sealed.mix_check_run(ballot_id=ballot_id, mix_id=mix_id)


@task()
def sealed_count(ballot_id: int, actor_id: int | None, site_url: str) -> str:
    """Decrypt a sealed ballot's final list from k shares, count and publish it
    (``ballots.sealed.count_run``)."""
    from grassroots.web.ballots import sealed

    return sealed.count_run(ballot_id=ballot_id, actor_id=actor_id, site_url=site_url)
