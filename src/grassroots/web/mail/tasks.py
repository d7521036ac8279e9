"""The mail tasks the worker runs (``grassroots worker``). A task's arguments are plain ids:
the outbox row holds the email itself."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.mail.services import email_deliver


@task()
def email_send(email_id: int) -> str:
    """Send one outbox email, once (``mail.services.email_deliver``)."""
    return email_deliver(email_id=email_id)
