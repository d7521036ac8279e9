"""Sending the site's email without making the request wait for it.

Every email of the people, alliance and events apps goes through ``send_later`` (or, where a
natural key exists, ``mail.services.email_enqueue`` directly): the request only writes an
outbox row and its task in its own transaction, and the background worker
(``grassroots worker``) hands it to the mail server, with retries. A request whose answer must
not depend on whether an address belongs to a supporter (log in, sign up, naming requests)
then takes the same time either way, and a message is not lost when a process stops.
"""

from __future__ import annotations

from uuid import uuid4

from grassroots.web.mail.services import email_enqueue


def send_later(*, subject: str, body: str, to: str, key: str | None = None) -> None:
    """Queue one email for the worker, in the caller's transaction.

    ``key`` names what the email is for, so that asking twice sends once; without one, each
    call is its own email.
    """
    email_enqueue(key=key or f"mail:{uuid4().hex}", to=to, subject=subject, body=body)
