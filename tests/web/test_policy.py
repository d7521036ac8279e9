"""The policy page: organisers write and order positions; everyone reads them, with the
Markdown sanitised."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.markup import markdown_html
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from grassroots.web.policy import services
from grassroots.web.policy.models import PolicyPosition

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


def _titles() -> list[str]:
    return list(PolicyPosition.objects.order_by("position", "id").values_list("title", flat=True))


def test_organiser_adds_a_position_and_everyone_reads_it_in_order(
    client: Client, organiser: User
) -> None:
    services.position_create(actor=organiser, title="Housing", body="Build *council* homes.")
    client.force_login(organiser)

    response = client.post("/policy/new/", {"title": "Public ownership", "body": "Rail first."})

    assert response.status_code == 302
    page = Client().get("/policy/").content.decode()
    assert page.index("Housing") < page.index("Public ownership")
    assert "Build <em>council</em> homes." in page
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "policy.create",
        "policy.create",
    ]


def test_moving_a_position_up_swaps_it_with_the_one_above(client: Client, organiser: User) -> None:
    for title in ("One", "Two", "Three"):
        services.position_create(actor=organiser, title=title, body="Text.")
    three = PolicyPosition.objects.get(title="Three")
    client.force_login(organiser)

    response = client.post(f"/policy/{three.pk}/move/up/")

    assert response.status_code == 302
    assert _titles() == ["One", "Three", "Two"]
    assert AuditEntry.objects.filter(action="policy.move", summary="up").count() == 1


def test_moving_the_top_position_up_is_refused_and_nothing_moves(organiser: User) -> None:
    one = services.position_create(actor=organiser, title="One", body="Text.")
    services.position_create(actor=organiser, title="Two", body="Text.")

    with pytest.raises(Exception, match="already at the top"):
        services.position_move(actor=organiser, position=one, direction="up")

    assert _titles() == ["One", "Two"]


def test_a_second_position_with_the_same_title_is_refused_on_the_title_field(
    client: Client, organiser: User
) -> None:
    services.position_create(actor=organiser, title="Housing", body="Text.")
    client.force_login(organiser)

    response = client.post("/policy/new/", {"title": "Housing", "body": "Again."})

    assert response.status_code == 400
    assert "Another position has this title" in response.content.decode()
    assert PolicyPosition.objects.count() == 1


def test_editing_and_removing_a_position(client: Client, organiser: User) -> None:
    position = services.position_create(actor=organiser, title="Housing", body="Old.")
    client.force_login(organiser)

    client.post(f"/policy/{position.pk}/edit/", {"title": "Homes for all", "body": "New."})
    position.refresh_from_db()
    edited = (position.title, position.slug, position.body)
    client.post(f"/policy/{position.pk}/delete/")

    assert edited == ("Homes for all", "homes-for-all", "New.")
    assert PolicyPosition.objects.count() == 0


def test_a_supporter_cannot_write_positions(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    client.force_login(make_role_holder(Role.COMMITTEE))

    response = client.post("/policy/new/", {"title": "Sneaky", "body": "Text."})

    assert response.status_code == 404
    assert PolicyPosition.objects.count() == 0


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        (
            "[site](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener noreferrer">site</a></p>\n',
        ),
        ("# Title", "<h2>Title</h2>\n"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>\n'),
    ],
)
def test_markdown_keeps_only_safe_html(markdown: str, html: str) -> None:
    assert markdown_html(markdown) == html


def test_policy_page_takes_two_queries_whatever_the_number_of_positions(
    client: Client, organiser: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    for number in range(3):
        services.position_create(actor=organiser, title=f"Position {number}", body="Text.")

    with django_assert_max_num_queries(3):  # type: ignore[operator]
        response = Client().get("/policy/")

    assert response.content.decode().count('class="policy-position"') == 3
