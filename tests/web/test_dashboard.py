"""The public dashboard."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db


def test_dashboard_counts_verified_supporters_and_clps(client: Client, clp, other_clp) -> None:
    supporter_create(clp=clp)
    supporter_create(clp=clp)
    supporter_create(clp=other_clp)
    supporter_create(clp=other_clp, verified=False)

    response = client.get("/")

    figures = response.context["figures"]
    assert response.status_code == 200
    assert (figures.supporters, figures.clps_covered) == (3, 2)
    assert (figures.affiliates, figures.local_groups) == (0, 0)
    bars = {bar.label: bar.value for bar in figures.by_region}
    assert bars["Yorkshire and The Humber"] == 2
    assert bars["Wales"] == 1
    assert bars["London"] == 0
    assert '<strong id="supporter-count">3</strong>' in response.content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_query_count(client: Client, clp, django_assert_num_queries, item_count) -> None:
    for _ in range(item_count):
        supporter_create(clp=clp)

    # by region counts, regions, supporters, CLPs covered, affiliates, local groups
    with django_assert_num_queries(6):
        response = client.get("/")

    assert response.context["figures"].supporters == item_count


@pytest.mark.parametrize("path", ["/", "/join/", "/clps/", "/events/", "/committee/", "/login/"])
def test_pages_in_nav_answer(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert 'href="/join/"' in response.content.decode()
