"""Who may be emailed about what, and the one-click way out of each kind of email.

Every email the alliance sends a supporter without their asking for that very email
(organisers' mailings, new events nearby, discussion notifications, representatives'
reports) goes through ``email_to_supporter``. It sends only with the matching consent and
no unsubscription from the topic, and gives the email a link and the ``List-Unsubscribe``
and ``List-Unsubscribe-Post`` headers of RFC 8058, so a mail program can unsubscribe in one
click. Emails the person asks for themselves (a login link, a voting link, a receipt, a
message relayed to them by a supporter of their CLP, which their visibility consent allows)
are sent by ``people.mail.send_later`` and have no topic.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from grassroots.web.audit.services import audit_record
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.models import ConsentKind, Topic, Unsubscription, User

UNSUBSCRIBE_SALT = "grassroots.people.unsubscribe"

# The consent a topic needs on top of not being unsubscribed. Discussions and reports are
# asked for by the supporter's own act (choosing notifications, following a representative).
TOPIC_CONSENT: dict[str, str | None] = {
    Topic.MAILINGS: ConsentKind.CONTACT,
    Topic.EVENTS: ConsentKind.CONTACT,
    Topic.DISCUSSIONS: None,
    Topic.REPORTS: None,
}

WHY: dict[str, str] = {
    Topic.MAILINGS: "you agreed that the alliance may email you",
    Topic.EVENTS: "you agreed that the alliance may email you about meetings",
    Topic.DISCUSSIONS: "you asked for discussion notifications",
    Topic.REPORTS: "you follow a representative",
}


def may_email(*, user: User, topic: str) -> bool:
    """True when ``user`` is an active, confirmed supporter with the topic's consent given and
    not withdrawn, who has not unsubscribed from the topic."""
    if topic not in TOPIC_CONSENT:
        raise ValueError(f"unknown email topic {topic!r}")
    supporter = getattr(user, "supporter", None)
    if not user.is_active or supporter is None or supporter.email_verified_at is None:
        return False
    consent = TOPIC_CONSENT[topic]
    if (
        consent is not None
        and not supporter.consents.filter(kind=consent, withdrawn_at__isnull=True).exists()
    ):
        return False
    return not Unsubscription.objects.filter(user=user, topic=topic).exists()


def unsubscribe_token(*, user: User, topic: str) -> str:
    """A signed token naming the person and the topic; it does not expire, so an old email's
    link still works."""
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """The person's id and the topic a token names, or None for a forged or altered one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") not in TOPIC_CONSENT:
        return None
    user_id = data.get("u")
    return (user_id, data["t"]) if isinstance(user_id, int) else None


def unsubscribe_url(*, user: User, topic: str, site_url: str) -> str:
    path = reverse("people:unsubscribe", args=(unsubscribe_token(user=user, topic=topic),))
    return site_url.rstrip("/") + path


def email_to_supporter(
    *, topic: str, user: User, subject: str, body: str, key: str, site_url: str
) -> bool:
    """Queue an email on ``topic`` to ``user`` if they may be emailed about it (``may_email``),
    with its unsubscribe link and RFC 8058 headers; True if it was queued."""
    if not may_email(user=user, topic=topic):
        return False
    link = unsubscribe_url(user=user, topic=topic, site_url=site_url)
    label = Topic(topic).label
    footer = (
        f"\n\n--\nYou receive this because {WHY[topic]}. "
        f"To stop emails of this kind ({label.lower()}), follow this link:\n{link}\n"
    )
    email_enqueue(
        key=key,
        to=user.email,
        subject=subject,
        body=body + footer,
        kind=str(topic),
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{label} <{topic}.{_list_domain()}>",
        },
    )
    return True


def _list_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >")
    return address or "localhost"


@transaction.atomic
def topic_unsubscribe(*, user: User, topic: str, how: str) -> bool:
    """Record that ``user`` wants no more email on ``topic``; True if that is new. Audited with
    how (``link`` or ``my data``)."""
    _, created = Unsubscription.objects.get_or_create(user=user, topic=topic)
    if created:
        audit_record(
            actor_id=user.pk,
            action="supporter.unsubscribe",
            object_type="supporter",
            object_id=user.pk,
            summary=f"{topic}, by {how}",
        )
    return created


@transaction.atomic
def topic_subscribe(*, user: User, topic: str) -> bool:
    """Undo an unsubscription; True if there was one."""
    deleted, _ = Unsubscription.objects.filter(user=user, topic=topic).delete()
    if deleted:
        audit_record(
            actor_id=user.pk,
            action="supporter.subscribe",
            object_type="supporter",
            object_id=user.pk,
            summary=str(topic),
        )
    return bool(deleted)


def topic_states(*, user: User) -> list[dict[str, object]]:
    """Each topic with whether the person gets it and, if not, why not: for My data."""
    unsubscribed = set(Unsubscription.objects.filter(user=user).values_list("topic", flat=True))
    supporter = getattr(user, "supporter", None)
    given = (
        set(supporter.consents.filter(withdrawn_at__isnull=True).values_list("kind", flat=True))
        if supporter
        else set()
    )
    states = []
    for topic in Topic:
        consent = TOPIC_CONSENT[topic]
        states.append(
            {
                "topic": topic.value,
                "label": topic.label,
                "unsubscribed": topic.value in unsubscribed,
                "needs_consent": consent is not None and consent not in given,
            }
        )
    return states
