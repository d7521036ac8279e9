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
import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from grassroots.web.campaign import services as campaign_services
from grassroots.web.campaign.models import PlanRule
from grassroots.web.constituencies.models import Constituency
from grassroots.web.discussions import services as discussion_services
from grassroots.web.discussions.models import Frequency, Post
from grassroots.web.discussions.notify import digests_queue
from grassroots.web.discussions.spaces import Space
from grassroots.web.events.services import event_publish
from grassroots.web.mail.models import Email
from grassroots.web.mailings import services as mailing_services
from grassroots.web.mailings.models import Audience
from grassroots.web.people.models import (
    Consent,
    ConsentKind,
    Supporter,
    Topic,
    Unsubscription,
    User,
)
from grassroots.web.people.roles import Role
from grassroots.web.people.subscriptions import TOPIC_CONSENT, email_to_supporter
from grassroots.web.reports import services as report_services
from grassroots.web.reports.models import Reporter
from tests.web.campaign_factories import campaign_create
from tests.web.discussion_factories import thread_start, writer
from tests.web.factories import event_create, role_holder_create, supporter_create

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
    ("web/ballots/sealed.py", "_trustee_tell", "send_later"): Site(
        PART_OF, "the returning officer named this person a trustee of a sealed ballot: once"
    ),
    ("web/candidacy/services.py", "profile_link_send", "send_later"): Site(
        PART_OF,
        "a candidate's own link to write their page, sent once per organiser's request to the "
        "address they gave for the candidacy",
    ),
    ("web/affiliation/services.py", "application_submit", "send_later"): Site(
        ASKED,
        "the acknowledgement of an application to affiliate, once per application, to the "
        "contact address the application gave",
    ),
    ("web/affiliation/services.py", "application_decide", "send_later"): Site(
        PART_OF,
        "the committee's decision on the application, once, to the contact address it gave "
        "(with the link to name its representatives when accepted)",
    ),
    ("web/events/rsvps.py", "_place_email", "send_later"): Site(
        ASKED, "a place came free and is theirs: they joined the event's waiting list for it"
    ),
    ("web/mailings/services.py", "mailing_test_send", "email_enqueue"): Site(
        ASKED, "the organiser's test of a draft mailing, to their own address, at their request"
    ),
    # Topic-bound: each goes through email_to_supporter and has a TopicKind below.
    ("web/mailings/delivery.py", "mailing_batch_send", "email_to_supporter"): Site(
        TOPIC, "an organisers' mailing to each recipient of its frozen audience", Topic.MAILINGS
    ),
    ("web/campaign/mailing.py", "plan_emails_batch", "email_to_supporter"): Site(
        TOPIC, "a published vote plan: the supporter's group's order, or the table", Topic.MAILINGS
    ),
    ("web/events/rsvps.py", "announce_send", "email_to_supporter"): Site(
        TOPIC, "a newly published event, to supporters in its CLP's region", Topic.EVENTS
    ),
    ("web/discussions/notify.py", "post_notify_batch", "email_to_supporter"): Site(
        TOPIC,
        "a new post, to readers of its space who chose every post or were mentioned",
        Topic.DISCUSSIONS,
    ),
    ("web/discussions/notify.py", "digest_batch", "email_to_supporter"): Site(
        TOPIC, "the daily or weekly digest, to each person who chose one", Topic.DISCUSSIONS
    ),
    ("web/reports/delivery.py", "report_send", "email_to_supporter"): Site(
        TOPIC, "a representative's report, to the supporters who follow them", Topic.REPORTS
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
# The supporter who did not do the kind's ``opt_in`` (the one refusal it is not applied for).
NOT_ASKED = "did not ask for it"
REFUSALS[NOT_ASKED] = lambda _s, _topic: None
ASKED_REFUSALS = (NOT_ASKED, *OWN_ACT_REFUSALS)


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


SITE_URL = "http://testserver/"


def _on_commit_run() -> Any:
    """Run what waits for the commit (the tasks, which run at once in these tests)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _mailing_send(supporters: Sequence[Supporter]) -> None:
    """An organiser writes a mailing to every supporter, tests it and sends it."""
    organiser = role_holder_create(Role.ORGANISER)
    mailing = mailing_services.mailing_create(
        actor=organiser, subject="Hustings next week", body="Come along.", audience=Audience.ALL
    )
    mailing_services.mailing_test_send(actor=organiser, mailing=mailing)
    Email.objects.filter(to=organiser.email).delete()  # the organiser's own test copy
    with _on_commit_run():
        mailing_services.mailing_send(actor=organiser, mailing=mailing, site_url=SITE_URL)


def _plan_publish(supporters: Sequence[Supporter]) -> None:
    """A vote plan by region, its Yorkshire group covering the supporters' CLP, published."""
    campaign = campaign_create()
    plan = campaign_services.plan_create(
        actor=campaign.organiser,
        slate=campaign.slate,
        section=campaign.section,
        rule=PlanRule.REGION,
    )
    regions = {supporter.constituency.region for supporter in supporters}
    assert regions <= set(plan.groups.values_list("region", flat=True))
    with _on_commit_run():
        campaign_services.plan_publish(actor=campaign.organiser, plan=plan, site_url=SITE_URL)


def _event_publish(supporters: Sequence[Supporter]) -> None:
    """A draft event in the supporters' CLP, published by the committee."""
    (clp,) = {supporter.constituency for supporter in supporters}
    event = event_create(title="Leeds meeting", published=False, constituency=clp)
    with _on_commit_run():
        event_publish(actor=role_holder_create(Role.COMMITTEE), event=event, site_url=SITE_URL)


def _author(supporters: Sequence[Supporter]) -> User:
    """Someone else, who accepted the code of conduct, writing to every supporter's space."""
    author = supporter_create(clp=supporters[0].constituency, email="author@example.org")
    return writer(author.user)


def _every_post(supporter: Supporter) -> None:
    discussion_services.notification_choose(person=supporter.user, frequency=Frequency.IMMEDIATE)


def _post_write(supporters: Sequence[Supporter]) -> None:
    thread_start(_author(supporters), space=Space(), title="Leaflets")


def _daily_digest(supporter: Supporter) -> None:
    discussion_services.notification_choose(person=supporter.user, frequency=Frequency.DAILY)


DIGEST_NOW = datetime.datetime(2026, 3, 4, 7, tzinfo=datetime.UTC)


def _digest_send(supporters: Sequence[Supporter]) -> None:
    """A post in the supporters' space yesterday, then the digest command's run this morning."""
    thread = thread_start(_author(supporters), space=Space(), title="Leaflets")
    Post.objects.filter(thread=thread).update(created_at=DIGEST_NOW - datetime.timedelta(hours=14))
    with _on_commit_run():
        digests_queue(now=DIGEST_NOW, site_url=SITE_URL)


def _reporter() -> Reporter:
    """The one representative with a page of reports, made by an organiser when first asked."""
    found = Reporter.objects.filter(slug="nina-exec").first()
    if found is not None:
        return found
    return report_services.reporter_create(
        actor=role_holder_create(Role.ORGANISER), name="Nina Exec", role="Party executive"
    )


def _reporter_follow(supporter: Supporter) -> None:
    report_services.reporter_follow(user=supporter.user, reporter=_reporter())


def _report_publish(supporters: Sequence[Supporter]) -> None:
    reporter = _reporter()
    with _on_commit_run():
        report_services.report_publish(
            actor=reporter.created_by,
            reporter=reporter,
            meeting="National Executive Committee",
            met_on=timezone.localdate() - datetime.timedelta(days=1),
            decisions="The conference timetable was agreed.",
            site_url=SITE_URL,
        )


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
    # Each feature's own kind, sent through its own services and tasks.
    TopicKind(
        "an organisers' mailing",
        Topic.MAILINGS,
        trigger=_mailing_send,
        refusals=CONTACT_REFUSALS,
        call_site=("web/mailings/delivery.py", "mailing_batch_send", "email_to_supporter"),
    ),
    TopicKind(
        "a published vote plan",
        Topic.MAILINGS,
        trigger=_plan_publish,
        refusals=CONTACT_REFUSALS,
        call_site=("web/campaign/mailing.py", "plan_emails_batch", "email_to_supporter"),
    ),
    TopicKind(
        "an event announcement",
        Topic.EVENTS,
        trigger=_event_publish,
        refusals=CONTACT_REFUSALS,
        call_site=("web/events/rsvps.py", "announce_send", "email_to_supporter"),
    ),
    TopicKind(
        "a discussion post notification",
        Topic.DISCUSSIONS,
        trigger=_post_write,
        refusals=ASKED_REFUSALS,
        opt_in=_every_post,
        call_site=("web/discussions/notify.py", "post_notify_batch", "email_to_supporter"),
    ),
    TopicKind(
        "a discussion digest",
        Topic.DISCUSSIONS,
        trigger=_digest_send,
        refusals=ASKED_REFUSALS,
        opt_in=_daily_digest,
        call_site=("web/discussions/notify.py", "digest_batch", "email_to_supporter"),
    ),
    TopicKind(
        "a representative's report",
        Topic.REPORTS,
        trigger=_report_publish,
        refusals=ASKED_REFUSALS,
        opt_in=_reporter_follow,
        call_site=("web/reports/delivery.py", "report_send", "email_to_supporter"),
    ),
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
        if refusal != NOT_ASKED:
            kind.opt_in(supporter)
        REFUSALS[refusal](supporter, kind.topic)
        refused[supporter.user.email] = refusal

    kind.trigger([consenting, *(Supporter.objects.filter(user__email__in=refused))])

    sent = sorted(Email.objects.values_list("to", flat=True))
    assert sent == ["yes@example.org"], {to: refused.get(to, "may") for to in sent}
    assert set(Email.objects.values_list("kind", flat=True)) == {kind.topic}


def test_every_topic_is_checked() -> None:
    assert {kind.topic for kind in TOPIC_KINDS} == set(Topic.values)
