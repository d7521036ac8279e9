"""Discussions' rules, through the services: who reads and writes where, mentions, the
sanitiser, notifications and digests, moderation, erasure and the data export."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.discussions import markup, services
from grassroots.web.discussions.models import Frequency, Mention, Post, Suspension, Thread
from grassroots.web.discussions.notify import digest_period
from grassroots.web.discussions.selectors import discussions_export
from grassroots.web.discussions.spaces import Space, space_readable, space_readers
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Supporter, Topic
from grassroots.web.people.roles import Role
from grassroots.web.people.services import person_erase
from grassroots.web.people.subscriptions import topic_unsubscribe
from tests.web.discussion_factories import member_confirmed, reply, thread_start, writer
from tests.web.factories import organisation_create, representative_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(clp: Constituency, make_supporter: Callable[..., Supporter]) -> dict[str, Any]:
    """A local group with a confirmed member and a representative, and a supporter outside it."""
    group = organisation_create(name="Leeds Left", kind="local", clps=[clp])
    member = make_supporter(clp=clp, name="Nia Evans", email="nia@example.org")
    member_confirmed(member, group)
    rep = make_supporter(clp=clp, name="Rita Rep")
    representative_create(organisation=group, supporter=rep)
    outsider = make_supporter(clp=clp, name="Owen Parry", email="owen@example.org")
    return {
        "group": group,
        "space": Space(group),
        "member": writer(member.user),
        "rep": writer(rep.user),
        "outsider": writer(outsider.user),
    }


def test_a_supporter_outside_a_group_can_neither_read_nor_write_in_its_space(
    people: dict[str, Any],
) -> None:
    space = people["space"]

    assert space_readable(people["member"], space)
    assert space_readable(people["rep"], space)
    assert not space_readable(people["outsider"], space)
    with pytest.raises(DomainError) as refused:
        thread_start(people["outsider"], space=space)
    assert refused.value.message == services.NOT_A_READER
    assert Thread.objects.count() == 0


def test_a_pending_member_or_an_unverified_supporter_reads_no_closed_space(
    people: dict[str, Any], clp: Constituency, make_supporter: Callable[..., Supporter]
) -> None:
    from grassroots.web.alliance.models import OrganisationMembership

    pending = make_supporter(clp=clp)
    OrganisationMembership.objects.create(
        organisation=people["group"], supporter=pending, consent_wording="I belong."
    )
    unverified = make_supporter(clp=clp, verified=False)

    assert not space_readable(pending.user, people["space"])
    assert space_readable(pending.user, Space())
    assert not space_readable(unverified.user, Space())


def test_organisers_and_the_committee_read_every_space(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    for role in (Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR):
        assert space_readable(make_role_holder(role), people["space"])
    assert not space_readable(make_role_holder(Role.AFFILIATE_REPRESENTATIVE), people["space"])


def test_nobody_writes_before_accepting_the_code_of_conduct(
    clp: Constituency, make_supporter: Callable[..., Supporter]
) -> None:
    newcomer = make_supporter(clp=clp).user

    with pytest.raises(DomainError) as refused:
        thread_start(newcomer)

    assert refused.value.message == services.CONDUCT_FIRST
    services.conduct_accept(person=newcomer)
    services.conduct_accept(person=newcomer)
    assert thread_start(newcomer).posts.count() == 1
    assert newcomer.discussion_conduct.wording.startswith("I will treat everyone")
    assert AuditEntry.objects.filter(action="discussion.conduct_accept").count() == 1


def test_a_mention_reaches_only_a_reader_of_the_space_who_wrote_there(
    people: dict[str, Any],
) -> None:
    # Owen wrote in the supporters' space, so he is mentionable there, but he cannot read
    # the group's: a mention of him in the group's space names nobody.
    thread_start(people["outsider"], title="Hello all")
    group_thread = thread_start(people["rep"], space=people["space"], title="Group plans")

    post = reply(people["member"], group_thread, "What do @owen-parry and @rita-rep think?")

    assert [m.person for m in Mention.objects.filter(post=post)] == [people["rep"]]
    assert '<span class="mention">@Rita Rep</span>' in post.body_html
    assert "@owen-parry" in post.body_html
    assert "Owen" not in post.body_html


def test_a_reader_who_never_wrote_in_the_space_is_not_mentioned(people: dict[str, Any]) -> None:
    """Mentioning someone who has not written there would confirm they can read it."""
    thread = thread_start(people["rep"], space=people["space"])

    post = reply(people["rep"], thread, "Over to @nia-evans.")

    assert Mention.objects.filter(post=post).count() == 0


@pytest.mark.parametrize(
    ("written", "absent"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ('<img src="x" onerror="alert(1)">', "<img"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data'),
        ('<a href="https://example.org" onclick="steal()">hi</a>', "<a "),
    ],
)
def test_the_sanitiser_strips_what_could_run(written: str, absent: str) -> None:
    html = markup.render(written)

    assert absent not in html


def test_the_sanitiser_removes_scripts_and_handlers_from_raw_html() -> None:
    """Even HTML that got past the renderer loses scripts, handlers and javascript: links."""
    html = markup.sanitise(
        '<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)">b</a>'
        '<img src=x onerror=alert(1)><a href="https://example.org">c</a></p>'
    )

    assert html == (
        '<p>a<a rel="nofollow noopener noreferrer ugc">b</a>'
        '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">c</a></p>'
    )


def test_markdown_keeps_its_formatting() -> None:
    assert markup.render("**bold** and [a link](https://example.org)") == (
        '<p><strong>bold</strong> and <a href="https://example.org" '
        'rel="nofollow noopener noreferrer ugc">a link</a></p>\n'
    )


def _emails_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def test_a_mention_emails_only_whoever_chose_to_hear_and_may_be_emailed(
    people: dict[str, Any],
) -> None:
    services.notification_choose(person=people["member"], frequency=Frequency.MENTIONS)
    thread = thread_start(people["member"], space=people["space"])
    mail.outbox.clear()

    reply(people["rep"], thread, "Thanks @nia-evans.")

    [email] = _emails_to("nia@example.org")
    assert email.subject == "Rita Rep mentioned you in “Which strategy?”"
    assert "Thanks @nia-evans." in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")

    topic_unsubscribe(user=people["member"], topic=Topic.DISCUSSIONS, how="link")
    mail.outbox.clear()
    reply(people["rep"], thread, "Again, @nia-evans?")

    assert _emails_to("nia@example.org") == []
    assert Mention.objects.filter(person=people["member"]).count() == 2


def test_a_choice_of_no_emails_made_after_the_post_was_queued_is_kept(
    people: dict[str, Any],
) -> None:
    """The batch task asks again what each person wants: someone who chose "none" between a
    post and its task gets nothing."""
    from grassroots.web.discussions.notify import post_notify_batch, post_recipient_ids

    services.notification_choose(person=people["member"], frequency=Frequency.IMMEDIATE)
    thread = thread_start(people["rep"], space=people["space"], title="Group plans")
    post = thread.posts.get()
    queued = post_recipient_ids(post=post)
    assert people["member"].pk in queued
    Email.objects.all().delete()

    services.notification_choose(person=people["member"], frequency=Frequency.NONE)
    sent = post_notify_batch(post_id=post.pk, person_ids=queued, site_url="http://testserver")

    assert sent == 0
    assert not Email.objects.exists()


def test_no_email_until_a_person_chooses(people: dict[str, Any]) -> None:
    thread = thread_start(people["member"], space=people["space"])
    mail.outbox.clear()

    reply(people["rep"], thread, "Thanks @nia-evans.")

    assert mail.outbox == []
    assert Mention.objects.filter(person=people["member"]).count() == 1


def test_every_post_emails_the_readers_who_chose_it_but_not_its_author(
    people: dict[str, Any],
) -> None:
    for who in ("member", "rep", "outsider"):
        services.notification_choose(person=people[who], frequency=Frequency.IMMEDIATE)
    mail.outbox.clear()

    thread_start(people["rep"], space=people["space"], title="Group plans")

    assert sorted(message.to[0] for message in mail.outbox) == ["nia@example.org"]
    assert mail.outbox[0].subject == "New post in “Group plans”"


def _at(day: str, time: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{time}"))


def _post_at(author: Any, thread: Thread, body: str, when: datetime.datetime) -> Post:
    post = reply(author, thread, body)
    Post.objects.filter(pk=post.pk).update(created_at=when)
    return post


def _digest(now: str, capture: Any) -> None:
    with capture(execute=True):
        call_command("discussions_digest", now=now, site_url="https://s.example")


def test_the_digest_command_sends_one_email_per_person_per_period(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.notification_choose(person=people["member"], frequency=Frequency.DAILY)
    services.notification_choose(person=people["outsider"], frequency=Frequency.WEEKLY)
    thread = thread_start(people["rep"], space=people["space"], title="Group plans")
    supporters = thread_start(people["rep"], title="For everyone")
    Post.objects.update(created_at=_at("2026-02-20", "08:00"))  # before either period
    _post_at(people["rep"], thread, "Meeting on Tuesday.", _at("2026-03-03", "18:30"))
    _post_at(people["rep"], supporters, "Leaflets are in.", _at("2026-03-03", "19:00"))
    _post_at(people["rep"], supporters, "Too late for yesterday.", _at("2026-03-04", "00:30"))
    mail.outbox.clear()

    _digest("2026-03-04T07:00:00+00:00", django_capture_on_commit_callbacks)
    _digest("2026-03-04T21:00:00+00:00", django_capture_on_commit_callbacks)

    [daily] = mail.outbox
    assert daily.to == ["nia@example.org"]
    assert daily.subject == "Daily discussions digest, 2026-03-03"
    assert "Meeting on Tuesday." in daily.body
    assert "Leaflets are in." in daily.body
    assert "Too late" not in daily.body
    assert "https://s.example/discussions/threads/" in daily.body
    assert daily.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Email.objects.filter(key__startswith="discussions:digest:").count() == 1

    mail.outbox.clear()
    _digest("2026-03-09T07:00:00+00:00", django_capture_on_commit_callbacks)
    _digest("2026-03-10T07:00:00+00:00", django_capture_on_commit_callbacks)

    [weekly] = mail.outbox
    assert weekly.to == ["owen@example.org"]
    assert weekly.subject == "Weekly discussions digest, 2026-W10"
    assert "Leaflets are in." in weekly.body
    assert "Meeting on Tuesday." not in weekly.body  # the group's space is not his


def test_the_digest_periods_are_whole_days_and_weeks_in_uk_time() -> None:
    now = _at("2026-03-30", "00:30")  # a Monday, the day after the clocks went forward

    assert digest_period(Frequency.DAILY, now)[2] == "2026-03-29"
    start, end, label = digest_period(Frequency.WEEKLY, now)
    assert (start.date().isoformat(), end.date().isoformat(), label) == (
        "2026-03-23",
        "2026-03-30",
        "2026-W13",
    )


def test_the_digest_command_refuses_a_bad_time() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--now 'yesterday': expected an ISO 8601 time"):
        call_command("discussions_digest", now="yesterday")


def test_moderation_actions_are_audited_without_personal_data(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    thread = thread_start(people["member"], space=people["space"])
    post = reply(people["rep"], thread, "Something rude")
    report = services.post_report(reporter=people["member"], post=post, reason="Rude to Nia")
    other = services.post_report(reporter=people["rep"], post=thread.posts.first(), reason="x")

    services.post_hide(moderator=people["rep"], post=post)
    services.post_unhide(moderator=people["rep"], post=post)
    services.report_dismiss(moderator=organiser, report=other)
    services.thread_lock(moderator=people["rep"], thread=thread, locked=True)
    services.thread_lock(moderator=people["rep"], thread=thread, locked=False)
    suspension = services.member_suspend(moderator=organiser, person=people["member"], ends_at=None)
    services.suspension_lift(moderator=organiser, suspension=suspension)

    report.refresh_from_db()
    assert report.status == "hidden"
    logged = list(
        AuditEntry.objects.filter(action__startswith="discussion.")
        .exclude(action="discussion.conduct_accept")
        .values_list("action", "summary")
        .order_by("pk")
    )
    assert [action for action, _ in logged] == [
        "discussion.report",
        "discussion.report",
        "discussion.post_hide",
        "discussion.post_unhide",
        "discussion.report_dismiss",
        "discussion.thread_lock",
        "discussion.thread_unlock",
        "discussion.suspend",
        "discussion.suspension_lift",
    ]
    text = " ".join(summary for _, summary in logged)
    assert not any(word in text for word in ("Nia", "Rita", "Rude", "rude", "@example.org"))


def test_a_suspended_member_cannot_write_until_it_ends(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    thread = thread_start(people["member"])
    services.member_suspend(
        moderator=organiser,
        person=people["member"],
        ends_at=timezone.now() + datetime.timedelta(days=3),
    )

    with pytest.raises(DomainError) as refused:
        reply(people["member"], thread, "Let me in")
    assert refused.value.message == services.SUSPENDED
    with pytest.raises(DomainError):
        thread_start(people["member"], space=people["space"])

    Suspension.objects.update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
    assert reply(people["member"], thread, "Back again").author == people["member"]


def test_a_suspension_must_end_in_the_future(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    with pytest.raises(DomainError) as refused:
        services.member_suspend(
            moderator=make_role_holder(Role.ORGANISER),
            person=people["member"],
            ends_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert (refused.value.field, refused.value.message) == (
        "ends_on",
        "The end must be in the future.",
    )
    assert Suspension.objects.count() == 0


def test_a_locked_thread_refuses_replies(people: dict[str, Any]) -> None:
    thread = thread_start(people["member"], space=people["space"])
    services.thread_lock(moderator=people["rep"], thread=thread, locked=True)

    with pytest.raises(DomainError) as refused:
        reply(people["rep"], thread, "One more thing")

    assert refused.value.message == services.LOCKED
    assert thread.posts.count() == 1


def test_erasure_leaves_threads_readable_by_a_former_supporter(
    people: dict[str, Any],
) -> None:
    thread = thread_start(people["member"], title="Strategy")
    reply(people["outsider"], thread, "Agreed with @nia-evans.")
    services.post_report(reporter=people["member"], post=thread.posts.last(), reason="Testing")

    person_erase(person=people["member"])

    opening, answer = Post.objects.filter(thread=thread).order_by("created_at", "id")
    assert (opening.author, opening.body) == (None, "Let us talk.")
    assert Thread.objects.get(pk=thread.pk).author is None
    assert answer.body == "Agreed with @a-former-supporter."
    assert "Nia" not in answer.body_html
    assert thread.posts.last().reports.get().reporter is None


def test_the_export_holds_posts_reports_and_choices(people: dict[str, Any]) -> None:
    thread = thread_start(people["member"], title="Strategy", body="My *view*")
    services.post_report(
        reporter=people["member"], post=reply(people["rep"], thread, "Hm"), reason="Off topic"
    )
    services.notification_choose(person=people["member"], frequency=Frequency.WEEKLY)

    exported = discussions_export(people["member"])

    assert exported["posts"] == [
        {
            "space": "All supporters",
            "thread": "Strategy",
            "body": "My *view*",
            "created_at": thread.posts.first().created_at.isoformat(),
            "hidden_by_a_moderator": False,
        }
    ]
    assert [r["reason"] for r in exported["reports"]] == ["Off topic"]
    assert exported["notifications"] == "weekly"
    assert exported["code_of_conduct"]["wording"].startswith("I will treat")


def test_readers_of_a_space_are_its_members_representatives_and_organisers(
    people: dict[str, Any], make_role_holder: Callable[[Role], Any]
) -> None:
    committee = make_role_holder(Role.COMMITTEE)

    readers = set(space_readers(people["space"]))

    assert readers == {people["member"], people["rep"], committee}
