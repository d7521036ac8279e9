"""Writing people: sign-up, verification, consents, relayed messages, roles and erasure.

Each service takes keyword-only arguments, runs in one transaction that also writes the audit
row, and queues its email in that transaction for the worker to send (``mail.services``): no
request waits for a mail server. Audit summaries never hold personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import (
    Consent,
    ConsentKind,
    Membership,
    Message,
    Supporter,
    User,
    normalise_email,
)
from grassroots.web.people.roles import Role, user_roles_forget

DUPLICATE_EMAIL = "This email address has already signed up. Log in with it instead."


def login_link(*, user: User, site_url: str) -> str:
    """An absolute, single-use magic link that logs ``user`` in."""
    return site_url.rstrip("/") + reverse("people:login_link") + str(get_query_string(user))


def _login_email_enqueue(*, user: User, site_url: str, first: bool, key: str) -> None:
    link = login_link(user=user, site_url=site_url)
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    if first:
        subject = f"Confirm your email for {alliance}"
        opening = f"Thank you for joining {alliance}. Follow this link to confirm your email:"
    else:
        subject = f"Your link to log in to {alliance}"
        opening = "Follow this link to log in:"
    body = (
        f"Hello {user.name},\n\n{opening}\n\n{link}\n\n"
        "The link works once, for 24 hours. If you did not ask for it, ignore this email.\n"
    )
    email_enqueue(key=key, to=user.email, subject=subject, body=body)


@transaction.atomic(durable=True)
def supporter_signup(
    *,
    name: str,
    email: str,
    constituency: Constituency,
    membership: Membership,
    consents: set[ConsentKind],
    site_url: str,
) -> Supporter:
    """Sign the appeal: create the account and supporter, record each consent with its wording,
    audit, and queue an email with a link that confirms the address.

    Raises ``DomainError`` on the ``email`` field when the address (in any case) signed up
    already; nothing is stored then.
    """
    email = normalise_email(email)
    if not constituency.has_clp:
        raise DomainError("There are no CLPs in Northern Ireland.", field="clp")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(DUPLICATE_EMAIL, field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, name=name.strip())
    except IntegrityError as err:  # a sign-up with the same address won the race
        raise DomainError(DUPLICATE_EMAIL, field="email") from err
    supporter = Supporter.objects.create(
        user=user, constituency=constituency, membership=membership
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(supporter=supporter, kind=kind, wording=WORDING[kind], given_at=now)
        for kind in sorted(consents)
    )
    audit_record(
        actor_id=user.pk,
        action="supporter.signup",
        object_type="supporter",
        object_id=user.pk,
        summary=f"consents: {', '.join(sorted(consents)) or 'none'}",
    )
    _login_email_enqueue(user=user, site_url=site_url, first=True, key=f"signup:{user.pk}")
    return supporter


def login_link_send(*, email: str, site_url: str) -> None:
    """Queue a task that emails a login link to ``email`` if it has an active account.

    The request does the same work (one task queued) whether or not the address is known, so
    neither its answer nor its time says which; the task looks the address up."""
    from grassroots.web.people.tasks import login_link_email

    login_link_email.enqueue(normalise_email(email), site_url)


@transaction.atomic
def login_link_email_queue(*, email: str, site_url: str, key: str) -> None:
    """Queue the login-link email for ``email``'s active account, if there is one (run by the
    ``login_link_email`` task; ``key`` is the task's, so a task run twice queues one email)."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        _login_email_enqueue(user=user, site_url=site_url, first=False, key=key)


@transaction.atomic(durable=True)
def supporter_verify(*, user: User) -> bool:
    """Mark the user's email as confirmed (following a link proves it); True if it was new."""
    updated = Supporter.objects.filter(user=user, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now()
    )
    if updated:
        audit_record(
            actor_id=user.pk, action="supporter.verify", object_type="supporter", object_id=user.pk
        )
    return bool(updated)


@transaction.atomic(durable=True)
def consent_give(*, supporter: Supporter, kind: ConsentKind) -> Consent:
    """Give a consent with today's wording; giving one already given is refused."""
    if supporter.consents.filter(kind=kind, withdrawn_at__isnull=True).exists():
        raise DomainError("You have already given this consent.")
    consent = Consent.objects.create(supporter=supporter, kind=kind, wording=WORDING[kind])
    audit_record(
        actor_id=supporter.pk,
        action="consent.give",
        object_type="supporter",
        object_id=supporter.pk,
        summary=kind,
    )
    return consent


@transaction.atomic(durable=True)
def consent_withdraw(*, supporter: Supporter, kind: ConsentKind) -> None:
    """Withdraw a consent; the row stays, with the time it was withdrawn."""
    updated = supporter.consents.filter(kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        raise DomainError("This consent is not currently given.")
    audit_record(
        actor_id=supporter.pk,
        action="consent.withdraw",
        object_type="supporter",
        object_id=supporter.pk,
        summary=kind,
    )


def _relayed_message_enqueue(*, message: Message, site_url: str) -> None:
    sender, recipient = message.sender, message.recipient
    reply = site_url.rstrip("/") + reverse("people:message_send", args=[sender.pk])
    body = (
        f"Hello {recipient.user.name},\n\n"
        f"{sender.user.name}, a supporter in {sender.constituency.name} CLP, sent you this "
        f"message through {settings.GRASSROOTS_ALLIANCE_NAME}:\n\n{message.body}\n\n"
        f"To reply, use the site (your email address stays private): {reply}\n"
    )
    email_enqueue(
        key=f"message:{message.pk}",
        to=recipient.user.email,
        subject=f"A message from {sender.user.name} in your CLP",
        body=body,
    )


@transaction.atomic(durable=True)
def message_send(*, sender: Supporter, recipient: Supporter, body: str, site_url: str) -> Message:
    """Store a message and queue an email of it to the recipient with the sender's name
    and a link to reply through the site. The caller checks access
    (``people.access.contact_for_supporter``)."""
    body = body.strip()
    if not body:
        raise DomainError("Write a message.", field="body")
    message = Message.objects.create(sender=sender, recipient=recipient, body=body)
    audit_record(
        actor_id=sender.pk, action="message.send", object_type="message", object_id=message.pk
    )
    _relayed_message_enqueue(message=message, site_url=site_url)
    return message


@transaction.atomic(durable=True)
def supporter_erase(*, supporter: Supporter, actor: User | None = None) -> None:
    """Erase a supporter: their account, supporter record, consents and messages (sent and
    received), and by cascade what other apps hold about them (their organisation memberships
    and group requests). The audit log keeps a row saying a supporter was erased, with no
    personal data; its actor is the supporter, or the administrator acting on their request."""
    pk = supporter.pk
    Message.objects.filter(sender=supporter).delete()
    Message.objects.filter(recipient=supporter).delete()
    Email.objects.filter(to__iexact=supporter.user.email).delete()  # the outbox, sent or not
    supporter.user.delete()  # cascades to the supporter and consents
    audit_record(
        actor_id=actor.pk if actor is not None else pk,
        action="supporter.erase",
        object_type="supporter",
        object_id=pk,
    )


@transaction.atomic  # not durable: the alliance's services call it inside their own
def role_grant(*, actor: User | None, user: User, role: Role) -> None:
    """Give ``user`` a group role (organiser, affiliate representative, committee, admin)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    user_roles_forget(user)
    audit_record(
        actor_id=actor.pk if actor else None,
        action="role.grant",
        object_type="user",
        object_id=user.pk,
        summary=role.value,
    )


@transaction.atomic  # not durable: the alliance's services call it inside their own
def role_revoke(*, actor: User | None, user: User, role: Role) -> bool:
    """Take a group role away from ``user``; audit. True if they held it, False (and no audit
    row) if they did not. A superuser stays an administrator whatever their groups."""
    group = Group.objects.filter(name=role.value).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    user_roles_forget(user)
    audit_record(
        actor_id=actor.pk if actor else None,
        action="role.revoke",
        object_type="user",
        object_id=user.pk,
        summary=role.value,
    )
    return True
