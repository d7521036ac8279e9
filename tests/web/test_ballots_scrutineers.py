"""Scrutineers: named by the returning officer, they see the ballot's page without its
controls (with turnout and the audit trail), and get the result with the officer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, Scrutineer, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import organisation_create, representative_create

pytestmark = pytest.mark.django_db

ACTIONS = ["open", "close", "cancel", "publish", "extend", "try", "scrutineer", "unscrutineer"]


@pytest.fixture
def officer(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


@pytest.fixture
def watcher(make_supporter: Callable[..., Supporter], clp: Constituency) -> User:
    return make_supporter(clp=clp, email="watcher@example.org", name="Wendy Watcher").user


def _name(client: Client, ballot: Ballot, **data: str) -> Any:
    return client.post(f"/ballots/{ballot.slug}/manage/scrutineer/", data, follow=True)


def test_scrutineer_named_by_exact_email_is_listed_and_audited(
    client: Client, officer: User, watcher: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    page = _name(client, ballot, email="Watcher@Example.org").content.decode()

    assert list(Scrutineer.objects.values_list("ballot", "person")) == [(ballot.pk, watcher.pk)]
    assert services.SCRUTINEER_ANSWER in page
    assert "Wendy Watcher" in page
    assert AuditEntry.objects.get(action="ballot.scrutineer_add").actor_id == officer.pk


def test_scrutineer_unknown_email_gets_the_same_answer_and_names_nobody(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    response = _name(client, ballot, email="nobody@example.org")

    assert response.status_code == 200
    assert services.SCRUTINEER_ANSWER in response.content.decode()
    assert not Scrutineer.objects.exists()
    assert not AuditEntry.objects.filter(action="ballot.scrutineer_add").exists()


def test_scrutineer_chosen_from_the_representatives(
    client: Client, officer: User, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    unite = organisation_create(name="Unite")
    rep = make_supporter(clp=clp, name="Rita Rep")
    representative_create(organisation=unite, supporter=rep)
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    page = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()
    _name(client, ballot, person=str(rep.user.pk))

    assert f'<option value="{rep.user.pk}">Rita Rep</option>' in page
    assert Scrutineer.objects.get().person == rep.user


def test_scrutineer_without_a_choice_or_address_is_told_what_to_give(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    response = client.post(f"/ballots/{ballot.slug}/manage/scrutineer/", {"email": ""})

    assert response.status_code == 400
    assert "Choose a representative or give an email address." in response.content.decode()


def test_scrutineer_sees_the_page_turnout_and_audit_trail_without_controls(
    client: Client,
    officer: User,
    watcher: User,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(actor=officer)
    services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=watcher.email)
    [token, _] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))
    client.force_login(watcher)

    response = client.get(f"/ballots/{ballot.slug}/manage/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Scrutinise the ballot" in body
    assert "1 of 2 on the roll have voted" in body
    assert "2 sent, 0 queued, 0 failed" in body
    assert "ballot.create" in body
    assert "ballot.open" in body
    assert "roll frozen with 2 voters" in body
    assert f'action="/ballots/{ballot.slug}/manage/' not in body  # not one control
    assert f"/ballots/{ballot.slug}/edit/" not in body


@pytest.mark.parametrize("action", ACTIONS)
def test_scrutineer_posting_any_control_is_not_found(
    *,
    client: Client,
    officer: User,
    watcher: User,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    action: str,
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(actor=officer)
    services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=watcher.email)
    client.force_login(watcher)

    response = client.post(
        f"/ballots/{ballot.slug}/manage/{action}/",
        {"confirmed": "yes", "email": watcher.email, "person": str(watcher.pk)},
    )

    assert response.status_code == 404
    assert Ballot.objects.get(pk=ballot.pk).status == Status.DRAFT
    assert client.get(f"/ballots/{ballot.slug}/edit/").status_code == 404
    assert Scrutineer.objects.count() == 1


def test_ballot_manage_by_a_supporter_not_named_is_not_found(
    client: Client, officer: User, watcher: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(watcher)

    assert client.get(f"/ballots/{ballot.slug}/manage/").status_code == 404


def test_scrutineer_removed_loses_the_page(client: Client, officer: User, watcher: User) -> None:
    ballot = ballot_create(actor=officer)
    services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=watcher.email)
    client.force_login(officer)

    removed = client.post(
        f"/ballots/{ballot.slug}/manage/unscrutineer/", {"person": str(watcher.pk)}
    )
    watching = Client()
    watching.force_login(watcher)

    assert removed.status_code == 302
    assert not Scrutineer.objects.exists()
    assert watching.get(f"/ballots/{ballot.slug}/manage/").status_code == 404
    assert AuditEntry.objects.filter(action="ballot.scrutineer_remove").count() == 1


def test_ballot_publish_emails_the_officer_and_scrutineers_together(
    *,
    client: Client,
    officer: User,
    watcher: User,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    second = make_supporter(clp=clp, email="second@example.org").user
    ballot = ballot_create(actor=officer, seats=1)
    for person in (watcher, second):
        services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=person.email)
    tokens = ballot_open_with_tokens(ballot)
    for token in tokens:
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Bea"))
    services.ballot_close(actor=officer, ballot=ballot)
    client.force_login(officer)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/ballots/{ballot.slug}/manage/publish/", {"confirmed": "yes"})
    assert len(mail.outbox) == sent  # nothing before the commit
    assert len(callbacks) == 1  # one send for all of them
    with django_capture_on_commit_callbacks(execute=True):  # the queued emails' own tasks
        callbacks[0]()

    results = mail.outbox[sent:]
    assert sorted(address for message in results for address in message.to) == sorted(
        [officer.email, watcher.email, second.email]
    )
    assert all(len(message.to) == 1 for message in results)
    assert all(message.subject == f"Result: {ballot.question}" for message in results)
    assert all("Elected: Bea" in message.body for message in results)
    assert all(
        f"http://testserver/ballots/{ballot.slug}/result/" in message.body for message in results
    )


def test_scrutineer_who_erases_their_account_is_no_longer_named(
    officer: User, watcher: User
) -> None:
    from grassroots.web.people.services import person_erase

    ballot = ballot_create(actor=officer)
    services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=watcher.email)

    person_erase(person=watcher)

    assert not Scrutineer.objects.filter(ballot=ballot).exists()


def test_scrutineer_finds_the_ballot_on_my_ballots(
    client: Client, officer: User, watcher: User
) -> None:
    ballot = ballot_create(actor=officer, question="Who chairs the committee?")
    services.ballot_scrutineer_add(actor=officer, ballot=ballot, email=watcher.email)
    client.force_login(watcher)

    body = client.get("/ballots/mine/").content.decode()

    assert "Ballots you scrutinise" in body
    assert f'<a href="/ballots/{ballot.slug}/manage/">Who chairs the committee?</a>' in body
