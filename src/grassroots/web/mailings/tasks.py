"""The mailings' background tasks, run by the worker (``grassroots worker``). Arguments are
plain ids: the frozen audience is stored with the mailing."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.mailings import delivery


@task()
def mailing_deliver(mailing_id: int, first_id: int, last_id: int) -> int:
    """Queue the mailing to one batch of its frozen audience (``delivery.mailing_batch_send``)."""
    return delivery.mailing_batch_send(mailing_id=mailing_id, first_id=first_id, last_id=last_id)
