"""Requests to set up a local group, and organisers putting supporters in touch."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.alliance.models import GroupRequest
from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.roles import Role
from tests.web.factories import (
    VISIBLE,
    organisation_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


def _request(supporter, note: str = "") -> GroupRequest:
    return GroupRequest.objects.create(
        supporter=supporter, constituency=supporter.constituency, note=note
    )


def test_group_request_by_supporter_in_clp_without_group_stored_and_audited(
    client: Client, clp
) -> None:
    supporter = supporter_create(clp=clp)
    client.force_login(supporter.user)

    response = client.post("/groups/request/", {"note": "I can host meetings."})

    assert response.status_code == 302
    request = GroupRequest.objects.get()
    assert (request.supporter, request.constituency, request.status) == (supporter, clp, "open")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.summary) == ("group_request.create", f"clp {clp.pk}")


def test_group_request_in_clp_with_group_refused(client: Client, clp) -> None:
    organisation_create(name="Leeds Grassroots", kind="local", clps=[clp])
    supporter = supporter_create(clp=clp)
    client.force_login(supporter.user)

    page = client.get("/groups/request/")
    response = client.post("/groups/request/", {"note": ""})

    assert "already has a local group: Leeds Grassroots" in page.content.decode()
    assert response.status_code == 400
    assert GroupRequest.objects.count() == 0


def test_group_request_in_clp_with_disaffiliated_group_allowed(client: Client, clp) -> None:
    organisation_create(kind="local", clps=[clp], status="disaffiliated")
    client.force_login(supporter_create(clp=clp).user)

    response = client.post("/groups/request/", {"note": ""})

    assert response.status_code == 302
    assert GroupRequest.objects.count() == 1


def test_group_request_twice_refused(client: Client, clp) -> None:
    supporter = supporter_create(clp=clp)
    _request(supporter)
    client.force_login(supporter.user)

    response = client.post("/groups/request/", {"note": ""})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "You have already asked; an organiser will be in touch."
    ]
    assert GroupRequest.objects.count() == 1


def test_group_request_list_names_only_consenting_supporters(client: Client, clp) -> None:
    _request(supporter_create(clp=clp, name="Aisha Khan", email="aisha@example.org"), "hi")
    _request(supporter_create(clp=clp, name="Hidden Person", consents=(VISIBLE,)), "secret")
    client.force_login(role_holder_create(Role.ORGANISER))

    response = client.get("/organise/group-requests/")

    html = response.content.decode()
    assert len(response.context["requests"]) == 2
    assert "Aisha Khan" in html
    assert "aisha@example.org" not in html
    assert "Hidden Person" not in html
    assert "secret" not in html
    assert "A supporter who has not agreed to be contacted" in html


@pytest.mark.parametrize("item_count", [1, 3])
def test_group_request_list_query_count(
    client: Client, clp, django_assert_num_queries, item_count: int
) -> None:
    for _ in range(item_count):
        _request(supporter_create(clp=clp))
    client.force_login(role_holder_create(Role.ORGANISER))

    with django_assert_num_queries(5):  # session, user, supporter?, groups, requests
        response = client.get("/organise/group-requests/")

    assert len(response.context["requests"]) == item_count


def test_group_request_put_in_touch_records_supporters_and_closes_their_requests(
    client: Client, clp
) -> None:
    first = supporter_create(clp=clp, name="Aisha Khan")
    second = supporter_create(clp=clp, name="Owen Parry")
    shy = supporter_create(clp=clp, name="Hidden Person", consents=(VISIBLE,))
    request = _request(first)
    other = _request(second)
    shy_request = _request(shy)
    client.force_login(role_holder_create(Role.ORGANISER))

    page = client.get(f"/organise/group-requests/{request.pk}/")
    response = client.post(
        f"/organise/group-requests/{request.pk}/", {"supporters": [first.pk, second.pk]}
    )

    assert "Hidden Person" not in page.content.decode()
    assert response.status_code == 302
    for handled in (request, other):
        handled.refresh_from_db()
        assert handled.status == "put_in_touch"
        assert set(handled.put_in_touch.all()) == {first, second}
    shy_request.refresh_from_db()
    assert shy_request.status == "open"
    assert AuditEntry.objects.filter(action="group_request.put_in_touch").count() == 2


def test_group_request_put_in_touch_non_consenting_supporter_refused(client: Client, clp) -> None:
    first = supporter_create(clp=clp)
    shy = supporter_create(clp=clp, consents=(VISIBLE,))
    request = _request(first)
    _request(shy)
    client.force_login(role_holder_create(Role.ORGANISER))

    response = client.post(f"/organise/group-requests/{request.pk}/", {"supporters": [shy.pk]})

    assert response.status_code == 400
    assert "supporters" in response.context["form"].errors
    request.refresh_from_db()
    assert request.status == "open"
    assert AuditEntry.objects.count() == 0


def test_group_request_handled_is_not_found(client: Client, clp) -> None:
    request = _request(supporter_create(clp=clp))
    request.status = "put_in_touch"
    request.save()
    client.force_login(role_holder_create(Role.ORGANISER))

    response = client.get(f"/organise/group-requests/{request.pk}/")

    assert response.status_code == 404
