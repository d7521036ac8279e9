"""Constituencies: the fixture, the loader and the CLP list."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load

pytestmark = pytest.mark.django_db


def test_constituencies_loaded_by_migration() -> None:
    assert Constituency.objects.count() == 650
    assert Constituency.objects.with_clp().count() == 632
    assert Constituency.objects.get(gss_code="W07000081").name == "Aberafan Maesteg"


def test_constituency_load_is_idempotent() -> None:
    assert constituency_load() == 0
    assert AuditEntry.objects.count() == 0


def test_constituency_load_restores_changed_row_and_audits() -> None:
    Constituency.objects.filter(gss_code="W07000081").update(name="Wrong")

    changed = constituency_load()

    assert changed == 1
    assert Constituency.objects.get(gss_code="W07000081").name == "Aberafan Maesteg"
    assert AuditEntry.objects.get().action == "constituency.load"


def test_clp_list_search_by_name_without_js(client: Client) -> None:
    response = client.get("/clps/", {"q": "leeds"})

    names = [c.name for c in response.context["clps"]]
    assert response.status_code == 200
    assert names == [
        "Leeds Central and Headingley",
        "Leeds East",
        "Leeds North East",
        "Leeds North West",
        "Leeds South",
        "Leeds South West and Morley",
        "Leeds West and Pudsey",
    ]
    assert "<html" in response.content.decode()


def test_clp_list_htmx_returns_rows_only(client: Client) -> None:
    response = client.get("/clps/", {"q": "cardiff e"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "Cardiff East" in html


def test_clp_list_filters_nation_and_region_and_hides_northern_ireland(client: Client) -> None:
    wales = client.get("/clps/", {"nation": "Wales"}).context["clps"]
    london = client.get("/clps/", {"region": "London"}).context["clps"]
    belfast = client.get("/clps/", {"q": "Belfast"}).context["clps"]

    assert len(wales) == 32
    assert len(london) == 75
    assert list(belfast) == []


def test_clp_list_searches_welsh_names(client: Client) -> None:
    response = client.get("/clps/", {"q": "Alun a Glannau"})

    assert [c.name for c in response.context["clps"]] == ["Alyn and Deeside"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_clp_list_query_count(client: Client, django_assert_num_queries, item_count: int) -> None:
    keep = Constituency.objects.with_clp().order_by("name")[:item_count]
    Constituency.objects.exclude(pk__in=[c.pk for c in keep]).delete()

    with django_assert_num_queries(3):  # CLPs, nations, regions
        response = client.get("/clps/")

    assert len(response.context["clps"]) == item_count
