"""A forecast run by the real worker (`grassroots worker` in its own process) on the test
database, SQLite file or PostgreSQL: the page only queues it, and the worker stores the same
result as a forecast computed in one go."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from grassroots.web.constituencies.services import constituency_load
from grassroots.web.elections.models import ForecastRun, ForecastStatus
from grassroots.web.people.roles import GROUP_ROLES, Role
from tests.web.factories import role_holder_create
from tests.web.test_elections_forecast_runs import URL, _direct, _section
from tests.web.test_mail_worker import _wait_for, sink, start_worker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_runs_a_queued_forecast_and_stores_the_result(
    start_worker: Any,  # noqa: F811 (the fixture imported above)
    client: Client,
) -> None:
    constituency_load()  # another module's transactional test may have emptied them,
    for role in GROUP_ROLES:  # and the role groups
        Group.objects.get_or_create(name=role.value)
    section = _section()
    client.force_login(role_holder_create(Role.ORGANISER))
    ask = {"share_0": "50", "loyalty_0": "70", "share_1": "40", "loyalty_1": "80"}
    ask |= {"uncertainty": "5", "runs": "30", "sizes": "Red"}
    asked = client.post(URL, ask)
    assert asked.status_code == 303
    run = ForecastRun.objects.get()
    assert run.status == ForecastStatus.QUEUED  # nothing ran in the request

    start_worker()
    _wait_for(
        lambda: ForecastRun.objects.get().status in (ForecastStatus.DONE, ForecastStatus.FAILED),
        seconds=120,
        what="the worker to run the forecast",
    )

    run = ForecastRun.objects.get()
    assert run.status == ForecastStatus.DONE, run.error
    assert run.runs_done == run.runs_total == 30 + 3 * 30
    assert run.result == _direct(section, ask)
    html = client.get(asked["Location"]).content.decode()
    assert 'id="seats"' in html
    assert 'id="sizes"' in html
