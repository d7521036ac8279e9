"""Writing people: sign-up, verification, consents, relayed messages, roles and erasure.

Each service takes keyword-only arguments, runs in one transaction that also writes the audit
row, and queues its email in that transaction for the worker to send (``mail.services``): no
request waits for a mail server. Audit summaries never hold personal data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from grassroots.web.audit.services import audit_person_forget, audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.emailtext import subject_line
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.consents import WORDING
from grassroots.web.people.erasure import person_erasure_steps_run
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import (
    Consent,
    ConsentKind,
    Membership,
    Message,
    MessageBlock,
    MessageReport,
    Supporter,
    User,
    normalise_email,
)
from grassroots.web.people.roles import Role, user_roles_forget


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


def _signup_again_email(*, user: User, site_url: str) -> None:
    """Tell an address's owner that someone tried to sign up with it (perhaps themselves):
    the sign-up page answers the same as for a new address, so only the owner learns it."""
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    login = site_url.rstrip("/") + reverse("people:login")
    body = (
        f"Hello {user.name},\n\n"
        f"Someone tried to sign up to {alliance} with your email address, which already has "
        "an account. If it was you, there is nothing to do: log in here instead:\n\n"
        f"{login}\n\n"
        "If it was not you, ignore this email: nothing was changed and nobody was told that "
        "this address has an account.\n"
    )
    send_later(
        subject=f"Someone tried to sign up to {alliance} with your address",
        body=body,
        to=user.email,
    )


@transaction.atomic(durable=True)
def supporter_signup(
    *,
    name: str,
    email: str,
    constituency: Constituency,
    membership: Membership,
    consents: set[ConsentKind],
    site_url: str,
    joined: Callable[[Supporter], None] | None = None,
) -> Supporter | None:
    """Sign the appeal: create the account and supporter, record each consent with its wording,
    audit, and queue an email with a link that confirms the address. ``joined``, when given,
    runs with the new supporter inside the same transaction (an app above people counting
    sign-ups through an invitation, which people cannot import).

    An address (in any case) that already has an account changes nothing and returns None:
    its owner is emailed instead, and the caller answers exactly as for a new address, so the
    page never tells whether an address belongs to a supporter.
    """
    email = normalise_email(email)
    if not constituency.has_clp:
        raise DomainError("There are no CLPs in Northern Ireland.", field="clp")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _signup_again_email(user=existing, site_url=site_url)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, name=name.strip())
    except IntegrityError:  # a sign-up with the same address won the race
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            _signup_again_email(user=existing, site_url=site_url)
        return None
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
    if joined is not None:
        joined(supporter)
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
        subject=subject_line(f"A message from {sender.user.name} in your CLP"),
        body=body,
    )


@transaction.atomic(durable=True)
def message_send(
    *, sender: Supporter, recipient: Supporter, body: str, site_url: str
) -> Message | None:
    """Store a message and queue an email of it to the recipient with the sender's name
    and a link to reply through the site. The caller checks access
    (``people.access.contact_for_supporter``) and the sender's rate limit.

    If the recipient has blocked the sender, nothing is stored or sent and None is returned;
    the caller answers the sender exactly as for a sent message, so the block stays unseen.
    """
    body = body.strip()
    if not body:
        raise DomainError("Write a message.", field="body")
    if MessageBlock.objects.filter(blocker=recipient, blocked=sender).exists():
        audit_record(actor_id=sender.pk, action="message.withhold", object_type="message")
        return None
    message = Message.objects.create(sender=sender, recipient=recipient, body=body)
    audit_record(
        actor_id=sender.pk, action="message.send", object_type="message", object_id=message.pk
    )
    _relayed_message_enqueue(message=message, site_url=site_url)
    return message


@transaction.atomic(durable=True)
def message_block(*, blocker: Supporter, blocked: Supporter) -> None:
    """Receive no more messages from ``blocked`` (blocking twice changes nothing)."""
    if blocker.pk == blocked.pk:
        raise DomainError("You cannot block yourself.")
    _, created = MessageBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        audit_record(
            actor_id=blocker.pk,
            action="message.block",
            object_type="supporter",
            object_id=blocked.pk,
        )


@transaction.atomic(durable=True)
def message_unblock(*, blocker: Supporter, blocked: Supporter) -> None:
    """Receive messages from ``blocked`` again."""
    deleted, _ = MessageBlock.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        audit_record(
            actor_id=blocker.pk,
            action="message.unblock",
            object_type="supporter",
            object_id=blocked.pk,
        )


@transaction.atomic(durable=True)
def message_report(*, message: Message, reason: str, block: bool) -> MessageReport:
    """Put a received message in the organisers' queue with the recipient's reason, and
    block its sender if the recipient asks. The caller checks that the viewer received it
    (``people.access.message_for_recipient``)."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Say what is wrong with the message.", field="reason")
    if MessageReport.objects.filter(message=message, resolved_at__isnull=True).exists():
        raise DomainError("You have already reported this message; the organisers have it.")
    report = MessageReport.objects.create(message=message, reason=reason)
    audit_record(
        actor_id=message.recipient_id,
        action="message.report",
        object_type="message",
        object_id=message.pk,
    )
    if block:
        _, created = MessageBlock.objects.get_or_create(
            blocker_id=message.recipient_id, blocked_id=message.sender_id
        )
        if created:
            audit_record(
                actor_id=message.recipient_id,
                action="message.block",
                object_type="supporter",
                object_id=message.sender_id,
            )
    return report


@transaction.atomic(durable=True)
def message_report_resolve(*, actor: User, report: MessageReport, resolution: str) -> None:
    """Close a report with what the organisers did about it (audited, with no text)."""
    resolution = resolution.strip()
    if not resolution:
        raise DomainError("Say what was done about the report.", field="resolution")
    if report.resolved_at is not None:
        raise DomainError("This report is already closed.")
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.resolution = resolution
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor_id=actor.pk,
        action="message.report_resolve",
        object_type="message_report",
        object_id=report.pk,
    )


@transaction.atomic(durable=True)
def person_erase(*, person: User, actor: User | None = None) -> None:
    """Erase a person: their account and everything the site holds that names them.

    The one door for ``/me/erase/`` and the administrator's erase action. Steps:

    1. each app above people unlinks or deletes its rows about them (``people.erasure``): the
       ballots unlink their roll entries and void unused credentials, the alliance forgets a
       representative's name, the slates a nomination's submitter, and so on;
    2. their messages, sent and received, are deleted;
    3. the audit log forgets their id (``audit_person_forget``), keeping its facts;
    4. the account is deleted, and with it by cascade the supporter record, consents,
       organisation memberships and group requests; links from other rows become empty;
    5. one audit row says a person was erased, by themselves or by an administrator, with
       no id of theirs.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    pk = person.pk
    person_erasure_steps_run(person=person)
    Message.objects.filter(sender_id=pk).delete()
    Message.objects.filter(recipient_id=pk).delete()
    Email.objects.filter(to__iexact=person.email).delete()  # the outbox, sent or not
    audit_person_forget(person_id=pk)
    person.delete()
    by_administrator = actor is not None and actor.pk != pk
    audit_record(
        actor_id=actor.pk if by_administrator and actor is not None else None,
        action="person.erase",
        object_type="user",
        summary="at the request of the person, by an administrator"
        if by_administrator
        else "by the person",
    )


def supporter_erase(*, supporter: Supporter, actor: User | None = None) -> None:
    """Erase a supporter (``person_erase`` of their account)."""
    person_erase(person=supporter.user, actor=actor)


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
