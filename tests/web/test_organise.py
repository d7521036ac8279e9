"""The Organise menu and the /organise/ index of organiser pages."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.people.roles import Role
from grassroots.web.people.services import role_grant
from tests.web.factories import role_holder_create, supporter_create

pytestmark = pytest.mark.django_db

MENU_LINK = '<a href="/organise/"'


def test_organise_menu_hidden_from_the_public(client: Client) -> None:
    response = client.get("/")

    assert MENU_LINK not in response.content.decode()


def test_organise_sends_logged_out_visitors_to_log_in(client: Client) -> None:
    response = client.get("/organise/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/organise/"


def test_organise_menu_hidden_from_supporters(client: Client, clp) -> None:
    supporter = supporter_create(clp=clp)
    client.force_login(supporter.user)

    response = client.get("/")

    assert MENU_LINK not in response.content.decode()
    assert client.get("/organise/").status_code == 404


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.ORGANISER,
            {"Organisations", "Local group requests", "Supporters by CLP", "Events you organise"},
            {"The alliance&#x27;s rules"},
        ),
        (
            Role.COMMITTEE,
            {"Organisations", "Supporters by CLP", "Events you organise", "Ballots", "Slates"},
            {"Local group requests", "The alliance&#x27;s rules"},
        ),
        (
            Role.ADMINISTRATOR,
            {"Organisations", "Local group requests", "The alliance&#x27;s rules"},
            set(),
        ),
    ],
)
def test_organise_index_lists_the_pages_the_role_may_use(
    client: Client, role: Role, shown: set[str], hidden: set[str]
) -> None:
    client.force_login(role_holder_create(role))

    response = client.get("/organise/")

    body = response.content.decode()
    assert response.status_code == 200
    assert MENU_LINK in body
    assert all(f">{title}</a>" in body for title in shown)
    assert not any(f">{title}</a>" in body for title in hidden)


def test_organise_index_links_open_for_the_role(client: Client) -> None:
    client.force_login(role_holder_create(Role.ORGANISER))

    urls = [page["url"] for page in client.get("/organise/").context["pages"]]

    assert urls
    assert all(client.get(url).status_code == 200 for url in urls)


def test_organise_menu_shown_to_a_superuser(client: Client) -> None:
    from grassroots.web.people.models import User

    client.force_login(User.objects.create_superuser(email="root@example.org", password="x"))

    assert MENU_LINK in client.get("/").content.decode()


def test_role_grant_updates_the_kept_roles(clp) -> None:
    from grassroots.web.people.roles import user_may_organise, user_roles

    user = supporter_create(clp=clp).user
    assert Role.ORGANISER not in user_roles(user)

    role_grant(actor=None, user=user, role=Role.ORGANISER)

    assert Role.ORGANISER in user_roles(user)
    assert user_may_organise(user)


def test_organise_index_query_count(client: Client, django_assert_num_queries) -> None:
    client.force_login(role_holder_create(Role.ORGANISER))

    # session, user, supporter, groups (kept for the menu too)
    with django_assert_num_queries(4):
        response = client.get("/organise/")

    assert response.status_code == 200
