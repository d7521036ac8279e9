"""Invitations: a supporter's personal link, sign-ups through it counted by CLP, and nothing
that says who invited whom."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.web.constituencies.models import Constituency
from grassroots.web.invitations.models import InvitedJoinCount
from grassroots.web.invitations.services import invitation_token
from grassroots.web.people.models import Supporter
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, signup_data, supporter_create

pytestmark = pytest.mark.django_db


def _link_of(supporter: Any) -> str:
    client = Client()
    client.force_login(supporter.user)
    page = client.get("/me/invite/").content.decode()
    start = page.index("http://testserver/join/invited/")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


def test_a_sign_up_through_an_invitation_is_counted_in_its_clp_and_nothing_more(
    clp: Constituency,
) -> None:
    inviter = supporter_create(clp=clp, name="Ivy Inviter")
    link = _link_of(inviter)

    response = Client().post(link, signup_data(email="new@example.org"))

    assert response["Location"] == "/join/thanks/"
    new = Supporter.objects.get(user__email="new@example.org")
    assert list(InvitedJoinCount.objects.values_list("constituency_id", "joined")) == [
        (new.constituency_id, 1)
    ]


def test_an_ordinary_sign_up_is_not_counted(client: Client) -> None:
    client.post("/join/", signup_data())

    assert Supporter.objects.count() == 1
    assert InvitedJoinCount.objects.count() == 0


def test_a_forged_link_or_one_of_a_supporter_gone_is_a_plain_sign_up(clp: Constituency) -> None:
    gone = supporter_create(clp=clp)
    token = invitation_token(user=gone.user)
    gone.user.is_active = False
    gone.user.save()

    Client().post(f"/join/invited/{token}/", signup_data(email="a@example.org"))
    Client().post("/join/invited/forged/", signup_data(email="b@example.org"))

    assert Supporter.objects.filter(user__email__in=["a@example.org", "b@example.org"]).count() == 2
    assert InvitedJoinCount.objects.count() == 0


def test_an_address_with_an_account_already_counts_nothing(clp: Constituency) -> None:
    inviter = supporter_create(clp=clp)
    existing = supporter_create(clp=clp)

    Client().post(_link_of(inviter), signup_data(email=existing.user.email))

    assert InvitedJoinCount.objects.count() == 0


def test_organisers_see_counts_by_clp_never_names(clp: Constituency) -> None:
    inviter = supporter_create(clp=clp, name="Ivy Inviter")
    link = _link_of(inviter)
    Client().post(link, signup_data(email="one@example.org", name="Nell Newcomer"))
    Client().post(link, signup_data(email="two@example.org", name="Ned Newcomer"))
    client = Client()
    client.force_login(role_holder_create(Role.ORGANISER))

    page = client.get("/organise/invitations/").content.decode()

    assert '<strong id="invited-total">2</strong>' in page
    assert "Leeds Central and Headingley" in page
    for name in ("Ivy", "Nell", "Ned", "example.org"):
        assert name not in page


def test_only_a_confirmed_supporter_has_a_link(clp: Constituency) -> None:
    client = Client()
    client.force_login(supporter_create(clp=clp, verified=False).user)

    assert client.get("/me/invite/").status_code == 404
