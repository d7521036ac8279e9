"""Relayed messages are limited per sender, a recipient can block a sender (who is not told),
and a recipient can report a message to the organisers' queue, where closing it is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Message, MessageBlock, MessageReport, Supporter, User
from grassroots.web.people.ratelimit import (
    MESSAGES_PER_SENDER_DAY,
    MESSAGES_PER_SENDER_HOUR,
    rate_limit_hit,
)
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create

pytestmark = pytest.mark.django_db

MakeSupporter = Callable[..., Supporter]


def _send(client: Client, recipient: Supporter, body: str = "Hello") -> int:
    return client.post(f"/me/contacts/{recipient.pk}/message/", {"body": body}).status_code


def _pair(make_supporter: MakeSupporter, clp: Constituency) -> tuple[Supporter, Supporter]:
    return make_supporter(clp=clp, name="Sam Sender"), make_supporter(clp=clp, name="Rae Recipient")


def test_message_rate_limit_refuses_the_eleventh_in_an_hour(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    client.force_login(sender.user)
    for number in range(MESSAGES_PER_SENDER_HOUR.limit):
        assert _send(client, recipient, f"note {number}") == 302

    response = client.post(f"/me/contacts/{recipient.pk}/message/", {"body": "one more"})

    assert response.status_code == 429
    assert "10 an hour, 30 a day" in response.context["form"].errors["body"][0]
    assert Message.objects.count() == MESSAGES_PER_SENDER_HOUR.limit


def test_message_rate_limit_refuses_after_thirty_in_a_day(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    for _ in range(MESSAGES_PER_SENDER_DAY.limit):  # earlier hours of the same day
        rate_limit_hit(MESSAGES_PER_SENDER_DAY, key=str(sender.pk))
    client.force_login(sender.user)

    assert _send(client, recipient) == 429
    assert not Message.objects.exists()


def test_message_rate_limit_is_per_sender(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    other = make_supporter(clp=clp)
    client.force_login(sender.user)
    for _ in range(MESSAGES_PER_SENDER_HOUR.limit):
        _send(client, recipient)
    client.force_login(other.user)

    assert _send(client, recipient) == 302


def test_blocked_sender_gets_the_same_answer_and_nothing_is_delivered(
    client: Client,
    make_supporter: MakeSupporter,
    clp: Constituency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    client.force_login(sender.user)
    _send(client, recipient, "first")
    client.force_login(recipient.user)
    first = Message.objects.get()
    assert client.post(f"/me/messages/{first.pk}/block/").status_code == 302
    client.force_login(sender.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/me/contacts/{recipient.pk}/message/", {"body": "second"}, follow=True
        )

    assert response.status_code == 200
    assert "Your message to Rae Recipient is on its way." in response.content.decode()
    assert list(Message.objects.values_list("body", flat=True)) == ["first"]
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="message.withhold", actor_id=sender.pk).count() == 1


def test_unblocked_sender_is_delivered_again(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    MessageBlock.objects.create(blocker=recipient, blocked=sender)
    client.force_login(recipient.user)
    page = client.get("/me/messages/").content.decode()
    assert "Sam Sender" in page

    response = client.post(f"/me/messages/blocked/{sender.pk}/unblock/")

    assert response.status_code == 302
    assert not MessageBlock.objects.exists()
    client.force_login(sender.user)
    _send(client, recipient, "again")
    assert Message.objects.get().body == "again"


def test_block_a_message_not_received_is_not_found(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="hi")
    client.force_login(make_supporter(clp=clp).user)

    assert client.post(f"/me/messages/{message.pk}/block/").status_code == 404
    assert client.get(f"/me/messages/{message.pk}/report/").status_code == 404
    assert client.post(f"/me/messages/blocked/{sender.pk}/unblock/").status_code == 404
    assert not MessageBlock.objects.exists()


def test_report_puts_the_message_in_the_queue_blocks_and_audits(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    client.force_login(recipient.user)

    response = client.post(
        f"/me/messages/{message.pk}/report/", {"reason": "Abusive", "block": "on"}
    )

    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.message, report.reason, report.resolved_at) == (message, "Abusive", None)
    assert MessageBlock.objects.filter(blocker=recipient, blocked=sender).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"message.report", "message.block"}


def test_report_without_reason_is_refused_and_nothing_stored(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    client.force_login(recipient.user)

    response = client.post(f"/me/messages/{message.pk}/report/", {"reason": " "})

    assert response.status_code == 400
    assert not MessageReport.objects.exists()
    assert not MessageBlock.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.ADMINISTRATOR])
def test_moderator_sees_the_report_and_closes_it_audited(
    client: Client,
    make_supporter: MakeSupporter,
    make_role_holder: Callable[[Role], User],
    clp: Constituency,
    role: Role,
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    report = MessageReport.objects.create(message=message, reason="Abusive")
    moderator = make_role_holder(role)
    client.force_login(moderator)

    page = client.get("/organise/message-reports/").content.decode()
    response = client.post(
        f"/organise/message-reports/{report.pk}/resolve/", {"resolution": "Warned the sender"}
    )

    assert "Go away" in page
    assert "Abusive" in page
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == moderator
    assert report.resolution == "Warned the sender"
    entry = AuditEntry.objects.get(action="message.report_resolve")
    assert (entry.actor_id, entry.object_id) == (moderator.pk, str(report.pk))
    assert "No open reports." in client.get("/organise/message-reports/").content.decode()


@pytest.mark.parametrize("role", [Role.SUPPORTER, Role.ORGANISER])
def test_report_queue_is_hidden_from_others(
    client: Client,
    make_supporter: MakeSupporter,
    make_role_holder: Callable[[Role], User],
    clp: Constituency,
    role: Role,
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    report = MessageReport.objects.create(message=message, reason="Abusive")
    user = recipient.user if role == Role.SUPPORTER else make_role_holder(role)
    client.force_login(user)

    assert client.get("/organise/message-reports/").status_code == 404
    response = client.post(f"/organise/message-reports/{report.pk}/resolve/", {"resolution": "x"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.resolved_at is None


@pytest.mark.parametrize("item_count", [1, 3])
def test_report_queue_query_count(
    client: Client,
    make_supporter: MakeSupporter,
    clp: Constituency,
    django_assert_num_queries: Any,
    item_count: int,
) -> None:
    recipient = make_supporter(clp=clp)
    for number in range(item_count):
        message = Message.objects.create(
            sender=make_supporter(clp=clp), recipient=recipient, body=f"note {number}"
        )
        MessageReport.objects.create(message=message, reason="spam")
    client.force_login(role_holder_create(Role.COMMITTEE))

    # session, user, roles (supporter, groups), open reports, closed reports
    with django_assert_num_queries(6):
        response = client.get("/organise/message-reports/")

    assert len(response.context["open_reports"]) == item_count


def test_erasing_the_sender_removes_blocks_and_reports(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    MessageReport.objects.create(message=message, reason="Abusive")
    MessageBlock.objects.create(blocker=recipient, blocked=sender)
    client.force_login(sender.user)

    response = client.post("/me/erase/", {"confirm": "on"})

    assert response.status_code == 302
    assert not MessageReport.objects.exists()
    assert not MessageBlock.objects.exists()


def test_export_holds_the_supporters_blocks_and_reports(
    client: Client, make_supporter: MakeSupporter, clp: Constituency
) -> None:
    sender, recipient = _pair(make_supporter, clp)
    message = Message.objects.create(sender=sender, recipient=recipient, body="Go away")
    MessageReport.objects.create(message=message, reason="Abusive")
    MessageBlock.objects.create(blocker=recipient, blocked=sender)
    client.force_login(recipient.user)

    data = client.get("/me/export.json").json()

    assert [b["who"] for b in data["messages_blocked"]] == ["Sam Sender"]
    assert [(r["message_from"], r["reason"]) for r in data["messages_reported"]] == [
        ("Sam Sender", "Abusive")
    ]
