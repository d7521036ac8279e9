"""Every kind of email the site sends, against consents and unsubscribes.

``CALL_SITES`` lists each place in ``src`` that queues or sends an email, found by reading
the source (``test_every_place_that_sends_email_is_listed`` fails when a new one appears
without a row). Each row says why the email needs no consent (the person asked for that very
email, or it is about something they are part of), or names the topic it belongs to.

``TOPIC_KINDS`` then triggers each topic-bound kind for one supporter who may be emailed and
one for each way of not being: no consent, consent withdrawn, unsubscribed from the topic,
email unconfirmed, account closed. Only the first may get it. A new topic-bound email (a
mailing, an event announcement, a discussion notification, a representative's report) adds
a row to each table: its call site, and a ``TopicKind`` whose ``trigger`` sends it to the
supporters it is given, and whose ``opt_in`` does what a supporter does to ask for it (follow
a representative, choose notifications), so that "without consent" means not having done it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

from grassroots.web.constituencies.models import Constituency
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Consent, ConsentKind, Supporter, Topic, Unsubscription
from grassroots.web.people.subscriptions import TOPIC_CONSENT, email_to_supporter
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "grassroots"

# The names that put an email on its way: the outbox and its two doors, and Django's own.
SENDERS = frozenset(
    {
        "email_enqueue",
        "send_later",
        "email_to_supporter",
        "EmailMessage",
        "EmailMultiAlternatives",
        "send_mail",
        "send_mass_mail",
        "mail_admins",
        "mail_managers",
    }
)

ASKED = "asked for"  # the person asked for this very email
PART_OF = "part of"  # about something the person is part of, told once
DOOR = "door"  # a function every email of its kind passes through
TOPIC = "topic"  # the supporter may opt out: sent through email_to_supporter


@dataclass(frozen=True)
class Site:
    why: str  # ASKED, PART_OF, DOOR or TOPIC
    reason: str
    topic: str = ""


# (module under src/grassroots, the function that makes the call, what it calls) → why.
CALL_SITES: dict[tuple[str, str, str], Site] = {
    # The doors.
    ("web/mail/services.py", "email_deliver", "EmailMessage"): Site(
        DOOR, "the outbox worker sends what was queued; whether to send was decided then"
    ),
    ("web/people/mail.py", "send_later", "email_enqueue"): Site(
        DOOR, "queues a consent-free email; each caller is listed below with its reason"
    ),
    ("web/people/subscriptions.py", "email_to_supporter", "email_enqueue"): Site(
        DOOR, "queues a topic email only if may_email() allows; TOPIC_KINDS checks each topic"
    ),
    # Asked for by the person.
    ("web/people/services.py", "_login_email_enqueue", "email_enqueue"): Site(
        ASKED, "the confirmation or login link the person asked for on the site"
    ),
    ("web/people/services.py", "_signup_again_email", "send_later"): Site(
        ASKED, "someone signed up with the address: only its owner is told, once per sign-up"
    ),
    ("web/ballots/delivery.py", "credentials_deliver_batch", "EmailMessage"): Site(
        PART_OF, "a voting link to a voter on the ballot's roll (or one they asked to resend)"
    ),
    ("web/ballots/services.py", "_receipt_email_enqueue", "email_enqueue"): Site(
        ASKED, "the voter's receipt, on a ballot set to email receipts, after they voted"
    ),
    ("web/people/services.py", "_relayed_message_enqueue", "email_enqueue"): Site(
        PART_OF,
        "a message from a supporter of their CLP, which the recipient's visibility consent "
        "allows (people.consents), and which they may block",
    ),
    # About something the person is part of.
    ("web/ballots/services.py", "_send_choice_reminders", "send_later"): Site(
        PART_OF, "a member of several organisations in a joint ballot must choose one to vote"
    ),
    ("web/ballots/services.py", "_send_result", "send_later"): Site(
        PART_OF, "the returning officer and the scrutineers they named hear the result"
    ),
    ("web/alliance/services.py", "_representative_ask", "send_later"): Site(
        PART_OF, "a naming request: the organisation gave this address for its representative"
    ),
    ("web/events/services.py", "_contact_ask", "send_later"): Site(
        PART_OF, "a naming request: the organisers gave this address as the event's contact"
    ),
    ("web/candidacy/services.py", "profile_link_send", "send_later"): Site(
        PART_OF,
        "a candidate's own link to write their page, sent once per organiser's request to the "
        "address they gave for the candidacy",
    ),
}


def _call_sites() -> Iterator[tuple[str, str, str]]:
    """Every call of a sender in the source, with the function it is made in."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        module = path.relative_to(SRC).as_posix()

        def walk(node: ast.AST, function: str) -> Iterator[tuple[str, str, str]]:
            for child in ast.iter_child_nodes(node):
                inside = function
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    inside = child.name
                if isinstance(child, ast.Call):
                    callee = child.func
                    name = (
                        callee.id
                        if isinstance(callee, ast.Name)
                        else callee.attr
                        if isinstance(callee, ast.Attribute)
                        else ""
                    )
                    if name in SENDERS:
                        yield (module, function, name)  # noqa: B023  # used at once
                yield from walk(child, inside)

        yield from walk(tree, "<module>")


def test_every_place_that_sends_email_is_listed() -> None:
    """A new call of email_enqueue, send_later, email_to_supporter or Django's mail functions
    fails here until it has a row in CALL_SITES saying why it may send (and, for a topic, a
    TOPIC_KINDS row that checks it)."""
    found = set(_call_sites())

    assert sorted(found - set(CALL_SITES)) == [], "sends email but is not in CALL_SITES"
    assert sorted(set(CALL_SITES) - found) == [], "listed in CALL_SITES but no longer there"


def test_every_topic_bound_call_site_has_a_topic_kind() -> None:
    topics_sent = {site.topic for site in CALL_SITES.values() if site.why == TOPIC}
    checked = {kind.topic for kind in TOPIC_KINDS if kind.call_site is not None}

    assert topics_sent <= checked
    assert all(site.topic in Topic.values for site in CALL_SITES.values() if site.why == TOPIC)
    assert all(site.reason for site in CALL_SITES.values())


# Ways a supporter may not be emailed on a topic, each applied to a fresh supporter.
def _no_consent(supporter: Supporter) -> None:
    supporter.consents.filter(kind=ConsentKind.CONTACT).delete()


def _consent_withdrawn(supporter: Supporter) -> None:
    Consent.objects.filter(supporter=supporter, kind=ConsentKind.CONTACT).update(
        withdrawn_at=timezone.now()
    )


def _unsubscribed(supporter: Supporter, topic: str) -> None:
    Unsubscription.objects.create(user=supporter.user, topic=topic)


def _unconfirmed(supporter: Supporter) -> None:
    Supporter.objects.filter(pk=supporter.pk).update(email_verified_at=None)


def _closed(supporter: Supporter) -> None:
    supporter.user.is_active = False
    supporter.user.save(update_fields=["is_active"])


REFUSALS: dict[str, Callable[[Supporter, str], None]] = {
    "no contact consent": lambda s, _topic: _no_consent(s),
    "contact consent withdrawn": lambda s, _topic: _consent_withdrawn(s),
    "unsubscribed from the topic": _unsubscribed,
    "email unconfirmed": lambda s, _topic: _unconfirmed(s),
    "account closed": lambda s, _topic: _closed(s),
}
CONTACT_REFUSALS = tuple(REFUSALS)
# Topics asked for by the supporter's own act: not doing it is their "no consent", which the
# feature's own TopicKind expresses through ``opt_in``.
OWN_ACT_REFUSALS = ("unsubscribed from the topic", "email unconfirmed", "account closed")


def _door(topic: str) -> Callable[[Sequence[Supporter]], None]:
    def trigger(supporters: Sequence[Supporter]) -> None:
        for supporter in supporters:
            email_to_supporter(
                topic=topic,
                user=supporter.user,
                subject="Test",
                body="Test.",
                key=f"door:{topic}:{supporter.pk}",
                site_url="http://testserver",
            )

    return trigger


@dataclass(frozen=True)
class TopicKind:
    """A kind of email on a topic: how to send it to some supporters, and what a supporter
    does to ask for it. ``call_site`` is its CALL_SITES key (None for the door itself)."""

    name: str
    topic: str
    trigger: Callable[[Sequence[Supporter]], None]
    refusals: tuple[str, ...]
    opt_in: Callable[[Supporter], None] = field(default=lambda _supporter: None)
    call_site: tuple[str, str, str] | None = None


TOPIC_KINDS: list[TopicKind] = [
    # email_to_supporter itself, for each topic: every topic-bound kind goes through it.
    *(
        TopicKind(
            name=f"any {topic.label.lower()} email",
            topic=topic,
            trigger=_door(topic),
            refusals=CONTACT_REFUSALS
            if TOPIC_CONSENT[topic] == ConsentKind.CONTACT
            else OWN_ACT_REFUSALS,
        )
        for topic in Topic
    ),
    # Mailings, event announcements, discussion notifications and representatives' reports
    # add their rows here as they land, e.g.
    # TopicKind("a mailing", Topic.MAILINGS, trigger=_mailing_send, refusals=CONTACT_REFUSALS,
    #           call_site=("web/mailings/tasks.py", "mailing_deliver", "email_to_supporter")),
]


def _kinds() -> Iterator[object]:
    for kind in TOPIC_KINDS:
        yield pytest.param(kind, id=kind.name)


@pytest.mark.parametrize("kind", list(_kinds()))
def test_only_the_supporter_who_may_be_emailed_gets_each_topic_email(
    kind: TopicKind, clp: Constituency
) -> None:
    consenting = supporter_create(clp=clp, email="yes@example.org")
    kind.opt_in(consenting)
    refused = {}
    for number, refusal in enumerate(kind.refusals):
        supporter = supporter_create(clp=clp, email=f"no{number}@example.org")
        kind.opt_in(supporter)
        REFUSALS[refusal](supporter, kind.topic)
        refused[supporter.user.email] = refusal

    kind.trigger([consenting, *(Supporter.objects.filter(user__email__in=refused))])

    sent = sorted(Email.objects.values_list("to", flat=True))
    assert sent == ["yes@example.org"], {to: refused.get(to, "may") for to in sent}
    assert set(Email.objects.values_list("kind", flat=True)) == {kind.topic}


def test_every_topic_is_checked() -> None:
    assert {kind.topic for kind in TOPIC_KINDS} == set(Topic.values)
