"""Voting links delivered by tasks: opening answers at once, counts for the returning officer,
a lost link resent (the old one stops working), reminders to exactly those who have not voted,
the retry of the failed, and the receipt emailed after a vote.

Tasks run at once here (the immediate backend, tests/web/conftest.py); the real worker against
a real SMTP server is in test_ballots_delivery_worker.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import delivery, services
from grassroots.web.ballots.models import Ballot, Credential, Delivery, Status, VoterRollEntry
from grassroots.web.ballots.selectors import delivery_counts
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Membership, Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import VOTE_LINK, ballot_create, ballot_open_with_tokens
from tests.web.factories import role_holder_create

pytestmark = pytest.mark.django_db


def _voters(clp: Constituency, count: int) -> list[User]:
    """``count`` verified supporters, inserted in bulk."""
    start = User.objects.count()
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"voter{start + n}@example.org", name=f"Voter {n}", password=password)
        for n in range(count)
    )
    if any(user.pk is None for user in users):
        users = list(User.objects.filter(email__startswith="voter").order_by("pk"))
    Supporter.objects.bulk_create(
        Supporter(
            user=user,
            constituency=clp,
            membership=Membership.MEMBER,
            email_verified_at=timezone.now(),
        )
        for user in users
    )
    return users


def _link_works(client: Client, slug: str, token: str) -> bool:
    return client.get(f"/ballots/{slug}/vote/{token}/").status_code == 303


def _links_by_address(sent: list[Any]) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for message in sent:
        links.setdefault(message.to[0], []).extend(VOTE_LINK.findall(message.body))
    return links


def test_opening_stores_credentials_without_tokens_and_the_tasks_email_each_voter_once(
    clp: Constituency, client: Client
) -> None:
    _voters(clp, 3)
    ballot = ballot_create()

    tokens = ballot_open_with_tokens(ballot)

    assert len(tokens) == 3 == len(set(tokens))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        User.objects.values_list("email", flat=True)
    )
    assert all("It works once" in m.body or "it works once" in m.body for m in mail.outbox)
    assert all(_link_works(client, ballot.slug, token) for token in tokens)
    assert set(Credential.objects.values_list("delivery", "links_sent", "attempts")) == {
        (Delivery.SENT, 1, 0)
    }
    # Sent: no time of delivery stays on the credential.
    assert set(Credential.objects.values_list("next_attempt_at", "lease_until")) == {(None, None)}
    # The token never reaches the outbox: credential emails bypass it.
    assert Email.objects.count() == 0


def test_opening_two_thousand_voters_answers_quickly_and_queues_tasks_in_batches(
    clp: Constituency, settings: Any
) -> None:
    """The real figure (well under a second) is in docs/ballots.md; here a generous bound."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    _voters(clp, 2000)
    ballot = ballot_create()

    started = time.perf_counter()
    roll = services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")
    elapsed = time.perf_counter() - started

    assert roll == 2000
    assert elapsed < 5
    assert (
        Credential.objects.filter(
            ballot=ballot, delivery=Delivery.QUEUED, token_hash__isnull=True
        ).count()
        == 2000
    )
    # One task whatever the roll's size; the worker runs it, and it queues the batches.
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "grassroots.web.ballots.tasks.credentials_deliver_plan"
    ]
    assert delivery.batches_plan(ballot_id=ballot.pk) == 10  # one task per 200 voters
    batches = DBTaskResult.objects.filter(task_path__endswith=".credentials_deliver")
    assert batches.count() == 10
    ranges = sorted((task.args_kwargs["args"][1], task.args_kwargs["args"][2]) for task in batches)
    ids = sorted(Credential.objects.filter(ballot=ballot).values_list("pk", flat=True))
    assert ranges == [(ids[i], ids[i + 199]) for i in range(0, 2000, 200)]
    assert mail.outbox == []


def test_manage_page_shows_delivery_counts_and_never_who(
    clp: Constituency, client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    voters = _voters(clp, 3)
    officer = make_role_holder(Role.ORGANISER)
    ballot = ballot_create(actor=officer)
    ballot_open_with_tokens(ballot)
    Credential.objects.filter(roll_entry__person=voters[0]).update(delivery=Delivery.FAILED)
    client.force_login(officer)

    page = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()

    assert "2 sent, 0 queued, 1 failed" in page
    assert "Retry the 1 failed" in page
    assert not any(v.email in page or v.name in page for v in voters)


def test_retry_the_failed_sends_them_a_fresh_link_and_audits_the_count(
    clp: Constituency,
    client: Client,
    make_role_holder: Callable[[Role], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    voters = _voters(clp, 3)
    officer = make_role_holder(Role.ORGANISER)
    ballot = ballot_create(actor=officer)
    ballot_open_with_tokens(ballot)
    Credential.objects.filter(roll_entry__person=voters[0]).update(
        delivery=Delivery.FAILED, attempts=8, next_attempt_at=None
    )
    client.force_login(officer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ballots/{ballot.slug}/manage/retry/")

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[voters[0].email]]
    assert delivery_counts(ballot=ballot).sent == 3
    entry = AuditEntry.objects.get(action="ballot.delivery_retry")
    assert entry.summary == "1 failed voting links queued again"


def test_resend_replaces_the_old_link_and_answers_the_same_for_any_address(
    clp: Constituency, client: Client
) -> None:
    voters = _voters(clp, 2)
    ballot = ballot_create()
    tokens = ballot_open_with_tokens(ballot)
    old = _links_by_address(mail.outbox)[voters[0].email][0]
    mail.outbox.clear()

    answers = [
        client.post(f"/ballots/{ballot.slug}/link/", {"email": address})
        for address in (voters[0].email.upper(), "nobody@example.org")
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert all("a new voting link is on its way" in a.content.decode() for a in answers)
    [message] = mail.outbox
    assert message.to == [voters[0].email]
    assert "replaces the earlier one" in message.body
    [new] = VOTE_LINK.findall(message.body)
    assert not _link_works(client, ballot.slug, old)
    assert _link_works(client, ballot.slug, new)
    assert _link_works(client, ballot.slug, tokens[1])  # the other voter's link still works


def test_resend_sends_nothing_to_a_voter_who_has_voted(clp: Constituency, client: Client) -> None:
    [voter] = _voters(clp, 1)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    option = ballot.options.first()
    assert option is not None
    services.ballot_cast(credential_token=token, ranking=[option.pk])
    mail.outbox.clear()

    response = client.post(f"/ballots/{ballot.slug}/link/", {"email": voter.email})

    assert response.status_code == 200
    assert mail.outbox == []
    assert Credential.objects.get().used is True


def test_resend_is_rate_limited_per_address(clp: Constituency, client: Client) -> None:
    [voter] = _voters(clp, 1)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)
    mail.outbox.clear()

    codes = [
        client.post(f"/ballots/{ballot.slug}/link/", {"email": voter.email}).status_code
        for _ in range(4)
    ]

    assert codes == [200, 200, 200, 429]
    assert len(mail.outbox) == 3


def test_resend_refuses_a_bad_address_by_its_field(clp: Constituency, client: Client) -> None:
    _voters(clp, 1)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)

    response = client.post(f"/ballots/{ballot.slug}/link/", {"email": "not an address"})

    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()


def test_reminders_reach_exactly_those_who_have_not_voted_with_a_new_link(
    clp: Constituency,
    client: Client,
    make_role_holder: Callable[[Role], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    voters = _voters(clp, 4)
    officer = make_role_holder(Role.ORGANISER)
    ballot = ballot_create(actor=officer)
    tokens = ballot_open_with_tokens(ballot)
    by_address = _links_by_address(mail.outbox)
    option = ballot.options.first()
    assert option is not None
    voted = voters[:2]
    for voter in voted:
        services.ballot_cast(credential_token=by_address[voter.email][0], ranking=[option.pk])
    mail.outbox.clear()
    client.force_login(officer)

    confirm = client.post(f"/ballots/{ballot.slug}/manage/remind_voters/")
    assert "Remind the 2 who have not voted?" in confirm.content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ballots/{ballot.slug}/manage/remind_voters/", {"confirmed": "yes"})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(v.email for v in voters[2:])
    assert all("This new link replaces the earlier one" in m.body for m in mail.outbox)
    for voter in voters[2:]:
        [new] = _links_by_address(mail.outbox)[voter.email]
        assert not _link_works(client, ballot.slug, by_address[voter.email][0])
        assert _link_works(client, ballot.slug, new)
    entry = AuditEntry.objects.get(action="ballot.reminders")
    assert entry.summary == "reminders with new links queued for 2 voters who had not voted"
    assert len(tokens) == 4


def test_receipt_is_emailed_after_the_vote_through_the_outbox_when_the_ballot_asks(
    clp: Constituency, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    [voter] = _voters(clp, 1)
    ballot = ballot_create(email_receipts=True)
    [token] = ballot_open_with_tokens(ballot)
    option = ballot.options.first()
    assert option is not None
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        receipt = services.ballot_cast(credential_token=token, ranking=[option.pk])

    [message] = mail.outbox
    assert message.to == [voter.email]
    assert receipt.code in message.body
    stored = Email.objects.get()
    # A random key: the outbox row names neither the roll entry nor the credential.
    assert re.fullmatch(r"receipt:[0-9a-f]{32}", stored.key)
    assert stored.body == ""  # emptied once sent: the code is not kept beside the address


def test_receipt_is_not_emailed_by_default(
    clp: Constituency, django_capture_on_commit_callbacks: Any
) -> None:
    _voters(clp, 1)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    option = ballot.options.first()
    assert option is not None
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_cast(credential_token=token, ranking=[option.pk])

    assert mail.outbox == []
    assert Email.objects.count() == 0
    assert Ballot.objects.get().email_receipts is False


def test_a_roll_larger_than_the_request_takes_is_frozen_by_the_worker(
    clp: Constituency, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Above BALLOT_OPEN_IN_REQUEST_MAX voters the request only marks the ballot opening and
    queues the freeze; the worker's task freezes the roll, opens the ballot and has every
    voter emailed, once."""
    settings.BALLOT_OPEN_IN_REQUEST_MAX = 2
    voters = _voters(clp, 5)
    ballot = ballot_create()

    with django_capture_on_commit_callbacks() as queued:
        answered = services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")

    ballot.refresh_from_db()
    assert answered == 5
    assert ballot.status == Status.OPENING
    assert not VoterRollEntry.objects.filter(ballot=ballot).exists()
    assert AuditEntry.objects.filter(action="ballot.open_request").count() == 1
    assert len(queued) == 1  # the freeze, nothing else yet

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()

    ballot.refresh_from_db()
    assert ballot.status == Status.OPEN
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 5
    assert AuditEntry.objects.get(action="ballot.open").summary.startswith(
        "roll frozen with 5 voters"
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(v.email for v in voters)
    # Run again (a retried task): nothing more happens.
    assert (
        services.ballot_open_finish(ballot_id=ballot.pk, actor_id=None, site_url="x")
        == "not opening"
    )
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 5


def test_an_opening_whose_electorate_emptied_goes_back_to_draft(
    clp: Constituency, settings: Any
) -> None:
    settings.BALLOT_OPEN_IN_REQUEST_MAX = 1
    _voters(clp, 3)
    ballot = ballot_create()
    services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")
    Supporter.objects.update(email_verified_at=None)  # nobody may vote any more

    outcome = services.ballot_open_finish(ballot_id=ballot.pk, actor_id=None, site_url="x")

    ballot.refresh_from_db()
    assert outcome == "back to draft"
    assert ballot.status == Status.DRAFT
    assert not VoterRollEntry.objects.filter(ballot=ballot).exists()
    assert "The electorate is empty" in AuditEntry.objects.get(action="ballot.open_fail").summary


def test_voting_and_closing_wait_for_an_opening_ballot(
    clp: Constituency, client: Client, settings: Any
) -> None:
    settings.BALLOT_OPEN_IN_REQUEST_MAX = 1
    _voters(clp, 2)
    officer = role_holder_create(Role.ORGANISER)
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    response = client.post(f"/ballots/{ballot.slug}/manage/open/", {"confirmed": "yes"})
    page = client.get(response["Location"]).content.decode()

    assert "The ballot is opening" in page
    assert 'id="opening"' in page
    with pytest.raises(DomainError, match="Only an open ballot can close"):
        services.ballot_close(actor=None, ballot=ballot)
