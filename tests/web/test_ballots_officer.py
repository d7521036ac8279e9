"""The returning officer's controls, who may use them, and that nobody sees a vote early."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, CastBallot, Status
from grassroots.web.ballots.selectors import cast_ballot_list
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import role_holder_create, supporter_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


@pytest.fixture
def voters(make_supporter: Callable[..., Supporter], clp: Constituency) -> list[Supporter]:
    return [make_supporter(clp=clp) for _ in range(3)]


def _post(client: Client, ballot: Ballot, action: str, **data: str) -> int:
    """Post a control, confirmed (as the confirmation page's button does)."""
    response = client.post(f"/ballots/{ballot.slug}/manage/{action}/", {"confirmed": "yes"} | data)
    return response.status_code


def test_ballot_open_by_its_returning_officer_emails_voters(
    client: Client,
    officer: User,
    voters: list[Supporter],
    mailoutbox: list[object],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        status = _post(client, ballot, "open")

    ballot.refresh_from_db()
    assert (status, ballot.status) == (302, Status.OPEN)
    assert len(mailoutbox) == 3
    assert AuditEntry.objects.filter(action="ballot.open", actor_id=officer.pk).count() == 1


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COMMITTEE, Role.SUPPORTER])
def test_ballot_manage_by_anyone_else_is_not_found(
    client: Client, officer: User, clp: Constituency, role: Role
) -> None:
    ballot = ballot_create(actor=officer)
    other = supporter_create(clp=clp).user if role == Role.SUPPORTER else role_holder_create(role)
    client.force_login(other)

    assert client.get(f"/ballots/{ballot.slug}/manage/").status_code == 404
    assert _post(client, ballot, "open") == 404
    ballot.refresh_from_db()
    assert ballot.status == Status.DRAFT


def test_ballot_manage_by_administrator_is_allowed(
    client: Client, officer: User, make_role_holder: Callable[[Role], User]
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(make_role_holder(Role.ADMINISTRATOR))

    assert client.get(f"/ballots/{ballot.slug}/manage/").status_code == 200


def test_ballot_close_extend_cancel_are_each_audited(
    client: Client, officer: User, voters: list[Supporter]
) -> None:
    closing = ballot_create(actor=officer)
    services.ballot_open(actor=officer, ballot=closing, site_url="http://testserver")
    extending = ballot_create(actor=officer)
    cancelling = ballot_create(actor=officer)
    client.force_login(officer)
    later = timezone.localtime(extending.closes_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    statuses = [
        _post(client, closing, "close"),
        _post(client, extending, "extend", closes_at=later),
        _post(client, cancelling, "cancel"),
    ]

    assert statuses == [302, 302, 302]
    assert Ballot.objects.get(pk=closing.pk).status == Status.CLOSED
    assert Ballot.objects.get(pk=extending.pk).closes_at > extending.closes_at
    assert Ballot.objects.get(pk=cancelling.pk).status == Status.CANCELLED
    actions = set(AuditEntry.objects.filter(actor_id=officer.pk).values_list("action", flat=True))
    assert {"ballot.close", "ballot.extend", "ballot.cancel"} <= actions


def test_ballot_extend_to_an_earlier_time_is_explained_next_to_the_field(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)
    earlier = timezone.localtime(ballot.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(f"/ballots/{ballot.slug}/manage/extend/", {"closes_at": earlier})

    assert response.status_code == 400
    assert "later than the current one" in response.content.decode()
    assert Ballot.objects.get(pk=ballot.pk).closes_at == ballot.closes_at


def test_ballot_close_of_a_draft_is_refused_with_a_message(client: Client, officer: User) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    response = client.post(f"/ballots/{ballot.slug}/manage/close/", {"confirmed": "yes"})

    assert response.status_code == 400
    assert "Only an open ballot can close." in response.content.decode()


def test_cast_ballot_list_before_close_is_refused(voters: list[Supporter]) -> None:
    ballot = ballot_create()
    [token, *_] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))

    with pytest.raises(
        DomainError, match="The ballot has not closed: nobody may see the cast ballots yet"
    ):
        cast_ballot_list(ballot=ballot)


def test_cast_ballot_admin_hides_votes_until_close_and_never_changes_them(
    client: Client, voters: list[Supporter]
) -> None:
    admin = User.objects.create_superuser(email="root@example.org", name="Root")
    ballot = ballot_create()
    [token, *_] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))
    client.force_login(admin)

    while_open = client.get("/admin/ballots/castballot/")
    services.ballot_close(actor=None, ballot=ballot)
    after_close = client.get("/admin/ballots/castballot/")
    cast = CastBallot.objects.get()
    change = client.post(f"/admin/ballots/castballot/{cast.pk}/change/", {"weight": "5"})

    assert while_open.status_code == 200
    assert cast.receipt not in while_open.content.decode()
    assert cast.receipt in after_close.content.decode()
    assert change.status_code == 403
    assert client.get("/admin/ballots/castballot/add/").status_code == 403
    assert CastBallot.objects.get().weight == 1


def test_ballot_admin_is_read_only(client: Client) -> None:
    admin = User.objects.create_superuser(email="root@example.org", name="Root")
    ballot = ballot_create()
    client.force_login(admin)

    response = client.post(f"/admin/ballots/ballot/{ballot.pk}/change/", {"status": "open"})

    assert response.status_code == 403
    assert Ballot.objects.get(pk=ballot.pk).status == Status.DRAFT


def test_cast_ballot_cannot_be_changed_through_the_model(voters: list[Supporter]) -> None:
    ballot = ballot_create()
    [token, *_] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))
    cast = CastBallot.objects.get()
    cast.weight = 9

    with pytest.raises(Exception, match="cannot be changed"):
        cast.save()
    with pytest.raises(Exception, match="cannot be changed"):
        CastBallot.objects.update(weight=9)


@pytest.mark.parametrize("item_count", [1, 3])
def test_ballot_list_queries_are_fixed(
    client: Client, django_assert_num_queries: Callable[..., object], item_count: int
) -> None:
    for _ in range(item_count):
        ballot = ballot_create()
        Ballot.objects.filter(pk=ballot.pk).update(status=Status.OPEN)

    with django_assert_num_queries(1):  # type: ignore[attr-defined]
        response = client.get("/ballots/")

    assert response.status_code == 200
    assert response.content.decode().count("/ballots/ballot-") == item_count


def test_ballot_list_hides_drafts_from_the_public(client: Client) -> None:
    ballot_create(slug="secret-draft")

    assert "secret-draft" not in client.get("/ballots/").content.decode()
    assert client.get("/ballots/secret-draft/").status_code == 404
